package catalog

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/dbtest"
)

// TestSearch runs on the database under test: SQLite FTS5 by default, the
// PostgreSQL tsvector index when TEST_DATABASE_URL is set.
func TestSearch(t *testing.T) {
	s := newService(t)
	t.Logf("postgres: %v", dbtest.Postgres())
	create := func(in ProductInput) Product { t.Helper(); return mustCreate(t, s, in) }
	cleanser := simpleProduct("Gentle Foaming Cleanser", "GFC-150")
	cleanser.Description = "Soap-free, for every skin type."
	cleanser.Tags = []string{"vegan"}
	cleanser.Translations = map[string]TranslationInput{"fr": {Title: "Nettoyant moussant doux", Description: "Sans savon."},
		"de": {Title: "Sanfter Schaumreiniger"}}
	gfc := create(cleanser)
	cream := simpleProduct("Crème Riche", "CR-50")
	cream.Description = "A rich cream for dry skin."
	cr := create(cream)
	draft := simpleProduct("Hidden Cleanser", "HC")
	draft.Status = "draft"
	hidden := create(draft)

	ids := map[string]string{gfc.ID: "gfc", cr.ID: "cream", hidden.ID: "hidden"}
	search := func(q string) []string {
		t.Helper()
		l, err := s.ListProducts(t.Context(), ListQuery{Q: q, Page: pr(50)})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		out := []string{}
		for _, p := range l.Data {
			out = append(out, ids[p.ID])
		}
		sort.Strings(out)
		return out
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"cleanser", []string{"gfc"}},
		{"CLEANSER", []string{"gfc"}},
		{"foam", []string{"gfc"}},           // prefix of "foaming"
		{"gentle clean", []string{"gfc"}},   // every word, as prefixes
		{"gentle cream", []string{}},        // words must all match
		{"soap", []string{"gfc"}},           // description
		{"vegan", []string{"gfc"}},          // tag
		{"gfc", []string{"gfc"}},            // SKU
		{"nettoyant", []string{"gfc"}},      // French title
		{"savon", []string{"gfc"}},          // French description
		{"schaumreiniger", []string{"gfc"}}, // German title: every language is searchable
		{"creme", []string{"cream"}},        // accent folded in the index
		{"crème", []string{"cream"}},        // and in the query
		{"cream", []string{"cream"}},        // description
		{"dry skin", []string{"cream"}},
		{"skin", []string{"cream", "gfc"}},
		{"hidden", []string{}}, // drafts are not in the store
		{"'; DROP TABLE products; --", []string{}},
		{`"unbalanced * AND OR NEAR(`, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			if d := cmp.Diff(tc.want, search(tc.q)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}

	// The index follows edits: a new title is found, the old one is not.
	title := "Calming Toner"
	if _, err := s.UpdateProduct(t.Context(), admin, gfc.ID, ProductPatch{Title: &title,
		Translations: map[string]*TranslationInput{"de": nil}}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"toner": {"gfc"}, "foaming": {}, "schaumreiniger": {}, "nettoyant": {"gfc"}} {
		if d := cmp.Diff(want, search(q)); d != "" {
			t.Errorf("after the edit, %q (-want +got):\n%s", q, d)
		}
	}
	// Staff search every status.
	l, err := s.AdminListProducts(t.Context(), admin, AdminListQuery{Q: "hidden", Page: pr(10)})
	if err != nil || len(l.Data) != 1 || l.Data[0].ID != hidden.ID {
		t.Errorf("admin search for a draft: %v %+v", err, l.Data)
	}
}

func TestSearchRanksTitleMatchesFirst(t *testing.T) {
	s := newService(t)
	inDescription := simpleProduct("Night Balm", "NB")
	inDescription.Description = "Pairs well with our rose toner."
	older := mustCreate(t, s, simpleProduct("Rose Toner", "RT"))
	newer := mustCreate(t, s, inDescription)
	l, err := s.ListProducts(t.Context(), ListQuery{Q: "rose toner", Page: pr(10)})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Data) != 2 || l.Data[0].ID != older.ID || l.Data[1].ID != newer.ID {
		t.Errorf("relevance order = %v, want the title match %s first", l.Data, older.ID)
	}
}
