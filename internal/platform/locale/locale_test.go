package locale_test

import (
	"testing"

	"storekeep/internal/platform/locale"
)

func TestFromAcceptLanguage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ header, want string }{
		{"", ""},
		{"fr-FR,fr;q=0.9,en;q=0.8", "fr"},
		{"de-DE, en;q=0.5", "en"},
		{"de, it", ""},
		{"en;q=0.4, fr;q=0.7", "fr"},
		{"fr;q=0, en", "en"},
		{"FR_ca", "fr"},
		{"*", ""},
		{"fr;q=abc, en;q=0.1", "en"},
	} {
		if got := locale.FromAcceptLanguage(tt.header); got != tt.want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestPickPrefersTheExplicitChoice(t *testing.T) {
	t.Parallel()
	if got := locale.Pick("fr", "en"); got != "fr" {
		t.Errorf("Pick(fr, en) = %q", got)
	}
	if got := locale.Pick("de", "fr-BE"); got != "fr" {
		t.Errorf("Pick(de, fr-BE) = %q, want the header's fr", got)
	}
	if got := locale.Pick("", ""); got != "" {
		t.Errorf("Pick(\"\", \"\") = %q, want empty", got)
	}
	if !locale.Valid("en") || locale.Valid("EN") || locale.Valid("de") {
		t.Error("Valid accepts exactly the supported locales")
	}
}
