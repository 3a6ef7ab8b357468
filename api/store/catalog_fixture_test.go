package store_test

import (
	"net/http"
	"net/url"
	"testing"

	"storekeep/api/admin"
	"storekeep/api/apitest"
	"storekeep/api/store"
)

// shop is a small catalog built through the admin API:
//
//	skincare (root) > cleansers > gels;  skincare > moisturisers;  tools (root)
//	1 aloe    Aloe Gel Cleanser  gels          bestsellers  vegan,gel  EUR 1200/1800, USD 1500  fr title
//	2 barrier Barrier Cream      moisturisers  new-in       rich       EUR 3000
//	3 calm    Calm Toner         skincare                   vegan      EUR 900/2500, USD 1000
//	4 clay    Deep Clay Mask     cleansers     bestsellers             EUR 1200 ("cream" in description)
//	5 draft   Extra Draft        (draft)                               EUR 100
//	6 foam    Foam Wash          tools                                 USD 800 ("crème" in description)
//	7 serum   Glow Serum         (archived)                            EUR 5000
//
// Products are created in that order, so newest first is 6, 4, 3, 2, 1.
type shop struct {
	h     *apitest.Harness
	token string
	cat   map[string]admin.Category
	col   map[string]admin.Collection
	prod  map[string]admin.Product
}

func newShop(t *testing.T) *shop {
	t.Helper()
	h := apitest.New(t)
	s := &shop{h: h, token: h.StaffToken(t, "manager"), cat: map[string]admin.Category{},
		col: map[string]admin.Collection{}, prod: map[string]admin.Product{}}
	s.category(t, "skincare", "Skincare", "", "Soins", 1)
	s.category(t, "tools", "Tools", "", "", 0)
	s.category(t, "cleansers", "Cleansers", "skincare", "Nettoyants", 0)
	s.category(t, "moisturisers", "Moisturisers", "skincare", "", 1)
	s.category(t, "gels", "Gels", "cleansers", "", 0)
	s.collection(t, "bestsellers", "Bestsellers", "Meilleures ventes")
	s.collection(t, "new-in", "New In", "")

	s.product(t, "aloe", map[string]any{
		"title": "Aloe Gel Cleanser", "description": "Cleanses without stripping.",
		"category_ids": []string{s.cat["gels"].ID}, "collection_ids": []string{s.col["bestsellers"].ID},
		"tags": []string{"vegan", "gel"}, "attributes": map[string]any{"vegan": true, "skin_types": []string{"oily"}, "spf": 0},
		"options": []any{map[string]any{"name": "Size", "values": []string{"150 ml", "300 ml"}}},
		"variants": []any{
			variant("ALOE-150", "150 ml", 1200, 1500),
			variant("ALOE-300", "300 ml", 1800, 0),
		},
		"translations": map[string]any{"fr": map[string]any{"title": "Nettoyant gel à l'aloès", "seo": map[string]any{"title": "Gel aloès"}}},
		"seo":          map[string]any{"title": "Aloe gel", "description": "Aloe gel cleanser"},
	})
	s.product(t, "barrier", map[string]any{
		"title": "Barrier Cream", "category_ids": []string{s.cat["moisturisers"].ID},
		"collection_ids": []string{s.col["new-in"].ID}, "tags": []string{"rich"},
		"attributes": map[string]any{"vegan": false, "skin_types": []string{"dry"}},
		"variants":   []any{variant("BAR-1", "", 3000, 0)},
	})
	s.product(t, "calm", map[string]any{
		"title": "Calm Toner", "category_ids": []string{s.cat["skincare"].ID}, "tags": []string{"vegan"},
		"attributes": map[string]any{"vegan": true, "skin_types": []string{"dry", "sensitive"}, "scent": "none"},
		"options":    []any{map[string]any{"name": "Size", "values": []string{"50 ml", "200 ml"}}},
		"variants":   []any{variant("CALM-50", "50 ml", 900, 1000), variant("CALM-200", "200 ml", 2500, 0)},
	})
	s.product(t, "clay", map[string]any{
		"title": "Deep Clay Mask", "description": "Rinses off like a cream.",
		"category_ids": []string{s.cat["cleansers"].ID}, "collection_ids": []string{s.col["bestsellers"].ID},
		"variants": []any{variant("CLAY-1", "", 1200, 0)},
	})
	s.product(t, "draft", map[string]any{"title": "Extra Draft", "status": "draft", "variants": []any{variant("DRAFT-1", "", 100, 0)}})
	s.product(t, "foam", map[string]any{
		"title": "Foam Wash", "description": "A light crème for sensitive skin.",
		"category_ids": []string{s.cat["tools"].ID}, "variants": []any{variant("FOAM-1", "", 0, 800)},
	})
	s.product(t, "serum", map[string]any{"title": "Glow Serum", "variants": []any{variant("SERUM-1", "", 5000, 0)}})
	s.admin(t, http.MethodDelete, "/v1/admin/products/"+s.prod["serum"].ID, nil).Expect(t, http.StatusNoContent)
	return s
}

