package admin_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/api/apitest"
	"storekeep/internal/checkout"
)

// pricingTables are every table the pricing routes may write.
var pricingTables = []string{"regions", "region_countries", "shipping_options", "promotions", "promotion_usages"}

// pricingClient drives the pricing routes as a manager, a support agent and
// a customer.
type pricingClient struct {
	t                          *testing.T
	h                          *apitest.Harness
	manager, support, customer string
}

func newPricingClient(t *testing.T) *pricingClient {
	t.Helper()
	h := apitest.New(t)
	cus, _ := h.CustomerToken(t)
	return &pricingClient{t: t, h: h, manager: h.StaffToken(t, "manager"), support: h.StaffToken(t, "support"), customer: cus}
}

func (c *pricingClient) do(token, method, path string, body any) *apitest.Response {
	c.t.Helper()
	return c.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: token})
}

func (c *pricingClient) region(name, currency string, countries ...string) checkout.Region {
	c.t.Helper()
	var r checkout.Region
	c.do(c.manager, http.MethodPost, "/v1/admin/regions", map[string]any{"name": name, "currency": currency,
		"country_codes": countries, "tax_rate": 2000, "tax_inclusive": true}).Expect(c.t, http.StatusCreated).JSON(c.t, &r)
	return r
}

// badRequest is one rejected request of a bad-input table.
type badRequest struct {
	name   string
	token  string
	method string
	path   string
	body   any
	status int
	code   string
	fields []string
}

// expectRejected sends each request and checks its problem and that no
// pricing table changed.
func (c *pricingClient) expectRejected(tests []badRequest) {
	c.t.Helper()
	for _, tt := range tests {
		c.t.Run(tt.name, func(t *testing.T) {
			before := c.h.RowCounts(t, pricingTables...)
			p := c.h.Do(apitest.Request{Method: tt.method, Path: tt.path, Body: tt.body, Token: tt.token}).
				ExpectProblem(t, tt.status, tt.code)
			if tt.fields != nil {
				if d := cmp.Diff(tt.fields, fieldsOf(p)); d != "" {
					t.Errorf("fields (-want +got)\n%s", d)
				}
			}
			if d := cmp.Diff(before, c.h.RowCounts(t, pricingTables...)); d != "" {
				t.Errorf("rows changed (-before +after)\n%s", d)
			}
		})
	}
}

