package bot

import (
	"math"
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Où est ma commande ?", []string{"command"}},
		{"How long does SHIPPING take?", []string{"long", "ship", "tak"}},
		{"shipped, ships, shipping", []string{"ship", "ship", "ship"}},
		{"livraison livrer livré", []string{"livr", "livr", "livr"}},
		{"Crème à l'avoine", []string{"crem", "avoin"}},
		{"remboursement / rembourser", []string{"rembour", "rembour"}},
		{"delivery deliver delivered deliveries", []string{"deliv", "deliv", "deliv", "deliv"}},
		{"animaux animal", []string{"animal", "animal"}},
		{"livrez-vous ?", []string{"livr"}},
		{"ｆｕｌｌ-width", []string{"full", "width"}},
		{"", nil},
		{"the a of le la", nil},
	}
	for _, tc := range tests {
		got := Tokens(tc.in)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBM25Score(t *testing.T) {
	ix := newIndex([][]string{
		{"ship", "time", "deliver"},
		{"return", "refund", "return"},
		{"vegan", "animal"},
	})
	// Hand computation for "refund" in document 1: N=3, df=1,
	// idf = ln(1 + 2.5/1.5); tf=1, |d|=3, avgdl=8/3.
	idf := math.Log(1 + 2.5/1.5)
	norm := bm25K1 * (1 - bm25B + bm25B*3/(8.0/3))
	want := idf * 1 * (bm25K1 + 1) / (1 + norm)
	got, cov := ix.score(1, []string{"refund"})
	if math.Abs(got-want) > 1e-9 || cov != 1 {
		t.Errorf("score = %v coverage %v, want %v coverage 1", got, cov, want)
	}
	// A term twice in a document beats it once; a repeated query term
	// counts once; a missing term adds nothing but lowers the coverage.
	twice, _ := ix.score(1, []string{"return"})
	once, _ := ix.score(1, []string{"refund"})
	if twice <= once {
		t.Errorf("tf 2 scores %v, tf 1 %v: want more", twice, once)
	}
	rep, _ := ix.score(1, []string{"refund", "refund"})
	if rep != once {
		t.Errorf("repeated query term scored %v, want %v", rep, once)
	}
	s, cov := ix.score(1, []string{"refund", "mars"})
	if s != once || cov != 0.5 {
		t.Errorf("score with a missing term = %v coverage %v, want %v coverage 0.5", s, cov, once)
	}
	if d, _, _ := ix.best([]string{"vegan"}); d != 2 {
		t.Errorf("best(vegan) = %d, want 2", d)
	}
	if d, s, _ := ix.best([]string{"nothing"}); d != -1 || s != 0 {
		t.Errorf("best(nothing) = %d %v, want -1 0", d, s)
	}
	if d, _, _ := newIndex(nil).best([]string{"x"}); d != -1 {
		t.Errorf("empty index best = %d, want -1", d)
	}
}

// TestBM25RarerTermWins: a word found in one entry weighs more than one
// found in all of them (idf), so the telling word picks the entry.
func TestBM25RarerTermWins(t *testing.T) {
	ix := newIndex([][]string{
		{"product", "vegan"},
		{"product", "ingredient"},
		{"product", "ship"},
	})
	common, _ := ix.score(0, []string{"product"})
	rare, _ := ix.score(0, []string{"vegan"})
	if common >= rare {
		t.Errorf("common term %v >= rare term %v", common, rare)
	}
	if common < 0 {
		t.Errorf("idf went negative: %v", common)
	}
	if d, _, _ := ix.best([]string{"product", "ingredient"}); d != 1 {
		t.Errorf("best = %d, want 1", d)
	}
}

func TestFAQThreshold(t *testing.T) {
	ix := testIndexes()["en"]
	if m := ix.match("refund"); !m.OK || m.FAQ.ID != "faq_return" {
		t.Errorf("refund: %+v, want faq_return OK", m)
	}
	// Same best entry, but a higher threshold refuses it: the threshold is
	// what decides, not the ranking.
	strict := newFAQIndex(testFAQs()["en"], 100)
	if m := strict.match("refund"); m.OK || m.FAQ.ID != "faq_return" {
		t.Errorf("strict refund: %+v, want faq_return not OK", m)
	}
	var none *faqIndex
	if m := none.match("refund"); m.OK {
		t.Errorf("nil index matched: %+v", m)
	}
}