// variant is a variant body priced in EUR and/or USD (0 = no price there).
func variant(sku, size string, eur, usd int64) map[string]any {
	var prices []any
	if eur > 0 {
		prices = append(prices, map[string]any{"amount": eur, "currency": "EUR"})
	}
	if usd > 0 {
		prices = append(prices, map[string]any{"amount": usd, "currency": "USD"})
	}
	v := map[string]any{"sku": sku, "prices": prices, "cost": map[string]any{"amount": 1, "currency": "EUR"}}
	if size != "" {
		v["options"] = map[string]string{"Size": size}
	}
	return v
}

func (s *shop) admin(t *testing.T, method, path string, body any) *apitest.Response {
	t.Helper()
	return s.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: s.token})
}

func (s *shop) category(t *testing.T, handle, name, parent, nameFR string, position int) {
	t.Helper()
	body := map[string]any{"name": name, "handle": handle, "position": position}
	if parent != "" {
		body["parent_id"] = s.cat[parent].ID
	}
	if nameFR != "" {
		body["translations"] = map[string]any{"fr": map[string]any{"name": nameFR}}
	}
	var c admin.Category
	s.admin(t, http.MethodPost, "/v1/admin/categories", body).Expect(t, http.StatusCreated).JSON(t, &c)
	s.cat[handle] = c
}

func (s *shop) collection(t *testing.T, handle, title, titleFR string) {
	t.Helper()
	body := map[string]any{"title": title, "handle": handle}
	if titleFR != "" {
		body["translations"] = map[string]any{"fr": map[string]any{"title": titleFR}}
	}
	var c admin.Collection
	s.admin(t, http.MethodPost, "/v1/admin/collections", body).Expect(t, http.StatusCreated).JSON(t, &c)
	s.col[handle] = c
}

func (s *shop) product(t *testing.T, name string, body map[string]any) {
	t.Helper()
	if body["status"] == nil {
		body["status"] = "published"
	}
	var p admin.Product
	s.admin(t, http.MethodPost, "/v1/admin/products", body).Expect(t, http.StatusCreated).JSON(t, &p)
	s.prod[name] = p
}

// names maps product ids back to fixture names.
func (s *shop) names(ps []store.Product) []string {
	out := []string{}
	for _, p := range ps {
		for n, ap := range s.prod {
			if ap.ID == p.ID {
				out = append(out, n)
			}
		}
	}
	return out
}

// list GETs the store listing with query q and headers.
func (s *shop) list(t *testing.T, q url.Values, hdr map[string]string) (store.ProductList, *apitest.Response) {
	t.Helper()
	res := s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?" + q.Encode(), Header: hdr})
	var l store.ProductList
	if res.Status == http.StatusOK {
		res.JSON(t, &l)
	}
	return l, res
}

// walk follows next_cursor through every page and returns the names in order.
func (s *shop) walk(t *testing.T, q url.Values) []string {
	t.Helper()
	var out []string
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("pagination does not end")
		}
		l, res := s.list(t, q, nil)
		res.Expect(t, http.StatusOK)
		out = append(out, s.names(l.Data)...)
		if l.NextCursor == nil {
			return out
		}
		q.Set("cursor", *l.NextCursor)
	}
}
