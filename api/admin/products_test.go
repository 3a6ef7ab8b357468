package admin_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/api/admin"
	"storekeep/api/apitest"
	"storekeep/api/store"
	mny "storekeep/internal/platform/money"
)

func TestCreateProductReturnsTheAdminView(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	got := c.createProduct(sizedProduct("Gentle Foaming Cleanser", "GFC"))
	want := admin.Product{
		Handle: "gentle-foaming-cleanser", Title: "Gentle Foaming Cleanser", Description: "A gentle gel.",
		Status: "published", CategoryIDs: []string{}, CollectionIDs: []string{}, Tags: []string{"vegan"},
		Attributes: map[string]any{"vegan": true, "skin_types": []any{"dry", "oily"}},
		Options:    []store.ProductOption{{Name: "Size", Values: []string{"150 ml", "300 ml"}}},
		Variants: []admin.Variant{
			{SKU: "GFC-150", Title: "150 ml", Options: map[string]string{"Size": "150 ml"},
				Prices: []mny.Amount{{Minor: 1500, Currency: "EUR"}, {Minor: 1700, Currency: "USD"}},
				Cost:   &mny.Amount{Minor: 400, Currency: "EUR"}, WeightGrams: 180},
			{SKU: "GFC-300", Title: "300 ml", Options: map[string]string{"Size": "300 ml"}, Position: 1,
				Prices: []mny.Amount{{Minor: 2500, Currency: "EUR"}}},
		},
		Images: []store.ProductImage{{URL: "https://cdn.example.com/a.jpg", Alt: "bottle"}},
		SEO:    store.SEO{Title: "SEO title", Description: "SEO description"},
		Translations: map[string]admin.ProductTranslation{
			"fr": {Title: "Gel doux", SEO: store.SEO{Title: "Titre SEO"}}},
		// Created without sales_channel_ids: the default web channel only.
		SalesChannelIDs: []string{"sc_00000000000000000000000web"},
	}
	opts := cmp.Options{
		cmpopts.IgnoreFields(admin.Product{}, "ID", "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(admin.Variant{}, "ID"),
	}
	if d := cmp.Diff(want, got, opts); d != "" {
		t.Errorf("created product (-want +got):\n%s", d)
	}
	if !strings.HasPrefix(got.ID, "prod_") || !strings.HasPrefix(got.Variants[0].ID, "var_") {
		t.Errorf("ids = %s, %s", got.ID, got.Variants[0].ID)
	}
	var again admin.Product
	c.do(http.MethodGet, "/v1/admin/products/"+got.ID, nil).Expect(t, http.StatusOK).JSON(t, &again)
	if d := cmp.Diff(got, again); d != "" {
		t.Errorf("GET differs from the POST response (-post +get):\n%s", d)
	}
}

func TestProductLifecycleAndStoreVisibility(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	body := sizedProduct("Rose Toner", "RT")
	body["status"] = "draft"
	p := c.createProduct(body)

	storeIDs := func() []string {
		t.Helper()
		var l store.ProductList
		c.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products"}).Expect(t, http.StatusOK).JSON(t, &l)
		ids := []string{}
		for _, sp := range l.Data {
			ids = append(ids, sp.ID)
		}
		return ids
	}
	storeGet := func(idOrHandle string) int {
		t.Helper()
		return c.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products/" + idOrHandle}).Status
	}
	if ids := storeIDs(); len(ids) != 0 || storeGet(p.ID) != http.StatusNotFound || storeGet(p.Handle) != http.StatusNotFound {
		t.Fatalf("a draft is visible in the store: list %v", ids)
	}

	var pub admin.Product
	c.do(http.MethodPatch, "/v1/admin/products/"+p.ID, map[string]any{"status": "published"}).
		Expect(t, http.StatusOK).JSON(t, &pub)
	if pub.Status != "published" || pub.Title != p.Title || len(pub.Variants) != 2 {
		t.Fatalf("after publishing: %+v", pub)
	}
	if ids := storeIDs(); !slices.Equal(ids, []string{p.ID}) || storeGet(p.Handle) != http.StatusOK {
		t.Fatalf("published product not in the store: %v", ids)
	}

	c.do(http.MethodDelete, "/v1/admin/products/"+p.ID, nil).Expect(t, http.StatusNoContent)
	if ids := storeIDs(); len(ids) != 0 || storeGet(p.ID) != http.StatusNotFound {
		t.Fatalf("archived product still in the store: %v", ids)
	}
	var archived admin.Product
	c.do(http.MethodGet, "/v1/admin/products/"+p.ID, nil).Expect(t, http.StatusOK).JSON(t, &archived)
	if archived.Status != "archived" || archived.ArchivedAt == nil {
		t.Errorf("admin view after DELETE: status %q archived_at %v", archived.Status, archived.ArchivedAt)
	}
	// The admin list filters by status.
	var l admin.ProductList
	c.do(http.MethodGet, "/v1/admin/products?status=archived", nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != p.ID {
		t.Errorf("archived list = %+v", l.Data)
	}
	c.do(http.MethodGet, "/v1/admin/products?status=published", nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 0 {
		t.Errorf("published list = %+v", l.Data)
	}
}

func TestCreateProductRejectsInvalidFields(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	cat := c.createCategory(map[string]any{"name": "Cleansers"})
	// each case edits a valid body; want lists the errors[].field expected
	cases := []struct {
		name string
		edit func(b map[string]any)
		want []string
	}{
		{"title missing", func(b map[string]any) { delete(b, "title") }, []string{"title"}},
		{"title blank", func(b map[string]any) { b["title"] = "   " }, []string{"title"}},
		{"title too long", func(b map[string]any) { b["title"] = strings.Repeat("a", 201) }, []string{"title"}},
		{"handle pattern", func(b map[string]any) { b["handle"] = "Not A Handle" }, []string{"handle"}},
		{"handle double hyphen", func(b map[string]any) { b["handle"] = "a--b" }, []string{"handle"}},
		{"status", func(b map[string]any) { b["status"] = "live" }, []string{"status"}},
		{"no variants", func(b map[string]any) { b["variants"] = []any{} }, []string{"variants"}},
		{"unknown currency", func(b map[string]any) { variant(b, 0)["prices"] = []any{money(100, "XXX")} },
			[]string{"variants[0].prices[0].currency"}},
		{"lower-case currency", func(b map[string]any) { variant(b, 0)["prices"] = []any{money(100, "eur")} },
			[]string{"variants[0].prices[0].currency"}},
		{"negative price", func(b map[string]any) { variant(b, 1)["prices"] = []any{money(-1, "EUR")} },
			[]string{"variants[1].prices[0].amount"}},
		{"price too large", func(b map[string]any) { variant(b, 1)["prices"] = []any{money(100_000_000_001, "EUR")} },
			[]string{"variants[1].prices[0].amount"}},
		{"repeated currency", func(b map[string]any) {
			variant(b, 1)["prices"] = []any{money(1, "EUR"), money(2, "EUR")}
		}, []string{"variants[1].prices[1].currency"}},
		{"no prices", func(b map[string]any) { variant(b, 1)["prices"] = []any{} }, []string{"variants[1].prices"}},
		{"bad cost currency", func(b map[string]any) { variant(b, 0)["cost"] = money(1, "ZZZ") }, []string{"variants[0].cost.currency"}},
		{"option value missing", func(b map[string]any) { variant(b, 0)["options"] = map[string]string{} },
			[]string{"variants[0].options.Size"}},
		{"option value not allowed", func(b map[string]any) {
			variant(b, 0)["options"] = map[string]string{"Size": "1 l"}
		}, []string{"variants[0].options.Size"}},
		{"unknown option", func(b map[string]any) {
			variant(b, 0)["options"] = map[string]string{"Size": "150 ml", "Colour": "red"}
		}, []string{"variants[0].options.Colour"}},
		{"repeated option combination", func(b map[string]any) {
			variant(b, 1)["options"] = map[string]string{"Size": "150 ml"}
		}, []string{"variants[1].options"}},
		{"repeated sku", func(b map[string]any) { variant(b, 1)["sku"] = "X-150"; variant(b, 0)["sku"] = "X-150" },
			[]string{"variants[1].sku"}},
		{"sku with spaces", func(b map[string]any) { variant(b, 0)["sku"] = "A B" }, []string{"variants[0].sku"}},
		{"variant id on create", func(b map[string]any) { variant(b, 0)["id"] = "var_06h1wbq28dxanf5st2bqp8yfxm" },
			[]string{"variants[0].id"}},
		{"weight", func(b map[string]any) { variant(b, 0)["weight_grams"] = -5 }, []string{"variants[0].weight_grams"}},
		{"duplicate option name", func(b map[string]any) {
			b["options"] = []any{map[string]any{"name": "Size", "values": []string{"150 ml", "300 ml"}},
				map[string]any{"name": "size", "values": []string{"x"}}}
			variant(b, 0)["options"] = map[string]string{"Size": "150 ml", "size": "x"}
			variant(b, 1)["options"] = map[string]string{"Size": "300 ml", "size": "x"}
		}, []string{"options[1].name"}},
		{"option without values", func(b map[string]any) {
			b["options"] = []any{map[string]any{"name": "Size", "values": []string{}}}
		}, []string{"options[0].values", "variants[0].options.Size", "variants[1].options.Size"}},
		{"image url not http", func(b map[string]any) { b["images"] = []any{map[string]any{"url": "ftp://x/y.jpg"}} },
			[]string{"images[0].url"}},
		{"image url relative", func(b map[string]any) { b["images"] = []any{map[string]any{"url": "/a.jpg"}} },
			[]string{"images[0].url"}},
		{"locale", func(b map[string]any) { b["translations"] = map[string]any{"french": map[string]any{"title": "x"}} },
			[]string{"translations.french"}},
		{"default locale", func(b map[string]any) { b["translations"] = map[string]any{"en": map[string]any{"title": "x"}} },
			[]string{"translations.en"}},
		{"unknown category", func(b map[string]any) {
			b["category_ids"] = []string{cat.ID, "cat_06h1wbq289tcsfkv0n05e2brnc"}
		}, []string{"category_ids[1]"}},
		{"malformed category id", func(b map[string]any) { b["category_ids"] = []string{"cleansers"} },
			[]string{"category_ids[0]"}},
		{"unknown collection", func(b map[string]any) { b["collection_ids"] = []string{"col_06h1wbq289tcsfkv0n05e2brnc"} },
			[]string{"collection_ids[0]"}},
		{"attribute object", func(b map[string]any) { b["attributes"] = map[string]any{"x": map[string]any{}} },
			[]string{"attributes.x"}},
		{"attribute mixed list", func(b map[string]any) { b["attributes"] = map[string]any{"x": []any{"a", 1}} },
			[]string{"attributes.x"}},
		{"attribute key", func(b map[string]any) { b["attributes"] = map[string]any{"Skin Type": "dry"} },
			[]string{"attributes.Skin Type"}},
		{"empty tag", func(b map[string]any) { b["tags"] = []string{"ok", " "} }, []string{"tags[1]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := catalogCounts(t, c.h)
			body := sizedProduct("Valid Title", "V")
			tc.edit(body)
			p := c.do(http.MethodPost, "/v1/admin/products", body).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
			if d := cmp.Diff(tc.want, fieldsOf(p)); d != "" {
				t.Errorf("errors[].field (-want +got):\n%s", d)
			}
			unchanged(t, c.h, before)
		})
	}
}

// variant returns the i-th variant of a sizedProduct body.
func variant(b map[string]any, i int) map[string]any {
	return b["variants"].([]any)[i].(map[string]any)
}

func TestCreateProductRejectsMalformedBodies(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	withField := func(k string, v any) string {
		b := sizedProduct("Valid", "M")
		b[k] = v
		raw, _ := json.Marshal(b)
		return string(raw)
	}
	cases := []struct {
		name, body string
	}{
		{"not JSON", `{"title": `},
		{"array", `[]`},
		{"client-chosen id", withField("id", "prod_06h1wbq289tcsfkv0n05e2brnc")},
		{"client-chosen created_at", withField("created_at", "2020-01-01T00:00:00Z")},
		{"cost at product level", withField("cost", money(1, "EUR"))},
		{"wrong type", withField("title", 42)},
		{"unknown variant field", strings.Replace(withField("tags", []string{}), `"sku":"M-150"`, `"sku":"M-150","available":99`, 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := catalogCounts(t, c.h)
			c.do(http.MethodPost, "/v1/admin/products", tc.body).ExpectProblem(t, http.StatusBadRequest, "malformed_request")
			unchanged(t, c.h, before)
		})
	}
}

func TestHandlesAndSKUsAreUnique(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	first := c.createProduct(sizedProduct("Crème Légère", "CL"))
	if first.Handle != "creme-legere" {
		t.Errorf("handle = %q, want creme-legere", first.Handle)
	}
	second := c.createProduct(sizedProduct("Crème légère!", "CL2"))
	if second.Handle != "creme-legere-2" {
		t.Errorf("colliding generated handle = %q, want creme-legere-2", second.Handle)
	}

	before := catalogCounts(t, c.h)
	b := sizedProduct("Another", "AN")
	b["handle"] = "creme-legere"
	p := c.do(http.MethodPost, "/v1/admin/products", b).ExpectProblem(t, http.StatusConflict, "handle_taken")
	if d := cmp.Diff([]string{"handle"}, fieldsOf(p)); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
	b = sizedProduct("Another", "AN")
	variant(b, 1)["sku"] = "CL-150"
	p = c.do(http.MethodPost, "/v1/admin/products", b).ExpectProblem(t, http.StatusConflict, "sku_taken")
	if d := cmp.Diff([]string{"variants[1].sku"}, fieldsOf(p)); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
	c.do(http.MethodPatch, "/v1/admin/products/"+second.ID, map[string]any{"handle": "creme-legere"}).
		ExpectProblem(t, http.StatusConflict, "handle_taken")
	unchanged(t, c.h, before)
	var got admin.Product
	c.do(http.MethodGet, "/v1/admin/products/"+second.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Handle != "creme-legere-2" {
		t.Errorf("handle changed to %q by a refused PATCH", got.Handle)
	}
}

func TestPatchProduct(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	p := c.createProduct(sizedProduct("Night Cream", "NC"))
	keep, drop := p.Variants[0], p.Variants[1]

	var got admin.Product
	c.do(http.MethodPatch, "/v1/admin/products/"+p.ID, map[string]any{
		"title":   "Rich Night Cream",
		"options": []any{map[string]any{"name": "Size", "values": []string{"150 ml", "300 ml", "500 ml"}}},
		"variants": []any{
			map[string]any{"id": keep.ID, "sku": "NC-150B", "options": map[string]string{"Size": "150 ml"},
				"prices": []any{money(1600, "EUR")}},
			map[string]any{"sku": "NC-500", "options": map[string]string{"Size": "500 ml"}, "prices": []any{money(3900, "EUR")}},
		},
		"translations": map[string]any{"fr": nil, "de": map[string]any{"title": "Reichhaltige Nachtcreme"}},
	}).Expect(t, http.StatusOK).JSON(t, &got)

	if got.Title != "Rich Night Cream" || got.Handle != "night-cream" || got.Description != p.Description {
		t.Errorf("title/handle/description = %q/%q/%q", got.Title, got.Handle, got.Description)
	}
	if len(got.Variants) != 2 || got.Variants[0].ID != keep.ID || got.Variants[0].SKU != "NC-150B" ||
		got.Variants[1].SKU != "NC-500" || got.Variants[1].ID == drop.ID {
		t.Fatalf("variants = %+v", got.Variants)
	}
	if got.Variants[0].Cost != nil {
		t.Errorf("a variant entry replaces the whole variant, cost should be gone: %+v", got.Variants[0].Cost)
	}
	if _, ok := got.Translations["fr"]; ok || got.Translations["de"].Title != "Reichhaltige Nachtcreme" {
		t.Errorf("translations = %+v", got.Translations)
	}
	// The removed variant's SKU stays reserved.
	c.do(http.MethodPost, "/v1/admin/products/"+p.ID+"/variants", map[string]any{
		"sku": drop.SKU, "options": map[string]string{"Size": "300 ml"}, "prices": []any{money(1, "EUR")},
	}).ExpectProblem(t, http.StatusConflict, "sku_taken")

	before := catalogCounts(t, c.h)
	c.do(http.MethodPatch, "/v1/admin/products/"+p.ID, map[string]any{
		"options": []any{map[string]any{"name": "Size", "values": []string{"150 ml"}}},
	}).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPatch, "/v1/admin/products/"+p.ID, map[string]any{"status": "gone"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPatch, "/v1/admin/products/"+p.ID, map[string]any{"variants": []any{
		map[string]any{"id": "var_06h1wbq28dxanf5st2bqp8yfxm", "sku": "X", "options": map[string]string{"Size": "150 ml"},
			"prices": []any{money(1, "EUR")}}}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPatch, "/v1/admin/products/"+p.ID, `{"title": "x", "price": 1}`).
		ExpectProblem(t, http.StatusBadRequest, "malformed_request")
	unchanged(t, c.h, before)
	var after admin.Product
	c.do(http.MethodGet, "/v1/admin/products/"+p.ID, nil).Expect(t, http.StatusOK).JSON(t, &after)
	if d := cmp.Diff(got, after); d != "" {
		t.Errorf("refused PATCHes changed the product (-before +after):\n%s", d)
	}
}

func TestVariantSubRoutes(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	p := c.createProduct(sizedProduct("Clay Mask", "CM"))
	base := "/v1/admin/products/" + p.ID + "/variants"

	var got admin.Product
	c.do(http.MethodPatch, "/v1/admin/products/"+p.ID, map[string]any{
		"options": []any{map[string]any{"name": "Size", "values": []string{"150 ml", "300 ml", "50 ml"}}},
	}).Expect(t, http.StatusOK)
	c.do(http.MethodPost, base, map[string]any{"sku": "CM-50", "options": map[string]string{"Size": "50 ml"},
		"prices": []any{money(900, "EUR")}, "allow_backorder": true}).Expect(t, http.StatusCreated).JSON(t, &got)
	if len(got.Variants) != 3 || got.Variants[2].SKU != "CM-50" || got.Variants[2].Title != "50 ml" || !got.Variants[2].InStock {
		t.Fatalf("after POST variants = %+v", got.Variants)
	}
	added := got.Variants[2].ID

	c.do(http.MethodPatch, base+"/"+added, map[string]any{"prices": []any{money(950, "EUR"), money(1100, "USD")}, "title": "Mini"}).
		Expect(t, http.StatusOK).JSON(t, &got)
	want := []mny.Amount{{Minor: 950, Currency: "EUR"}, {Minor: 1100, Currency: "USD"}}
	if v := got.Variants[2]; !cmp.Equal(v.Prices, want) || v.Title != "Mini" || v.SKU != "CM-50" {
		t.Errorf("patched variant = %+v", v)
	}

	before := catalogCounts(t, c.h)
	p422 := c.do(http.MethodPatch, base+"/"+added, map[string]any{"options": map[string]string{"Size": "150 ml"}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if d := cmp.Diff([]string{"options"}, fieldsOf(p422)); d != "" {
		t.Errorf("a clash is reported on the patched variant (-want +got):\n%s", d)
	}
	c.do(http.MethodPatch, base+"/"+added, map[string]any{"sku": "CM-150"}).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPost, base, map[string]any{"sku": "CM-X", "options": map[string]string{"Size": "300 ml"},
		"prices": []any{money(1, "EUR")}}).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPatch, base+"/var_06h1wbq28dxanf5st2bqp8yfxm", map[string]any{"title": "x"}).ExpectProblem(t, http.StatusNotFound, "not_found")
	c.do(http.MethodPatch, base+"/nope", map[string]any{"title": "x"}).ExpectProblem(t, http.StatusNotFound, "not_found")
	unchanged(t, c.h, before)

	c.do(http.MethodDelete, base+"/"+p.Variants[0].ID, nil).Expect(t, http.StatusNoContent)
	c.do(http.MethodDelete, base+"/"+p.Variants[1].ID, nil).Expect(t, http.StatusNoContent)
	c.do(http.MethodDelete, base+"/"+p.Variants[1].ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	c.do(http.MethodDelete, base+"/"+added, nil).ExpectProblem(t, http.StatusUnprocessableEntity, "last_variant")
	c.do(http.MethodGet, "/v1/admin/products/"+p.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if len(got.Variants) != 1 || got.Variants[0].ID != added {
		t.Errorf("variants after removals = %+v", got.Variants)
	}
}

func TestUnknownAndMalformedProductIDsAre404(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	before := catalogCounts(t, c.h)
	for _, pid := range []string{"prod_06h1wbq289tcsfkv0n05e2brnc", "nope", "var_06h1wbq28dxanf5st2bqp8yfxm"} {
		c.do(http.MethodGet, "/v1/admin/products/"+pid, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
		c.do(http.MethodPatch, "/v1/admin/products/"+pid, map[string]any{"title": "x"}).ExpectProblem(t, http.StatusNotFound, "not_found")
		c.do(http.MethodDelete, "/v1/admin/products/"+pid, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
		c.do(http.MethodPost, "/v1/admin/products/"+pid+"/variants", map[string]any{"sku": "x", "prices": []any{money(1, "EUR")}}).
			ExpectProblem(t, http.StatusNotFound, "not_found")
	}
	unchanged(t, c.h, before)
}

func TestCatalogRoles(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	p := c.createProduct(sizedProduct("Role Test", "RO"))
	customer, _ := c.h.CustomerToken(t)
	support := c.h.StaffToken(t, "support")
	warehouse := c.h.StaffToken(t, "warehouse")
	adminTok := c.h.StaffToken(t, "admin")
	body := sizedProduct("Created By Role", "CR")

	before := catalogCounts(t, c.h)
	cases := []struct {
		name, token, method, path string
		body                      any
		status                    int
	}{
		{"no token create", "", http.MethodPost, "/v1/admin/products", body, http.StatusUnauthorized},
		{"no token read", "", http.MethodGet, "/v1/admin/products", nil, http.StatusUnauthorized},
		{"customer create", customer, http.MethodPost, "/v1/admin/products", body, http.StatusForbidden},
		{"customer read", customer, http.MethodGet, "/v1/admin/products/" + p.ID, nil, http.StatusForbidden},
		{"support create", support, http.MethodPost, "/v1/admin/products", body, http.StatusForbidden},
		{"support patch", support, http.MethodPatch, "/v1/admin/products/" + p.ID, map[string]any{"title": "x"}, http.StatusForbidden},
		{"support archive", support, http.MethodDelete, "/v1/admin/products/" + p.ID, nil, http.StatusForbidden},
		{"support category", support, http.MethodPost, "/v1/admin/categories", map[string]any{"name": "x"}, http.StatusForbidden},
		{"support collection", support, http.MethodPost, "/v1/admin/collections", map[string]any{"title": "x"}, http.StatusForbidden},
		{"warehouse read", warehouse, http.MethodGet, "/v1/admin/products", nil, http.StatusForbidden},
		{"support read", support, http.MethodGet, "/v1/admin/products/" + p.ID, nil, http.StatusOK},
		{"support list", support, http.MethodGet, "/v1/admin/categories", nil, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.h.Do(apitest.Request{Method: tc.method, Path: tc.path, Body: tc.body, Token: tc.token})
			res.Expect(t, tc.status)
		})
	}
	unchanged(t, c.h, before)
	c.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/products", Body: body, Token: adminTok}).
		Expect(t, http.StatusCreated)
}