func TestRegionRoutes(t *testing.T) {
	t.Parallel()
	c := newPricingClient(t)
	eu := c.region("Europe", "EUR", "fr", "DE")
	want := checkout.Region{Name: "Europe", Currency: "EUR", CountryCodes: []string{"DE", "FR"}, TaxRate: 2000, TaxInclusive: true}
	ignore := cmpopts.IgnoreFields(checkout.Region{}, "ID", "CreatedAt", "UpdatedAt")
	if d := cmp.Diff(want, eu, ignore); d != "" {
		t.Fatalf("created (-want +got)\n%s", d)
	}
	var got checkout.Region
	c.do(c.support, http.MethodGet, "/v1/admin/regions/"+eu.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff(eu, got); d != "" {
		t.Fatalf("read back (-want +got)\n%s", d)
	}
	c.do(c.manager, http.MethodPatch, "/v1/admin/regions/"+eu.ID, map[string]any{"tax_rate": 2100,
		"tax_inclusive": false, "country_codes": []string{"DE", "BE"}}).Expect(t, http.StatusOK).JSON(t, &got)
	want.CountryCodes, want.TaxRate, want.TaxInclusive = []string{"BE", "DE"}, 2100, false
	if d := cmp.Diff(want, got, ignore); d != "" {
		t.Fatalf("patched (-want +got)\n%s", d)
	}
	// FR left Europe, so another region may take it; DE may not.
	fr := c.region("France", "EUR", "FR")
	p := c.do(c.manager, http.MethodPatch, "/v1/admin/regions/"+fr.ID, map[string]any{"country_codes": []string{"FR", "DE"}}).
		ExpectProblem(t, http.StatusConflict, "country_in_use")
	if p.Detail != "DE already belongs to region Europe ("+eu.ID+")" {
		t.Errorf("detail = %q", p.Detail)
	}
	us := c.region("US", "USD", "US")

	// Lists: oldest first, pages, currency filter.
	var page struct {
		Data       []checkout.Region `json:"data"`
		NextCursor *string           `json:"next_cursor"`
	}
	c.do(c.support, http.MethodGet, "/v1/admin/regions?limit=2", nil).Expect(t, http.StatusOK).JSON(t, &page)
	if len(page.Data) != 2 || page.Data[0].ID != eu.ID || page.Data[1].ID != fr.ID || page.NextCursor == nil {
		t.Fatalf("first page = %+v", page)
	}
	c.do(c.support, http.MethodGet, "/v1/admin/regions?limit=2&cursor="+*page.NextCursor, nil).Expect(t, http.StatusOK).JSON(t, &page)
	if len(page.Data) != 1 || page.Data[0].ID != us.ID || page.NextCursor != nil {
		t.Fatalf("second page = %+v", page)
	}
	c.do(c.support, http.MethodGet, "/v1/admin/regions?currency=usd", nil).Expect(t, http.StatusOK).JSON(t, &page)
	if len(page.Data) != 1 || page.Data[0].ID != us.ID {
		t.Fatalf("USD regions = %+v", page.Data)
	}

	// Delete: refused while a shipping option refers to the region.
	c.do(c.manager, http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": fr.ID, "name": "Post",
		"type": "flat", "amount": money(500, "EUR")}).Expect(t, http.StatusCreated)
	c.do(c.manager, http.MethodDelete, "/v1/admin/regions/"+fr.ID, nil).ExpectProblem(t, http.StatusConflict, "region_in_use")
	c.do(c.manager, http.MethodDelete, "/v1/admin/regions/"+us.ID, nil).Expect(t, http.StatusNoContent)
	c.do(c.manager, http.MethodGet, "/v1/admin/regions/"+us.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	if n := c.h.RowCounts(t, "region_countries")["region_countries"]; n != 3 { // BE, DE, FR
		t.Errorf("region_countries = %d, want 3", n)
	}
}

func TestRegionRoutesRejectBadInput(t *testing.T) {
	t.Parallel()
	c := newPricingClient(t)
	eu := c.region("Europe", "EUR", "FR")
	ok := map[string]any{"name": "X", "currency": "EUR", "country_codes": []string{"ES"}, "tax_rate": 2000}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range ok {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	key := c.h.APIKey(t, "manager")
	c.do(key, http.MethodGet, "/v1/admin/regions/"+eu.ID, nil).Expect(t, http.StatusOK)
	c.expectRejected([]badRequest{
		{"unknown currency", c.manager, http.MethodPost, "/v1/admin/regions", with("currency", "XXX"), 422, "validation_failed", []string{"currency"}},
		{"tax rate over 100 percent", c.manager, http.MethodPost, "/v1/admin/regions", with("tax_rate", 10001), 422, "validation_failed", []string{"tax_rate"}},
		{"negative tax rate", c.manager, http.MethodPost, "/v1/admin/regions", with("tax_rate", -1), 422, "validation_failed", []string{"tax_rate"}},
		{"not a country", c.manager, http.MethodPost, "/v1/admin/regions", with("country_codes", []string{"ES", "EU"}), 422, "validation_failed", []string{"country_codes"}},
		{"blank name", c.manager, http.MethodPost, "/v1/admin/regions", with("name", "  "), 422, "validation_failed", []string{"name"}},
		{"country of another region", c.manager, http.MethodPost, "/v1/admin/regions", with("country_codes", []string{"ES", "FR"}), 409, "country_in_use", nil},
		{"unknown field", c.manager, http.MethodPost, "/v1/admin/regions", with("id", "reg_x"), 400, "malformed_request", nil},
		{"malformed JSON", c.manager, http.MethodPost, "/v1/admin/regions", `{"name":`, 400, "malformed_request", nil},
		{"currency cannot change", c.manager, http.MethodPatch, "/v1/admin/regions/" + eu.ID, map[string]any{"currency": "USD"}, 400, "malformed_request", nil},
		{"patch tax rate out of range", c.manager, http.MethodPatch, "/v1/admin/regions/" + eu.ID, map[string]any{"tax_rate": 20000}, 422, "validation_failed", []string{"tax_rate"}},
		{"unknown region", c.manager, http.MethodPatch, "/v1/admin/regions/reg_06h1wbq28dxanf5st2bqp8yfxm", map[string]any{"name": "Y"}, 404, "not_found", nil},
		{"malformed region id", c.support, http.MethodGet, "/v1/admin/regions/42", nil, 404, "not_found", nil},
		{"delete unknown region", c.manager, http.MethodDelete, "/v1/admin/regions/reg_06h1wbq28dxanf5st2bqp8yfxm", nil, 404, "not_found", nil},
		{"bad limit", c.support, http.MethodGet, "/v1/admin/regions?limit=0", nil, 422, "validation_failed", []string{"limit"}},
		{"support cannot create", c.support, http.MethodPost, "/v1/admin/regions", ok, 403, "forbidden", nil},
		{"support cannot patch", c.support, http.MethodPatch, "/v1/admin/regions/" + eu.ID, map[string]any{"name": "Y"}, 403, "forbidden", nil},
		{"support cannot delete", c.support, http.MethodDelete, "/v1/admin/regions/" + eu.ID, nil, 403, "forbidden", nil},
		{"customer token", c.customer, http.MethodGet, "/v1/admin/regions", nil, 403, "forbidden", nil},
		{"support API key cannot create", c.h.APIKey(t, "support"), http.MethodPost, "/v1/admin/regions", ok, 403, "forbidden", nil},
		{"no token", "", http.MethodPost, "/v1/admin/regions", ok, 401, "unauthenticated", nil},
	})
}
