package catalog

import (
	"fmt"
	"testing"

	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// BenchmarkListProducts measures the storefront listing of 20 products with
// three variants each (the N+1-free loading path) on the database under test.
func BenchmarkListProducts(b *testing.B) {
	s := NewService(dbtest.New(b))
	cat, err := s.CreateCategory(b.Context(), admin, CategoryInput{Name: "All"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 40 {
		in := ProductInput{
			Title: fmt.Sprintf("Product %d", i), Status: "published", Description: "A product description.",
			Tags: []string{"vegan", "dry"}, CategoryIDs: []string{cat.ID},
			Attributes:   map[string]any{"vegan": true, "skin_types": []string{"dry", "oily"}},
			Options:      []OptionInput{{Name: "Size", Values: []string{"S", "M", "L"}}},
			Images:       []ImageInput{{URL: "https://img.example/p.jpg", Alt: "p"}},
			Translations: map[string]TranslationInput{"fr": {Title: fmt.Sprintf("Produit %d", i)}},
		}
		for _, size := range []string{"S", "M", "L"} {
			in.Variants = append(in.Variants, VariantInput{SKU: fmt.Sprintf("P%d-%s", i, size),
				Options: map[string]string{"Size": size},
				Prices:  []money.Amount{eur(1000), usd(1200)}})
		}
		if _, err := s.CreateProduct(b.Context(), admin, in); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name string
		q    ListQuery
	}{
		{"newest", ListQuery{}},
		{"fr_eur_price", ListQuery{Sort: SortPriceAsc, StoreView: StoreView{Currency: "EUR", Locale: LocaleRequest{Param: "fr"}}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q := bc.q
			q.Page = page.Request{Limit: 20}
			for b.Loop() {
				l, err := s.ListProducts(b.Context(), q)
				if err != nil || len(l.Data) != 20 {
					b.Fatal(err, len(l.Data))
				}
			}
		})
	}
}
