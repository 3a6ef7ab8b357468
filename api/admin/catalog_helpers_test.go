package admin_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/admin"
	"storekeep/api/apitest"
)

// catalogTables are every table the catalog routes may write.
var catalogTables = []string{"products", "variants", "variant_prices", "product_options", "product_images",
	"product_categories", "product_collections", "categories", "collections", "translations"}

// catalogCounts returns the row count of each catalog table.
func catalogCounts(t *testing.T, h *apitest.Harness) map[string]int64 {
	t.Helper()
	return h.RowCounts(t, catalogTables...)
}

// unchanged fails when the catalog tables differ from before.
func unchanged(t *testing.T, h *apitest.Harness, before map[string]int64) {
	t.Helper()
	if d := cmp.Diff(before, catalogCounts(t, h)); d != "" {
		t.Errorf("catalog rows changed (-before +after):\n%s", d)
	}
}

// fieldsOf lists a problem's errors[].field.
func fieldsOf(p apitest.Problem) []string {
	out := []string{}
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

type catalogClient struct {
	t     *testing.T
	h     *apitest.Harness
	token string
}

func newCatalogClient(t *testing.T) *catalogClient {
	t.Helper()
	h := apitest.New(t)
	return &catalogClient{t: t, h: h, token: h.StaffToken(t, "manager")}
}

func (c *catalogClient) do(method, path string, body any) *apitest.Response {
	c.t.Helper()
	return c.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: c.token})
}

func (c *catalogClient) createProduct(body map[string]any) admin.Product {
	c.t.Helper()
	var p admin.Product
	c.do(http.MethodPost, "/v1/admin/products", body).Expect(c.t, http.StatusCreated).JSON(c.t, &p)
	return p
}

func (c *catalogClient) createCategory(body map[string]any) admin.Category {
	c.t.Helper()
	var cat admin.Category
	c.do(http.MethodPost, "/v1/admin/categories", body).Expect(c.t, http.StatusCreated).JSON(c.t, &cat)
	return cat
}

func (c *catalogClient) createCollection(body map[string]any) admin.Collection {
	c.t.Helper()
	var col admin.Collection
	c.do(http.MethodPost, "/v1/admin/collections", body).Expect(c.t, http.StatusCreated).JSON(c.t, &col)
	return col
}

func money(amount int64, currency string) map[string]any {
	return map[string]any{"amount": amount, "currency": currency}
}

// sizedProduct is a valid body: two sizes, EUR and USD prices, a cost.
func sizedProduct(title, skuPrefix string) map[string]any {
	return map[string]any{
		"title":       title,
		"description": "A gentle gel.",
		"status":      "published",
		"tags":        []string{"vegan"},
		"attributes":  map[string]any{"vegan": true, "skin_types": []string{"dry", "oily"}},
		"options":     []any{map[string]any{"name": "Size", "values": []string{"150 ml", "300 ml"}}},
		"variants": []any{
			map[string]any{"sku": skuPrefix + "-150", "options": map[string]string{"Size": "150 ml"},
				"prices": []any{money(1500, "EUR"), money(1700, "USD")}, "cost": money(400, "EUR"), "weight_grams": 180},
			map[string]any{"sku": skuPrefix + "-300", "options": map[string]string{"Size": "300 ml"},
				"prices": []any{money(2500, "EUR")}},
		},
		"images": []any{map[string]any{"url": "https://cdn.example.com/a.jpg", "alt": "bottle"}},
		"seo":    map[string]any{"title": "SEO title", "description": "SEO description"},
		"translations": map[string]any{
			"fr": map[string]any{"title": "Gel doux", "seo": map[string]any{"title": "Titre SEO"}},
		},
	}
}
