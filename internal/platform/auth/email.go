package auth

import (
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/text"
)

// MaxEmailLen is the longest e-mail address accepted (RFC 5321's path limit).
const MaxEmailLen = 254

// NormalizeEmail is the one stored and compared form of an e-mail address,
// wherever one enters (accounts, sign-in, carts, orders, promotion limits):
//
//   - NFKC, so compatibility variants are the address they look like
//     (full-width "ｂｏｂ@example.com" is bob@example.com);
//   - trimmed and lower-cased whole, so sign-in is case-insensitive;
//   - the domain in its Unicode form by IDNA's lookup mapping, so
//     "xn--bcher-kva.example" and "bücher.example" are one address (a domain
//     IDNA refuses is only lower-cased, and CheckEmail refuses it).
//
// It does not refuse anything: a look-alike that slips through here is
// stopped by CheckEmail where addresses are created.
func NormalizeEmail(email string) string {
	e := strings.TrimSpace(norm.NFKC.String(strings.TrimSpace(email)))
	at := strings.LastIndexByte(e, '@')
	if at < 0 {
		return strings.ToLower(e)
	}
	local, domain := strings.ToLower(e[:at]), strings.ToLower(e[at+1:])
	if u, err := idna.Lookup.ToUnicode(domain); err == nil && u != "" {
		domain = u
	}
	return local + "@" + domain
}

// CheckEmail checks an address that NormalizeEmail has normalized, for
// services reached without the HTTP validator (the CLI) and for the rules the
// validator's `email` tag does not know: a 422 naming field when the address
// has no local part or domain, is too long, holds spaces, controls, invisible
// or bidirectional characters, has a domain IDNA refuses, or mixes scripts
// within its local part or within one domain label ("bоb" with a Cyrillic о
// beside Latin letters). An address wholly in one script (Cyrillic, Greek,
// Japanese...) is fine.
func CheckEmail(field, email string) error {
	at := strings.LastIndexByte(email, '@')
	if at < 1 || at == len(email)-1 || len(email) > MaxEmailLen || strings.ContainsRune(email, ' ') {
		return errs.Invalidf(field, "must be an e-mail address")
	}
	if p := text.Check(email, text.Line); p != text.OK {
		return errs.Invalidf(field, "%s", p.Message())
	}
	local, domain := email[:at], email[at+1:]
	if _, err := idna.Lookup.ToASCII(domain); err != nil {
		return errs.Invalidf(field, "must be an e-mail address with a valid domain")
	}
	if text.MixesScripts(local) {
		return errs.Invalidf(field, "must not mix scripts (such as Latin and Cyrillic) before the @")
	}
	for label := range strings.SplitSeq(domain, ".") {
		if text.MixesScripts(label) {
			return errs.Invalidf(field, "must not mix scripts (such as Latin and Cyrillic) within a domain label")
		}
	}
	return nil
}
