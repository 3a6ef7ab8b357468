// Package locale names the languages Storekeep speaks to a customer in
// (e-mails, the customer's and the order's recorded locale) and picks one
// from what a client asks for. Catalog translations have their own, open
// set of locales (internal/catalog); this set is closed: a locale here is
// one every e-mail template exists in.
package locale

import (
	"slices"
	"strconv"
	"strings"
)

// Default is the locale of a customer or order nobody chose one for, and
// the fallback of every other.
const Default = "en"

// Supported lists the locales customers and orders may carry, in the order
// the API documents them.
var Supported = []string{"en", "fr"}

// Valid reports whether l is one of Supported (exactly: "fr", not "FR").
func Valid(l string) bool { return slices.Contains(Supported, l) }

// Normalize turns a client's language tag ("fr-CA", "FR", "en_GB") into a
// supported locale, or "" when its language is not one.
func Normalize(tag string) string {
	lang, _, _ := strings.Cut(strings.TrimSpace(tag), "-")
	lang, _, _ = strings.Cut(lang, "_")
	lang = strings.ToLower(lang)
	if Valid(lang) {
		return lang
	}
	return ""
}

// FromAcceptLanguage returns the supported locale an Accept-Language header
// prefers most (q-values, then order), or "" when it names none.
func FromAcceptLanguage(header string) string {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(part, ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(k, "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
		}
		if l := Normalize(tag); l != "" && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// Pick is the locale of a request: an explicit choice (a ?locale= or a
// body field) when it is supported, else the Accept-Language header's
// preference, else "" (the caller applies its own default).
func Pick(explicit, acceptLanguage string) string {
	if l := Normalize(explicit); l != "" {
		return l
	}
	return FromAcceptLanguage(acceptLanguage)
}
