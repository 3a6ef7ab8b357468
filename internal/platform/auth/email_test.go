package auth

import (
	"strings"
	"testing"

	"storekeep/internal/platform/errs"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"bob@example.com", "bob@example.com"},
		{"  Ada@Example.COM ", "ada@example.com"},
		{"ｂｏｂ@example.com", "bob@example.com"},              // full-width letters (NFKC)
		{"bob＠ｅｘａｍｐｌｅ．ｃｏｍ", "bob@example.com"},              // full-width at sign and domain
		{"ﬁnn@example.com", "finn@example.com"},             // the fi ligature
		{"bob@xn--bcher-kva.example", "bob@bücher.example"}, // punycode domain, Unicode form
		{"bob@BÜCHER.example", "bob@bücher.example"},
		{"ИВАН@пример.рф", "иван@пример.рф"},
		{"not-an-email", "not-an-email"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeEmail(tt.in); got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"ASCII", "bob@example.com", true},
		{"accents", "hélène@exemple.fr", true},
		{"all Cyrillic", "иван@пример.рф", true},
		{"Cyrillic local part, Latin domain", "иван@example.com", true},
		{"all Greek", "ελένη@παράδειγμα.gr", true},
		{"Japanese", "山田たろう@例え.jp", true},
		{"plus and dots", "bob.smith+shop@example.co.uk", true},
		{"Cyrillic о in a Latin local part", "b\u043eb@example.com", false},
		{"Greek ο in a Latin local part", "b\u03bfb@example.com", false},
		{"mixed domain label", "bob@ex\u0430mple.com", false},
		{"right-to-left override", "bob\u202e@example.com", false},
		{"zero-width space", "bo\u200bb@example.com", false},
		{"NUL", "bob\x00@example.com", false},
		{"newline", "bob\n@example.com", false},
		{"space", "bob smith@example.com", false},
		{"no local part", "@example.com", false},
		{"no domain", "bob@", false},
		{"no at", "bob", false},
		{"domain IDNA refuses", "bob@exa_mple.com", false},
		{"too long", "b@" + strings.Repeat("a", 250) + ".com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckEmail("email", NormalizeEmail(tt.in))
			if (err == nil) != tt.ok {
				t.Fatalf("CheckEmail(%q) = %v, want ok %v", tt.in, err, tt.ok)
			}
			if err != nil {
				e, ok := errs.As(err)
				if !ok || e.Code != "validation_failed" || len(e.Fields) != 1 || e.Fields[0].Field != "email" {
					t.Errorf("CheckEmail(%q) = %#v, want a 422 naming email", tt.in, err)
				}
			}
		})
	}
}

// TestLookalikesNormalizeApartButCompatibilityFormsTogether: NFKC merges
// forms that are the same letters (full-width, ligatures) but not letters of
// other scripts that merely look alike, which CheckEmail refuses instead.
func TestLookalikesNormalizeApartButCompatibilityFormsTogether(t *testing.T) {
	if NormalizeEmail("ｂｏｂ@example.com") != NormalizeEmail("BOB@example.com") {
		t.Error("full-width and ASCII bob differ")
	}
	if NormalizeEmail("b\u043eb@example.com") == NormalizeEmail("bob@example.com") {
		t.Error("a Cyrillic о was folded into a Latin o: normalisation cannot be the defence")
	}
}
