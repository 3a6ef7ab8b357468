package reco_test

import (
	"context"
	"testing"
	"time"

	"storekeep/internal/catalog"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/reco"
)

// fakeCatalog holds published products; stock says which are in stock.
type fakeCatalog struct {
	products map[string]catalog.AdviceProduct
	order    []string // newest first
	stock    map[string]int
}

func (f fakeCatalog) StoreProduct(_ context.Context, id string, _ catalog.StoreView) (catalog.Product, error) {
	p, ok := f.products[id]
	if !ok {
		return catalog.Product{}, catalog.ErrProductNotFound
	}
	return catalog.Product{ID: p.ID, Status: catalog.StatusPublished, Attributes: p.Attributes,
		Variants: []catalog.Variant{{Available: f.stock[id]}}}, nil
}

func (f fakeCatalog) ListProducts(context.Context, catalog.ListQuery) (catalog.ProductList, error) {
	return catalog.ProductList{}, nil
}

func (f fakeCatalog) AdviceCandidates(context.Context, string) ([]catalog.AdviceProduct, error) {
	var out []catalog.AdviceProduct
	for _, id := range f.order {
		if f.stock[id] > 0 {
			out = append(out, f.products[id])
		}
	}
	return out, nil
}

type fakeCustomers struct {
	bought []reco.Purchase
	quiz   reco.Quiz
}

func (f fakeCustomers) Purchases(context.Context, string) ([]reco.Purchase, error) {
	return f.bought, nil
}
func (f fakeCustomers) Quiz(context.Context, string) (reco.Quiz, error) { return f.quiz, nil }

func ids(ps []catalog.Product) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func TestForCustomerQuizAndHistory(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	cat := fakeCatalog{products: map[string]catalog.AdviceProduct{
		"p_serum":   {ID: "p_serum"},
		"p_dry":     {ID: "p_dry", Attributes: map[string]any{"skin_types": []any{"dry"}}},
		"p_dryacne": {ID: "p_dryacne", Attributes: map[string]any{"skin_types": []any{"dry"}, "concerns": []any{"acne"}}},
		"p_cream":   {ID: "p_cream", Attributes: map[string]any{"consumable": true}},
		"p_new":     {ID: "p_new"},
		"p_out":     {ID: "p_out", Attributes: map[string]any{"skin_types": []any{"dry"}}},
	}, order: []string{"p_new", "p_out", "p_dry", "p_dryacne", "p_cream", "p_serum"},
		stock: map[string]int{"p_serum": 3, "p_dry": 3, "p_dryacne": 3, "p_cream": 3, "p_new": 3}}
	cus := &fakeCustomers{}
	svc := reco.NewService(d, cat, cus, nil, nil)
	for i, o := range [][]string{{"p_serum", "p_cream"}, {"p_serum", "p_cream"}, {"p_serum", "p_dry"}} {
		if err := svc.RecordOrder(ctx, "order_"+string(rune('a'+i)), o); err != nil {
			t.Fatal(err)
		}
	}
	// Recording an order again counts nothing.
	if err := svc.RecordOrder(ctx, "order_a", []string{"p_serum", "p_cream"}); err != nil {
		t.Fatal(err)
	}

	// No history, no quiz: newest in stock.
	got, err := svc.ForCustomer(ctx, "cus_1", catalog.StoreView{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"p_new", "p_dry", "p_dryacne"}; !equal(ids(got), want) {
		t.Fatalf("no history: %v, want %v", ids(got), want)
	}
	// Quiz only: dry + acne (2) before dry (1), then the newest.
	cus.quiz = reco.Quiz{SkinType: "dry", Concern: "acne"}
	got, _ = svc.ForCustomer(ctx, "cus_1", catalog.StoreView{}, 3)
	if want := []string{"p_dryacne", "p_dry", "p_new"}; !equal(ids(got), want) {
		t.Fatalf("quiz: %v, want %v", ids(got), want)
	}
	// Bought the serum (not consumable) and the cream (consumable): the
	// cream (bought with the serum twice: 1.0) comes back, the serum never;
	// the dry product scores 0.5 + 1.
	cus.quiz = reco.Quiz{SkinType: "dry"}
	cus.bought = []reco.Purchase{{ProductID: "p_serum", At: time.Now()}, {ProductID: "p_cream", At: time.Now()}}
	got, _ = svc.ForCustomer(ctx, "cus_1", catalog.StoreView{}, 10)
	if want := []string{"p_dry", "p_dryacne", "p_cream", "p_new"}; !equal(ids(got), want) {
		t.Fatalf("history + quiz: %v, want %v", ids(got), want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
