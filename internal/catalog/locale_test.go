package catalog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAcceptLanguage(t *testing.T) {
	cases := []struct {
		header string
		want   []string
	}{
		{"", []string{}},
		{"fr", []string{"fr"}},
		{"fr-CA, fr;q=0.9, en;q=0.8", []string{"fr-CA", "fr", "en"}},
		{"en;q=0.5, de-DE;q=0.9, fr", []string{"fr", "de-DE", "en"}},
		{"FR_ca", []string{"fr-CA"}},
		{"zh-Hant-TW, zh;q=0.5", []string{"zh"}},
		{"*, fr;q=0.1", []string{"fr"}},
		{"fr;q=0, de", []string{"de"}},
		{"fr;q=abc, de;q=0.5", []string{"de"}},
		{"de;q=0.5, de;q=0.9", []string{"de"}},
		{"x-klingon, 123", []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			if d := cmp.Diff(tc.want, ParseAcceptLanguage(tc.header)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestMatchLocale(t *testing.T) {
	avail := []string{"de-CH", "fr", "fr-CA"}
	cases := []struct {
		name   string
		prefs  []string
		locale string
		chain  []string
	}{
		{"nothing asked", nil, "en", nil},
		{"exact", []string{"fr"}, "fr", []string{"fr"}},
		{"exact region keeps the language as fallback", []string{"fr-CA"}, "fr-CA", []string{"fr-CA", "fr"}},
		{"region falls back to the language", []string{"fr-BE"}, "fr", []string{"fr"}},
		{"language takes a regional translation", []string{"de"}, "de-CH", []string{"de-CH"}},
		{"unsupported, then supported", []string{"it", "fr"}, "fr", []string{"fr"}},
		{"English first wins", []string{"en", "fr"}, "en", nil},
		{"English region is English", []string{"en-GB", "fr"}, "en", nil},
		{"nothing matches", []string{"it", "es"}, "en", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, chain := matchLocale(tc.prefs, avail)
			if l != tc.locale {
				t.Errorf("locale = %q, want %q", l, tc.locale)
			}
			if d := cmp.Diff(tc.chain, chain); d != "" {
				t.Errorf("chain (-want +got):\n%s", d)
			}
		})
	}
}

func TestLocalizeFallsBackFieldByField(t *testing.T) {
	trs := map[string]Translation{"fr-CA": {Title: "Titre CA"}, "fr": {Title: "Titre", Description: "Description FR"}}
	chain := []string{"fr-CA", "fr"}
	got := []string{
		localize(trs, chain, "Title", Translation.title),
		localize(trs, chain, "Description", Translation.description),
		localize(trs, chain, "SEO", Translation.seoTitle),
	}
	if d := cmp.Diff([]string{"Titre CA", "Description FR", "SEO"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
