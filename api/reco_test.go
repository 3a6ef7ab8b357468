package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// recoProduct creates a published product with one variant at 10.00 EUR,
// stock units in the shop's warehouse, in categories; it returns the
// product and variant ids.
func (s *shop) recoProduct(title string, stock int64, attrs map[string]any, categories ...string) (string, string) {
	s.t.Helper()
	n := shopSeq.Add(1)
	var p struct {
		ID       string `json:"id"`
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	body := map[string]any{"title": fmt.Sprintf("%s %d", title, n), "status": "published",
		"category_ids": categories, "variants": []any{map[string]any{"sku": fmt.Sprintf("RECO-%d", n),
			"prices": []any{eur(1000)}}}}
	if attrs != nil {
		body["attributes"] = attrs
	}
	s.admin(http.MethodPost, "/v1/admin/products", body).Expect(s.t, http.StatusCreated).JSON(s.t, &p)
	if stock > 0 {
		s.admin(http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": p.Variants[0].ID,
			"warehouse_id": s.warehouse, "delta": stock, "reason": "opening stock"}).Expect(s.t, http.StatusCreated)
	}
	return p.ID, p.Variants[0].ID
}

func (s *shop) buyAs(p *shopper, key string, variants ...string) {
	s.t.Helper()
	p.newCart()
	for _, v := range variants {
		p.add(v, 1)
	}
	p.ready()
	p.placeOrder(key)
}

type recoList struct {
	Data []struct {
		ID string `json:"id"`
	} `json:"data"`
}

func (l recoList) ids() []string {
	out := make([]string, len(l.Data))
	for i, p := range l.Data {
		out[i] = p.ID
	}
	return out
}

func TestRecommendations(t *testing.T) {
	t.Parallel()
	s := newShop(t, 0, 0)
	var cat struct {
		ID string `json:"id"`
	}
	s.admin(http.MethodPost, "/v1/admin/categories", map[string]any{"name": fmt.Sprintf("Serums %d", shopSeq.Add(1))}).
		Expect(t, http.StatusCreated).JSON(t, &cat)
	a, va := s.recoProduct("Serum", 50, nil, cat.ID)
	b, vb := s.recoProduct("Toner", 50, nil)
	c, vc := s.recoProduct("Cream", 50, map[string]any{"consumable": true})
	gone, vgone := s.recoProduct("Mask", 1, nil)
	sibling, _ := s.recoProduct("Serum mini", 5, nil, cat.ID)
	_, _ = s.recoProduct("Unsold", 5, nil)

	first, second, third := s.customer(), s.customer(), s.customer()
	s.buyAs(first, "reco-1", va, vb)
	s.buyAs(second, "reco-2", va, vb, vgone) // the mask sells out
	s.buyAs(third, "reco-3", va, vc)
	s.drain()
	s.drain() // a second pass counts nothing twice

	var l recoList
	s.guest().do(http.MethodGet, "/v1/store/products/"+a+"/recommendations?limit=3", nil).Expect(t, http.StatusOK).JSON(t, &l)
	// Toner (2 orders), cream (1), then the category's sibling; never the sold-out mask.
	if got := l.ids(); fmt.Sprint(got) != fmt.Sprint([]string{b, c, sibling}) {
		t.Fatalf("bought with serum: %v, want %v", got, []string{b, c, sibling})
	}
	s.guest().do(http.MethodGet, "/v1/store/products/"+b+"/recommendations", nil).Expect(t, http.StatusOK).JSON(t, &l)
	if got := l.ids(); len(got) == 0 || got[0] != a {
		t.Fatalf("bought with toner: %v", got)
	}
	for _, id := range l.ids() {
		if id == gone || id == b {
			t.Fatalf("recommended %s: %v", id, l.ids())
		}
	}
	s.guest().do(http.MethodGet, "/v1/store/products/nope/recommendations", nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	s.guest().do(http.MethodGet, "/v1/store/products/"+a+"/recommendations?limit=0", nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")

	// The first customer bought the serum and the toner (not consumable):
	// never recommended back; the cream, bought with the serum, comes first.
	first.do(http.MethodGet, "/v1/store/customers/me/recommendations?limit=20", nil).Expect(t, http.StatusOK).JSON(t, &l)
	got := l.ids()
	if len(got) == 0 || got[0] != c {
		t.Fatalf("first's picks: %v (cream %s)", got, c)
	}
	for _, id := range got {
		if id == a || id == b || id == gone {
			t.Fatalf("first's picks hold %s: %v", id, got)
		}
	}
	// The third bought the cream, a consumable: it may come again.
	third.do(http.MethodGet, "/v1/store/customers/me/recommendations?limit=20", nil).Expect(t, http.StatusOK).JSON(t, &l)
	if got := l.ids(); len(got) == 0 || got[0] != b {
		t.Fatalf("third's picks: %v (toner %s first)", got, b)
	}
	s.guest().do(http.MethodGet, "/v1/store/customers/me/recommendations", nil).Expect(t, http.StatusUnauthorized)
}
