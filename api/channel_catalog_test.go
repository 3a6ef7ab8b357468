package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
)

// channelShop is two warehouses, two channels (A fulfilled by the first,
// B by the second), a category and three published products:
// aurora on A only (5 in the first warehouse, 7 in the second), borealis on
// A and B (3 in the second warehouse), web on the default channel only.
type channelShop struct {
	h                          *apitest.Harness
	mgr                        string
	wh1, wh2                   string
	chA, chB                   salesChannel
	keyA, keyB                 string
	category                   string
	aurora, borealis, web      string // product ids
	auroraVar, borealisVar     string // their variants
	auroraHandle, webVariantID string
}

type channelProduct struct {
	ID              string   `json:"id"`
	Handle          string   `json:"handle"`
	SalesChannelIDs []string `json:"sales_channel_ids"`
	Variants        []struct {
		ID        string `json:"id"`
		Available int    `json:"available"`
		InStock   bool   `json:"in_stock"`
		Prices    []struct {
			Amount   int64  `json:"amount"`
			Currency string `json:"currency"`
		} `json:"prices"`
	} `json:"variants"`
}

func newChannelShop(t *testing.T) *channelShop {
	t.Helper()
	h := apitest.New(t)
	s := &channelShop{h: h, mgr: h.StaffToken(t, "manager")}
	var obj struct {
		ID string `json:"id"`
	}
	for i, code := range []string{"LYON", "PARIS"} {
		s.admin(t, http.MethodPost, "/v1/admin/warehouses", map[string]any{"code": code, "name": code,
			"country_code": "FR"}).Expect(t, http.StatusCreated).JSON(t, &obj)
		if i == 0 {
			s.wh1 = obj.ID
		} else {
			s.wh2 = obj.ID
		}
	}
	var k publishableKey
	s.chA, k = newChannel(t, h, s.mgr, "mobile", s.wh1)
	s.keyA = k.Key
	s.chB, k = newChannel(t, h, s.mgr, "pos", s.wh2)
	s.keyB = k.Key
	s.admin(t, http.MethodPost, "/v1/admin/categories", map[string]any{"name": "Serums"}).
		Expect(t, http.StatusCreated).JSON(t, &obj)
	s.category = obj.ID

	p := s.product(t, "Aurora Serum", "AUR-1", 1999, []string{s.chA.ID})
	s.aurora, s.auroraVar, s.auroraHandle = p.ID, p.Variants[0].ID, p.Handle
	p = s.product(t, "Borealis Cream", "BOR-1", 2450, []string{s.chA.ID, s.chB.ID})
	s.borealis, s.borealisVar = p.ID, p.Variants[0].ID
	p = s.product(t, "Web Toner", "WEB-1", 900, nil)
	s.web, s.webVariantID = p.ID, p.Variants[0].ID
	s.stock(t, s.auroraVar, s.wh1, 5)
	s.stock(t, s.auroraVar, s.wh2, 7)
	s.stock(t, s.borealisVar, s.wh2, 3)
	return s
}

func (s *channelShop) admin(t *testing.T, method, path string, body any) *apitest.Response {
	t.Helper()
	return s.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: s.mgr})
}

// product creates a published product in the category; channels nil
// leaves sales_channel_ids out of the request.
func (s *channelShop) product(t *testing.T, title, sku string, price int64, channels []string) channelProduct {
	t.Helper()
	body := map[string]any{"title": title, "status": "published", "category_ids": []string{s.category},
		"variants": []any{map[string]any{"sku": sku, "prices": []any{eur(price)}}},
		"images":   []any{map[string]any{"url": "https://cdn.example.com/" + sku + ".jpg"}}}
	if channels != nil {
		body["sales_channel_ids"] = channels
	}
	var p channelProduct
	s.admin(t, http.MethodPost, "/v1/admin/products", body).Expect(t, http.StatusCreated).JSON(t, &p)
	return p
}

func (s *channelShop) stock(t *testing.T, variant, warehouse string, qty int64) {
	t.Helper()
	s.admin(t, http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": variant,
		"warehouse_id": warehouse, "delta": qty, "reason": "opening stock"}).Expect(t, http.StatusCreated)
}

