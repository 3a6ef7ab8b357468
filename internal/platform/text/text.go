// Package text holds Storekeep's rules for the characters a text input may
// contain, in one place for the web layer (which applies them to every string
// of every request body, query and path) and for the domains (e-mails,
// provider webhooks, cursors).
//
// There are two kinds of text. A single line (names, titles, codes, ids,
// e-mails, addresses: the default) refuses every control character (C0
// U+0000–U+001F, DEL, C1 U+0080–U+009F), the line and paragraph separators,
// and the invisible and bidirectional formatting characters that let one
// string pass for another (U+202E turns "gpj.exe" into "exe.jpg"). Free text
// (descriptions, reasons, notes, passwords) may also hold tab, line feed and
// carriage return, and formatting characters; it refuses the other controls.
// Both refuse invalid UTF-8. Zero-width joiner and non-joiner (U+200D,
// U+200C) are allowed everywhere: emoji sequences and several scripts need
// them.
//
// NUL is the character that matters most: PostgreSQL refuses it in text
// (SQLSTATE 22021) and SQLite stores it, so an unchecked one is either a 500
// or a string that is cut short by the next program that reads it.
package text

import "unicode/utf8"

// Kind is what a string is allowed to be.
type Kind int

// The kinds of text.
const (
	// Line is a single line of text: no control, line-breaking, invisible or
	// bidirectional formatting characters. It is the default for every field.
	Line Kind = iota
	// Free is free text: Line plus tab, line feed, carriage return, line and
	// paragraph separators and the formatting characters Line refuses.
	Free
)

// Problem is why a string was refused; OK when it was not.
type Problem int

// The problems, worst first (Check reports the first one it finds).
const (
	OK Problem = iota
	// InvalidUTF8: the bytes are not UTF-8 (or a JSON escape names half of
	// a surrogate pair).
	InvalidUTF8
	// Control: a C0 or C1 control character or DEL that the kind refuses,
	// NUL included.
	Control
	// LineBreak: a tab, line feed, carriage return or line/paragraph
	// separator in a single-line string.
	LineBreak
	// Invisible: an invisible or bidirectional formatting character in a
	// single-line string.
	Invisible
)

// Message is the errors[].message a client sees for p.
func (p Problem) Message() string {
	switch p {
	case InvalidUTF8:
		return "must be valid UTF-8"
	case Control:
		return "must not contain control characters (such as NUL)"
	case LineBreak:
		return "must be a single line: no tab or line break"
	case Invisible:
		return "must not contain invisible or bidirectional formatting characters"
	}
	return ""
}

// Check returns the first problem of s as text of kind k, or OK.
func Check(s string, k Kind) Problem {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return InvalidUTF8
			}
		}
		if p := CheckRune(r, k); p != OK {
			return p
		}
	}
	return OK
}

// Valid reports whether s is acceptable text of kind k.
func Valid(s string, k Kind) bool { return Check(s, k) == OK }

// CheckRune returns the problem of one character in text of kind k.
func CheckRune(r rune, k Kind) Problem {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
		if k == Free {
			return OK
		}
		return LineBreak
	case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		return Control
	case r >= 0xd800 && r <= 0xdfff:
		return InvalidUTF8 // a decoded surrogate: not a character
	case k == Line && IsInvisible(r):
		return Invisible
	}
	return OK
}

// IsInvisible reports whether r is a bidirectional control or an invisible
// character that can make one identity look like another: U+061C, U+200E,
// U+200F, U+202A–U+202E, U+2066–U+2069 (bidi) and U+00AD, U+034F, U+115F,
// U+1160, U+180E, U+200B, U+2060–U+2064, U+206A–U+206F, U+3164, U+FEFF,
// U+FFA0 (invisible). Zero-width (non-)joiners are not in the list.
func IsInvisible(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x00ad, r == 0x034f, r == 0x115f, r == 0x1160, r == 0x180e, r == 0x200b,
		r >= 0x2060 && r <= 0x2064, r >= 0x206a && r <= 0x206f, r == 0x3164, r == 0xfeff, r == 0xffa0:
		return true
	}
	return false
}
