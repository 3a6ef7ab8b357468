package support

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/text"
)

// Limits on text fields, in characters.
const (
	maxSubjectRunes = 200
	maxTagRunes     = 40
	maxTags         = 20
	maxCommentRunes = 2000
)

// cleanBody trims a message body and checks it: plain free text (line
// breaks allowed, no control characters), 1 to MaxBodyRunes characters. The
// web layer already refuses NUL and other controls; this guards the other
// callers (the bot, tools).
func cleanBody(field, body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return "", errs.Invalidf(field, "must not be empty")
	}
	if n := utf8.RuneCountInString(body); n > MaxBodyRunes {
		return "", errs.Invalidf(field, "must be at most %d characters (got %d)", MaxBodyRunes, n)
	}
	if p := text.Check(body, text.Free); p != text.OK {
		return "", errs.Invalidf(field, "%s", p.Message())
	}
	return body, nil
}

// subjectFrom is the subject given, or the first line of the first message
// cut to maxSubjectRunes.
func subjectFrom(subject, message string) (string, error) {
	subject = strings.TrimSpace(subject)
	if subject == "" {
		line, _, _ := strings.Cut(message, "\n")
		subject = truncate(strings.TrimSpace(line), maxSubjectRunes)
	}
	if utf8.RuneCountInString(subject) > maxSubjectRunes {
		return "", errs.Invalidf("subject", "must be at most %d characters", maxSubjectRunes)
	}
	if !text.Valid(subject, text.Line) {
		return "", errs.Invalidf("subject", "must be a single line of text")
	}
	return subject, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// channelOf checks a channel ("" is web).
func channelOf(ch string) (string, error) {
	if ch == "" {
		return "web", nil
	}
	if !slices.Contains(Channels, ch) {
		return "", errs.Invalidf("channel", "must be one of web, mobile, email")
	}
	return ch, nil
}

// LocaleOf maps a requested locale ("fr", "fr-CA", "FR") to one the chat
// speaks; anything else is English.
func LocaleOf(l string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(l)), "-")
	base, _, _ = strings.Cut(base, "_")
	if slices.Contains(Locales, base) {
		return base
	}
	return Locales[0]
}

// cleanTags lowercases, trims and de-duplicates tags, keeping their order.
// A tag is 1 to 40 letters, digits, '-' or '_' (so the inbox filter can
// match it inside the stored JSON list exactly).
func cleanTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if !validTag(t) {
			return nil, errs.Invalidf("tags", "a tag is 1 to %d letters, digits, '-' or '_'", maxTagRunes)
		}
		if slices.Contains(out, t) {
			continue
		}
		// Checked as they are added, so a huge list costs at most
		// maxTags comparisons per tag.
		if len(out) == maxTags {
			return nil, errs.Invalidf("tags", "at most %d tags", maxTags)
		}
		out = append(out, t)
	}
	return out, nil
}

func validTag(t string) bool {
	if t == "" || utf8.RuneCountInString(t) > maxTagRunes {
		return false
	}
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// errLocale is the refusal of a locale other than Locales.
var errLocale = errs.FieldError{Field: "locale", Message: "must be one of en, fr"}

// checkLocaleFilter accepts "" (every locale) or one of Locales, as the
// ?locale= of the FAQ and canned-reply lists.
func checkLocaleFilter(locale string) error {
	if locale != "" && !slices.Contains(Locales, locale) {
		return errs.ErrValidation.WithFields(errLocale)
	}
	return nil
}