// listed is the ids a store listing shows with key ("" for none).
func (s *channelShop) listed(t *testing.T, query, key string) []string {
	t.Helper()
	var l struct {
		Data []channelProduct `json:"data"`
	}
	storeGet(s.h, "/v1/store/products"+query, key).Expect(t, http.StatusOK).JSON(t, &l)
	ids := []string{}
	for _, p := range l.Data {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return ids
}

func (s *channelShop) adminProduct(t *testing.T, id string) channelProduct {
	t.Helper()
	var p channelProduct
	s.admin(t, http.MethodGet, "/v1/admin/products/"+id, nil).Expect(t, http.StatusOK).JSON(t, &p)
	return p
}

func sortedIDs(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// A product on channel A only is invisible with B's key: in the listing
// (every filter and sort), search, the product page by id and handle, and
// the categories' counts; availability with A's key counts only A's
// warehouses. Channel A's cached pages are never served to B.
func TestStoreCatalogPerChannel(t *testing.T) {
	s := newChannelShop(t)

	if got := s.adminProduct(t, s.web).SalesChannelIDs; !slices.Equal(got, []string{defaultChannelID}) {
		t.Errorf("created without sales_channel_ids: %v, want the default channel only", got)
	}
	if got := s.adminProduct(t, s.borealis).SalesChannelIDs; !slices.Equal(got, sortedIDs(s.chA.ID, s.chB.ID)) {
		t.Errorf("borealis channels = %v", got)
	}

	for _, q := range []string{"", "?q=serum", "?q=aurora", "?category=" + s.category, "?currency=EUR&sort=price_asc",
		"?currency=EUR&min_price=100&max_price=5000", "?sort=title", "?limit=1"} {
		// A first, then B with the same query: B must not get A's cached page.
		a, b, none := s.listed(t, q, s.keyA), s.listed(t, q, s.keyB), s.listed(t, q, "")
		if slices.Contains(b, s.aurora) {
			t.Errorf("%q with B's key lists aurora (on A only): %v", q, b)
		}
		if slices.Contains(none, s.aurora) || slices.Contains(none, s.borealis) {
			t.Errorf("%q without a key lists products off the default channel: %v", q, none)
		}
		if q == "" {
			if d := cmp.Diff(sortedIDs(s.aurora, s.borealis), a); d != "" {
				t.Errorf("A's listing (-want +got):\n%s", d)
			}
			if d := cmp.Diff([]string{s.borealis}, b); d != "" {
				t.Errorf("B's listing (-want +got):\n%s", d)
			}
			if d := cmp.Diff([]string{s.web}, none); d != "" {
				t.Errorf("the default channel's listing (-want +got):\n%s", d)
			}
		}
	}
	if got := s.listed(t, "?q=aurora", s.keyA); !slices.Equal(got, []string{s.aurora}) {
		t.Errorf("search aurora with A's key = %v", got)
	}

	for _, ref := range []string{s.aurora, s.auroraHandle} {
		storeGet(s.h, "/v1/store/products/"+ref, s.keyB).ExpectProblem(t, http.StatusNotFound, "not_found")
		storeGet(s.h, "/v1/store/products/"+ref, "").ExpectProblem(t, http.StatusNotFound, "not_found")
	}

	// Availability: aurora has 5 in A's warehouse and 7 in the other.
	var p channelProduct
	storeGet(s.h, "/v1/store/products/"+s.aurora, s.keyA).Expect(t, http.StatusOK).JSON(t, &p)
	if v := p.Variants[0]; v.Available != 5 || !v.InStock {
		t.Errorf("aurora with A's key: available %d in_stock %v, want 5 (A's warehouse only)", v.Available, v.InStock)
	}
	storeGet(s.h, "/v1/store/products/"+s.borealis, s.keyA).Expect(t, http.StatusOK).JSON(t, &p)
	if v := p.Variants[0]; v.Available != 0 || v.InStock {
		t.Errorf("borealis with A's key: available %d in_stock %v, want none (its stock is in B's warehouse)", v.Available, v.InStock)
	}
	storeGet(s.h, "/v1/store/products/"+s.borealis, s.keyB).Expect(t, http.StatusOK).JSON(t, &p)
	if v := p.Variants[0]; v.Available != 3 || !v.InStock {
		t.Errorf("borealis with B's key: available %d in_stock %v, want 3", v.Available, v.InStock)
	}
	// A channel without warehouses sells nothing from stock.
	social, kc := newChannel(t, s.h, s.mgr, "social")
	s.admin(t, http.MethodPost, "/v1/admin/sales-channels/"+social.ID+"/products", map[string]any{"add": []string{s.aurora}}).
		Expect(t, http.StatusOK)
	storeGet(s.h, "/v1/store/products/"+s.aurora, kc.Key).Expect(t, http.StatusOK).JSON(t, &p)
	if v := p.Variants[0]; v.Available != 0 || v.InStock {
		t.Errorf("aurora on a channel without warehouses: available %d in_stock %v", v.Available, v.InStock)
	}
	// Staff see the shop-wide figure.
	if v := s.adminProduct(t, s.aurora).Variants[0]; v.Available != 12 {
		t.Errorf("admin aurora available = %d, want 12 (every warehouse)", v.Available)
	}

	// Category counts per channel.
	count := func(key string) int {
		var tree struct {
			Data []struct {
				ID           string `json:"id"`
				ProductCount int    `json:"product_count"`
			} `json:"data"`
		}
		storeGet(s.h, "/v1/store/categories", key).Expect(t, http.StatusOK).JSON(t, &tree)
		for _, c := range tree.Data {
			if c.ID == s.category {
				return c.ProductCount
			}
		}
		t.Fatalf("category %s not in the tree", s.category)
		return 0
	}
	if a, b, none := count(s.keyA), count(s.keyB), count(""); a != 2 || b != 1 || none != 1 {
		t.Errorf("category counts A %d, B %d, default %d; want 2, 1, 1", a, b, none)
	}
}

// sales_channel_ids on the admin product: PATCH replaces the list, an
// unknown channel is a 422 that changes nothing; the bulk route adds and
// removes atomically and each changed product's event carries its new list.
func TestProductSalesChannels(t *testing.T) {
	s := newChannelShop(t)
	t.Run("patch", func(t *testing.T) {
		var p channelProduct
		s.admin(t, http.MethodPatch, "/v1/admin/products/"+s.web, map[string]any{
			"sales_channel_ids": []string{s.chB.ID, defaultChannelID}}).Expect(t, http.StatusOK).JSON(t, &p)
		if d := cmp.Diff(sortedIDs(s.chB.ID, defaultChannelID), p.SalesChannelIDs); d != "" {
			t.Errorf("after PATCH (-want +got):\n%s", d)
		}
		if got := s.listed(t, "", s.keyB); !slices.Contains(got, s.web) {
			t.Errorf("B's listing after the PATCH = %v, want the web toner in it", got)
		}
		before := s.h.RowCounts(t, "product_sales_channels", "events")
		res := s.admin(t, http.MethodPatch, "/v1/admin/products/"+s.web, map[string]any{
			"sales_channel_ids": []string{s.chA.ID, "sc_01jq3v6m2b8k9x7c5d4e3f2g1h"}})
		res.ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		if !hasField(t, res, "sales_channel_ids[1]") {
			t.Errorf("the 422 does not name sales_channel_ids[1]: %s", res.Body)
		}
		s.admin(t, http.MethodPost, "/v1/admin/products", map[string]any{"title": "Ghost", "sales_channel_ids": []string{"sc_01jq3v6m2b8k9x7c5d4e3f2g1h"},
			"variants": []any{map[string]any{"sku": "GHOST-1", "prices": []any{eur(100)}}}}).
			ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		if d := cmp.Diff(before, s.h.RowCounts(t, "product_sales_channels", "events")); d != "" {
			t.Errorf("a refused change wrote rows (-before +after):\n%s", d)
		}
		if got := s.adminProduct(t, s.web).SalesChannelIDs; !slices.Equal(got, sortedIDs(s.chB.ID, defaultChannelID)) {
			t.Errorf("after a refused PATCH: %v", got)
		}
		s.admin(t, http.MethodPatch, "/v1/admin/products/"+s.web, map[string]any{"sales_channel_ids": []string{}}).
			Expect(t, http.StatusOK).JSON(t, &p)
		if len(p.SalesChannelIDs) != 0 || slices.Contains(s.listed(t, "", ""), s.web) {
			t.Errorf("sales_channel_ids [] leaves %v and the default listing still shows it", p.SalesChannelIDs)
		}
	})

	t.Run("bulk", func(t *testing.T) {
		path := "/v1/admin/sales-channels/" + s.chB.ID + "/products"
		before := s.h.RowCounts(t, "product_sales_channels", "events")
		s.admin(t, http.MethodPost, "/v1/admin/sales-channels/sc_01jq3v6m2b8k9x7c5d4e3f2g1h/products",
			map[string]any{"add": []string{s.aurora}}).ExpectProblem(t, http.StatusNotFound, "sales_channel_not_found")
		res := s.admin(t, http.MethodPost, path, map[string]any{"add": []string{s.aurora, "prod_01jq3v6m2b8k9x7c5d4e3f2g1h"}})
		res.ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		if !hasField(t, res, "add[1]") {
			t.Errorf("the 422 does not name add[1]: %s", res.Body)
		}
		s.admin(t, http.MethodPost, path, map[string]any{"add": []string{s.aurora}, "remove": []string{s.aurora}}).
			ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		if d := cmp.Diff(before, s.h.RowCounts(t, "product_sales_channels", "events")); d != "" {
			t.Errorf("a refused bulk change wrote rows (-before +after):\n%s", d)
		}

		var out struct {
			SalesChannelID string `json:"sales_channel_id"`
			Added          int    `json:"added"`
			Removed        int    `json:"removed"`
		}
		s.admin(t, http.MethodPost, path, map[string]any{"add": []string{s.aurora, s.borealis}, "remove": []string{s.web}}).
			Expect(t, http.StatusOK).JSON(t, &out)
		if out.SalesChannelID != s.chB.ID || out.Added != 1 || out.Removed != 0 {
			t.Errorf("bulk answer = %+v, want 1 added (borealis was already on B), 0 removed", out)
		}
		if d := cmp.Diff(sortedIDs(s.aurora, s.borealis), s.listed(t, "", s.keyB)); d != "" {
			t.Errorf("B's listing after the bulk add (-want +got):\n%s", d)
		}
		var ev struct {
			Data []event `json:"data"`
		}
		s.admin(t, http.MethodGet, "/v1/admin/events?type=product.updated&resource_id="+s.aurora, nil).
			Expect(t, http.StatusOK).JSON(t, &ev)
		if len(ev.Data) != 1 {
			t.Fatalf("aurora has %d product.updated events, want 1", len(ev.Data))
		}
		apitest.MatchSchema(t, "AdminProduct", ev.Data[0].Data)
		var payload channelProduct
		if err := json.Unmarshal(ev.Data[0].Data, &payload); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(sortedIDs(s.chA.ID, s.chB.ID), payload.SalesChannelIDs); d != "" {
			t.Errorf("the event's sales_channel_ids (-want +got):\n%s", d)
		}
		s.admin(t, http.MethodPost, path, map[string]any{"remove": []string{s.aurora}}).Expect(t, http.StatusOK).JSON(t, &out)
		if out.Removed != 1 || slices.Contains(s.listed(t, "", s.keyB), s.aurora) {
			t.Errorf("bulk remove = %+v; B still lists aurora: %v", out, s.listed(t, "", s.keyB))
		}
	})
}

// hasField reports whether a problem names field among its errors.
func hasField(t *testing.T, res *apitest.Response, field string) bool {
	t.Helper()
	var p struct {
		Errors []struct {
			Field string `json:"field"`
		} `json:"errors"`
	}
	res.JSON(t, &p)
	return slices.ContainsFunc(p.Errors, func(e struct {
		Field string `json:"field"`
	}) bool {
		return e.Field == field
	})
}
