package text

import "testing"

func TestCheck(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		line, free Problem
	}{
		{"plain ASCII", "Gentle Foaming Cleanser", OK, OK},
		{"empty", "", OK, OK},
		{"accents", "Hélène Garçon-Dupré", OK, OK},
		{"Japanese", "山田 太郎", OK, OK},
		{"emoji with ZWJ and variation selector", "👩\u200d🔬 ❤\ufe0f", OK, OK},
		{"ZWNJ (Persian)", "می\u200cخواهم", OK, OK},
		{"NUL", "bob\x00", Control, Control},
		{"SOH", "a\x01b", Control, Control},
		{"escape", "a\x1b[31m", Control, Control},
		{"DEL", "a\x7fb", Control, Control},
		{"C1 NEL", "a\u0085b", Control, Control},
		{"C1 CSI", "a\u009bb", Control, Control},
		{"tab", "a\tb", LineBreak, OK},
		{"line feed", "line one\nline two", LineBreak, OK},
		{"carriage return", "a\r\nb", LineBreak, OK},
		{"line separator", "a\u2028b", LineBreak, OK},
		{"right-to-left override", "gpj\u202eexe.", Invisible, OK},
		{"right-to-left isolate", "a\u2067b", Invisible, OK},
		{"arabic letter mark", "a\u061cb", Invisible, OK},
		{"left-to-right mark", "a\u200eb", Invisible, OK},
		{"zero-width space", "bo\u200bb", Invisible, OK},
		{"soft hyphen", "bo\u00adb", Invisible, OK},
		{"byte order mark", "\ufeffbob", Invisible, OK},
		{"word joiner", "a\u2060b", Invisible, OK},
		{"hangul filler", "\u3164", Invisible, OK},
		{"halfwidth hangul filler", "\uffa0", Invisible, OK},
		{"invalid UTF-8", "caf\xe9", InvalidUTF8, InvalidUTF8},
		{"encoded surrogate", "\xed\xa0\x80", InvalidUTF8, InvalidUTF8},
		{"truncated rune", "\xe6\x97", InvalidUTF8, InvalidUTF8},
		{"a real replacement character", "\ufffd", OK, OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Check(tt.in, Line); got != tt.line {
				t.Errorf("Check(%q, Line) = %v, want %v", tt.in, got, tt.line)
			}
			if got := Check(tt.in, Free); got != tt.free {
				t.Errorf("Check(%q, Free) = %v, want %v", tt.in, got, tt.free)
			}
		})
	}
}

func TestEveryProblemHasAMessage(t *testing.T) {
	for _, p := range []Problem{InvalidUTF8, Control, LineBreak, Invisible} {
		if p.Message() == "" {
			t.Errorf("problem %d has no message", p)
		}
	}
	if OK.Message() != "" {
		t.Error("OK has a message")
	}
}

func TestEveryControlCharacterIsRefused(t *testing.T) {
	for r := rune(0); r <= 0x9f; r++ {
		control := r < 0x20 || r >= 0x7f
		if got := CheckRune(r, Line) != OK; got != control {
			t.Errorf("CheckRune(%U, Line) refused = %v, want %v", r, got, control)
		}
		lenient := r == '\t' || r == '\n' || r == '\r'
		if got := CheckRune(r, Free) != OK; got != (control && !lenient) {
			t.Errorf("CheckRune(%U, Free) refused = %v, want %v", r, got, control && !lenient)
		}
	}
}

func TestMixesScripts(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"bob", false},
		{"b\u043eb", true},            // Cyrillic о between Latin letters
		{"\u0440\u0430ypal", true},    // Cyrillic р, а + Latin
		{"\u03bfmega", true},          // Greek ο + Latin
		{"иван.петров", false},        // all Cyrillic
		{"ελένη", false},              // all Greek
		{"jean-pierre.2024", false},   // digits, dots, hyphens are Common
		{"re\u0301sume\u0301", false}, // combining accents are Inherited
		{"山田たろう", false},              // Han + Hiragana: Japanese
		{"ヤマダ太郎", false},              // Katakana + Han
		{"taro山田", false},             // Latin + Japanese
		{"김민준", false},                // Hangul
		{"kim김", false},               // Latin + Korean
		{"иван山田", true},              // Cyrillic + Han
		{"שלום", false},               // Hebrew
		{"shalomשלום", true},          // Latin + Hebrew
		{"", false},
	}
	for _, tt := range tests {
		if got := MixesScripts(tt.in); got != tt.want {
			t.Errorf("MixesScripts(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestScript(t *testing.T) {
	for r, want := range map[rune]string{'a': "Latin", 'é': "Latin", 'о': "Cyrillic", 'ο': "Greek", '1': "Common",
		'.': "Common", '\u0301': "Inherited", '山': "Han", 'ᚠ': "Runic"} {
		if got := Script(r); got != want {
			t.Errorf("Script(%q) = %q, want %q", r, got, want)
		}
	}
}
