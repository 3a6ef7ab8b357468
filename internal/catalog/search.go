package catalog

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search limits: a query is cut to this many words of this many bytes.
const (
	maxSearchTerms   = 10
	maxSearchTermLen = 64
)

// searchWords folds s and splits it into words of letters and digits. Both
// the indexed text and queries go through it, so the databases' own parsers
// only ever see plain words: PostgreSQL would otherwise read "clay-1" as
// "clay" and "-1".
func searchWords(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// searchTerms turns a query into at most maxSearchTerms words. Every term
// must match (AND), as a prefix.
func searchTerms(q string) []string {
	words := searchWords(q)
	if len(words) > maxSearchTerms {
		words = words[:maxSearchTerms]
	}
	for i, w := range words {
		if len(w) > maxSearchTermLen {
			w = w[:maxSearchTermLen]
			for !utf8.ValidString(w) { // do not cut a character in half
				w = w[:len(w)-1]
			}
			words[i] = w
		}
	}
	return words
}

// ftsQuery is the SQLite FTS5 MATCH expression for terms: each a quoted
// prefix ("creme"*). Terms hold only letters and digits, so quoting is safe.
func ftsQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t + `"*`
	}
	return strings.Join(parts, " AND ")
}

// tsQuery is the PostgreSQL to_tsquery('simple', ...) text for terms: each a
// prefix (creme:*) joined by &.
func tsQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t + ":*"
	}
	return strings.Join(parts, " & ")
}
