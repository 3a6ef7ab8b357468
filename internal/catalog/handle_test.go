package catalog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var slugCases = []struct{ title, want string }{
	{"Gentle Foaming Cleanser", "gentle-foaming-cleanser"},
	{"crème", "creme"},
	{"Crème Brûlée, Ça Va?", "creme-brulee-ca-va"},
	{"  Hello,   World!! ", "hello-world"},
	{"Straße", "strasse"},
	{"Æsop Œuvre", "aesop-oeuvre"},
	{"Ångström 50ml", "angstrom-50ml"},
	{"Łódź", "lodz"},
	{"ﬁne", "fine"},
	{"100% Pure Oil (30 ml)", "100-pure-oil-30-ml"},
	{"保湿クリーム", ""},
	{"Crème 保湿", "creme"},
	{"---", ""},
	{"", ""},
	{"already-a-handle", "already-a-handle"},
	{strings.Repeat("x", 150), strings.Repeat("x", 100)},
	{strings.Repeat("ab ", 80), strings.TrimSuffix(strings.Repeat("ab-", 33), "-")},
}

func TestSlugify(t *testing.T) {
	for _, tc := range slugCases {
		t.Run(tc.title, func(t *testing.T) {
			if got := Slugify(tc.title); got != tc.want {
				t.Errorf("Slugify(%q) = %q, want %q", tc.title, got, tc.want)
			}
		})
	}
}

// FuzzSlugify checks the slugifier's promises for any input: the result is a
// valid handle (or empty), short enough for a suffix, and stable.
func FuzzSlugify(f *testing.F) {
	for _, tc := range slugCases {
		f.Add(tc.title)
	}
	f.Add("\xff\xfe invalid utf-8")
	f.Add("İstanbul ǅemal ﬃ")
	f.Fuzz(func(t *testing.T, title string) {
		got := Slugify(title)
		if got != "" && !ValidHandle(got) {
			t.Fatalf("Slugify(%q) = %q, not a valid handle", title, got)
		}
		if len(got) > generatedHandleLen {
			t.Fatalf("Slugify(%q) is %d bytes, over %d", title, len(got), generatedHandleLen)
		}
		if again := Slugify(got); again != got {
			t.Fatalf("Slugify is not idempotent: %q -> %q -> %q", title, got, again)
		}
		if !utf8.ValidString(Fold(title)) && utf8.ValidString(title) {
			t.Fatalf("Fold(%q) is not valid UTF-8", title)
		}
	})
}

func TestValidHandle(t *testing.T) {
	for h, want := range map[string]bool{
		"a": true, "a-b": true, "a1-2b": true, "": false, "-a": false, "a-": false, "a--b": false,
		"A": false, "a_b": false, "a b": false, "é": false, strings.Repeat("a", MaxHandleLen): true,
		strings.Repeat("a", MaxHandleLen+1): false,
	} {
		if got := ValidHandle(h); got != want {
			t.Errorf("ValidHandle(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestUniqueHandle(t *testing.T) {
	cases := []struct {
		name  string
		taken []string
		want  string
	}{
		{"free", nil, "glow"},
		{"taken", []string{"glow"}, "glow-2"},
		{"suffixes taken", []string{"glow", "glow-2", "glow-3"}, "glow-4"},
		{"gap is reused", []string{"glow", "glow-3"}, "glow-2"},
		{"only suffixed taken", []string{"glow-2"}, "glow"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := uniqueHandle("glow", tc.taken); got != tc.want {
				t.Errorf("uniqueHandle(glow, %v) = %q, want %q", tc.taken, got, tc.want)
			}
		})
	}
}

func TestGeneratedHandlesSkipTakenOnes(t *testing.T) {
	s := newService(t)
	var got []string
	for i, in := range []ProductInput{
		simpleProduct("Glow", "G1"), simpleProduct("GLOW!", "G2"), simpleProduct("Glöw", "G3"),
		{Title: "Other", Handle: "glow-5", Variants: []VariantInput{{SKU: "G4", Prices: simpleProduct("", "").Variants[0].Prices}}},
		simpleProduct("Glow", "G5"), simpleProduct("保湿", "G6"), simpleProduct("クリーム", "G7"),
	} {
		p := mustCreate(t, s, in)
		got = append(got, p.Handle)
		_ = i
	}
	want := []string{"glow", "glow-2", "glow-3", "glow-5", "glow-4", "product", "product-2"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("handles = %v, want %v", got, want)
	}
}
