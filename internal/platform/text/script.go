package text

import "unicode"

// commonScripts are tried first when looking up a character's script: they
// cover nearly every character a shop sees, so the full table is rarely
// scanned.
var commonScripts = []string{"Latin", "Cyrillic", "Greek", "Han", "Hiragana", "Katakana", "Hangul", "Arabic", "Hebrew"}

// Script returns the Unicode script of r ("Latin", "Cyrillic", ...), or
// "Common" / "Inherited" for characters shared by every script (digits,
// punctuation, combining marks), or "" when r has none (unassigned).
func Script(r rune) string {
	if unicode.Is(unicode.Common, r) {
		return "Common"
	}
	if unicode.Is(unicode.Inherited, r) {
		return "Inherited"
	}
	for _, name := range commonScripts {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	for name, table := range unicode.Scripts {
		if unicode.Is(table, r) {
			return name
		}
	}
	return ""
}

// cjkSets are the script combinations a single word of one writing system
// legitimately mixes (Unicode TS #39, "highly restrictive"): Japanese,
// Korean and Chinese with Bopomofo, each optionally with Latin.
var cjkSets = []map[string]bool{
	{"Latin": true, "Han": true, "Hiragana": true, "Katakana": true},
	{"Latin": true, "Han": true, "Hangul": true},
	{"Latin": true, "Han": true, "Bopomofo": true},
}

// MixesScripts reports whether s mixes writing systems in a way that lets
// it imitate another string: Latin with Cyrillic ("bоb" with a Cyrillic о)
// or Greek, and any other pair, following Unicode TS #39's "highly
// restrictive" level. Common and Inherited characters (digits, dots,
// hyphens, combining accents) belong to every script and do not count; the
// combinations of Japanese, Korean and Chinese writing (Han with kana, with
// Hangul or with Bopomofo, and Latin alongside them) are one system each.
func MixesScripts(s string) bool {
	seen := map[string]bool{}
	for _, r := range s {
		switch sc := Script(r); sc {
		case "Common", "Inherited", "":
		default:
			seen[sc] = true
		}
	}
	if len(seen) <= 1 {
		return false
	}
	for _, set := range cjkSets {
		if subset(seen, set) {
			return false
		}
	}
	return true
}

func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
