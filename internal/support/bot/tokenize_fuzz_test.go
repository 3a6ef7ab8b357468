package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTokens: any input, valid UTF-8 or not, tokenises and classifies
// without panicking, and every token is non-empty, folded and bounded in
// number.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"", "Où est ma commande SK-1042 ?", "ｆｕｌｌ", "\x00\xff\xfe", "l'avoine!!!",
		strings.Repeat("a ", 5000), "ǅ İ ß ﬁ", "#123456789012", "a@b.co", "\u0301\u0301e"} {
		f.Add(s)
	}
	ix := testIndexes()["fr"]
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		if len(toks) > maxTokens {
			t.Fatalf("%d tokens, max %d", len(toks), maxTokens)
		}
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("empty token from %q", s)
			}
			if utf8.ValidString(s) && fold(tok) != tok {
				t.Fatalf("token %q is not folded", tok)
			}
		}
		_ = Classify(s, ix)
		_ = bareNumber(s)
	})
}
