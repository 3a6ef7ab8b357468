package admin_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/internal/checkout"
	pmoney "storekeep/internal/platform/money"
)

func eur(v int64) pmoney.Amount { return pmoney.Amount{Minor: v, Currency: "EUR"} }

func TestShippingOptionRoutes(t *testing.T) {
	t.Parallel()
	c := newPricingClient(t)
	eu := c.region("Europe", "EUR", "FR")
	uk := c.region("UK", "GBP", "GB")
	ignore := cmpopts.IgnoreFields(checkout.ShippingOption{}, "ID", "CreatedAt", "UpdatedAt")

	var flat, free, weight checkout.ShippingOption
	c.do(c.manager, http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": eu.ID, "name": "Post",
		"type": "flat", "amount": money(490, "EUR")}).Expect(t, http.StatusCreated).JSON(t, &flat)
	want := checkout.ShippingOption{RegionID: eu.ID, Name: "Post", Type: "flat", Amount: eur(490),
		Rates: []checkout.WeightRate{}, Active: true}
	if d := cmp.Diff(want, flat, ignore); d != "" {
		t.Fatalf("flat (-want +got)\n%s", d)
	}
	c.do(c.manager, http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": eu.ID, "name": "Colissimo",
		"type": "free_over", "amount": money(690, "EUR"), "free_over": money(5000, "EUR")}).
		Expect(t, http.StatusCreated).JSON(t, &free)
	threshold := eur(5000)
	want = checkout.ShippingOption{RegionID: eu.ID, Name: "Colissimo", Type: "free_over", Amount: eur(690),
		FreeOver: &threshold, Rates: []checkout.WeightRate{}, Active: true}
	if d := cmp.Diff(want, free, ignore); d != "" {
		t.Fatalf("free_over (-want +got)\n%s", d)
	}
	// Brackets may come in any order; they are stored by weight.
	c.do(c.manager, http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": eu.ID, "name": "Freight",
		"type": "weight", "rates": []map[string]any{{"max_grams": 10000, "amount": money(1290, "EUR")},
			{"max_grams": 2000, "amount": money(790, "EUR")}}}).Expect(t, http.StatusCreated).JSON(t, &weight)
	want = checkout.ShippingOption{RegionID: eu.ID, Name: "Freight", Type: "weight", Amount: eur(0),
		Rates: []checkout.WeightRate{{MaxGrams: 2000, Amount: eur(790)}, {MaxGrams: 10000, Amount: eur(1290)}}, Active: true}
	if d := cmp.Diff(want, weight, ignore); d != "" {
		t.Fatalf("weight (-want +got)\n%s", d)
	}
	var ukPost checkout.ShippingOption
	c.do(c.manager, http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": uk.ID, "name": "Royal Mail",
		"type": "flat", "amount": money(300, "GBP")}).Expect(t, http.StatusCreated).JSON(t, &ukPost)

	// Patch keeps the type's rules; delete deactivates.
	var got checkout.ShippingOption
	c.do(c.manager, http.MethodPatch, "/v1/admin/shipping-options/"+free.ID, map[string]any{"free_over": money(6000, "EUR"),
		"name": "Colissimo Suivi"}).Expect(t, http.StatusOK).JSON(t, &got)
	if got.FreeOver == nil || *got.FreeOver != eur(6000) || got.Name != "Colissimo Suivi" || got.Amount != eur(690) {
		t.Fatalf("patched = %+v", got)
	}
	c.do(c.manager, http.MethodPatch, "/v1/admin/shipping-options/"+weight.ID, map[string]any{
		"rates": []map[string]any{{"max_grams": 500, "amount": money(390, "EUR")}}}).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff([]checkout.WeightRate{{MaxGrams: 500, Amount: eur(390)}}, got.Rates); d != "" {
		t.Fatalf("patched rates (-want +got)\n%s", d)
	}
	c.do(c.manager, http.MethodDelete, "/v1/admin/shipping-options/"+flat.ID, nil).Expect(t, http.StatusNoContent)
	c.do(c.support, http.MethodGet, "/v1/admin/shipping-options/"+flat.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Active {
		t.Fatal("deleted option is still active")
	}

	ids := func(path string) []string {
		var l struct {
			Data []checkout.ShippingOption `json:"data"`
		}
		c.do(c.support, http.MethodGet, path, nil).Expect(t, http.StatusOK).JSON(t, &l)
		out := []string{}
		for _, o := range l.Data {
			out = append(out, o.ID)
		}
		return out
	}
	for path, want := range map[string][]string{
		"/v1/admin/shipping-options":                                     {flat.ID, free.ID, weight.ID, ukPost.ID},
		"/v1/admin/shipping-options?region_id=" + eu.ID:                  {flat.ID, free.ID, weight.ID},
		"/v1/admin/shipping-options?region_id=" + eu.ID + "&active=true": {free.ID, weight.ID},
		"/v1/admin/shipping-options?active=false":                        {flat.ID},
	} {
		if d := cmp.Diff(want, ids(path)); d != "" {
			t.Errorf("%s (-want +got)\n%s", path, d)
		}
	}
}

func TestShippingOptionRoutesRejectBadInput(t *testing.T) {
	t.Parallel()
	c := newPricingClient(t)
	eu := c.region("Europe", "EUR", "FR")
	var flat, weight checkout.ShippingOption
	c.do(c.manager, http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": eu.ID, "name": "Post",
		"type": "flat", "amount": money(490, "EUR")}).Expect(t, http.StatusCreated).JSON(t, &flat)
	c.do(c.manager, http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": eu.ID, "name": "Freight",
		"type": "weight", "rates": []map[string]any{{"max_grams": 1000, "amount": money(500, "EUR")}}}).
		Expect(t, http.StatusCreated).JSON(t, &weight)
	const path = "/v1/admin/shipping-options"
	rate := func(g, a int64) map[string]any { return map[string]any{"max_grams": g, "amount": money(a, "EUR")} }
	body := func(kv ...any) map[string]any {
		m := map[string]any{"region_id": eu.ID, "name": "X"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	c.expectRejected([]badRequest{
		{"unknown type", c.manager, http.MethodPost, path, body("type", "drone", "amount", money(1, "EUR")), 422, "validation_failed", []string{"type"}},
		{"flat without amount", c.manager, http.MethodPost, path, body("type", "flat"), 422, "validation_failed", []string{"amount"}},
		{"flat in another currency", c.manager, http.MethodPost, path, body("type", "flat", "amount", money(1, "USD")), 422, "validation_failed", []string{"amount.currency"}},
		{"flat negative", c.manager, http.MethodPost, path, body("type", "flat", "amount", money(-1, "EUR")), 422, "validation_failed", []string{"amount.amount"}},
		{"flat with a threshold", c.manager, http.MethodPost, path, body("type", "flat", "amount", money(1, "EUR"), "free_over", money(5, "EUR")), 422, "validation_failed", []string{"free_over"}},
		{"free_over without threshold", c.manager, http.MethodPost, path, body("type", "free_over", "amount", money(1, "EUR")), 422, "validation_failed", []string{"free_over"}},
		{"free_over zero threshold", c.manager, http.MethodPost, path, body("type", "free_over", "amount", money(1, "EUR"), "free_over", money(0, "EUR")), 422, "validation_failed", []string{"free_over.amount"}},
		{"weight without rates", c.manager, http.MethodPost, path, body("type", "weight"), 422, "validation_failed", []string{"rates"}},
		{"weight with a catch-all amount", c.manager, http.MethodPost, path, body("type", "weight", "amount", money(1, "EUR"), "rates", []any{rate(10, 1)}), 422, "validation_failed", []string{"amount"}},
		{"weight duplicate brackets", c.manager, http.MethodPost, path, body("type", "weight", "rates", []any{rate(10, 1), rate(10, 2)}), 422, "validation_failed", []string{"rates"}},
		{"weight zero grams", c.manager, http.MethodPost, path, body("type", "weight", "rates", []any{rate(0, 1)}), 422, "validation_failed", []string{"rates[0].max_grams"}},
		{"weight rate in another currency", c.manager, http.MethodPost, path, body("type", "weight", "rates", []any{map[string]any{"max_grams": 5, "amount": money(1, "GBP")}}), 422, "validation_failed", []string{"rates[0].amount.currency"}},
		{"unknown region", c.manager, http.MethodPost, path, map[string]any{"region_id": "reg_06h1wbq28dxanf5st2bqp8yfxm", "name": "X", "type": "flat", "amount": money(1, "EUR")}, 422, "validation_failed", []string{"region_id"}},
		{"blank name", c.manager, http.MethodPost, path, map[string]any{"region_id": eu.ID, "name": "", "type": "flat", "amount": money(1, "EUR")}, 422, "validation_failed", []string{"name"}},
		{"client-sent id", c.manager, http.MethodPost, path, body("type", "flat", "amount", money(1, "EUR"), "id", "so_x"), 400, "malformed_request", nil},
		{"type cannot change", c.manager, http.MethodPatch, path + "/" + flat.ID, map[string]any{"type": "weight"}, 400, "malformed_request", nil},
		{"patch rates onto flat", c.manager, http.MethodPatch, path + "/" + flat.ID, map[string]any{"rates": []any{rate(10, 1)}}, 422, "validation_failed", []string{"rates"}},
		{"patch amount onto weight", c.manager, http.MethodPatch, path + "/" + weight.ID, map[string]any{"amount": money(1, "EUR")}, 422, "validation_failed", []string{"amount"}},
		{"unknown option", c.manager, http.MethodPatch, path + "/so_06h1wbq28dxanf5st2bqp8yfxm", map[string]any{"name": "Y"}, 404, "not_found", nil},
		{"malformed option id", c.support, http.MethodGet, path + "/nope", nil, 404, "not_found", nil},
		{"bad active filter", c.support, http.MethodGet, path + "?active=maybe", nil, 422, "validation_failed", []string{"active"}},
		{"support cannot create", c.support, http.MethodPost, path, body("type", "flat", "amount", money(1, "EUR")), 403, "forbidden", nil},
		{"support cannot deactivate", c.support, http.MethodDelete, path + "/" + flat.ID, nil, 403, "forbidden", nil},
		{"customer token", c.customer, http.MethodGet, path, nil, 403, "forbidden", nil},
		{"no token", "", http.MethodGet, path, nil, 401, "unauthenticated", nil},
	})
	var got checkout.ShippingOption
	c.do(c.support, http.MethodGet, path+"/"+flat.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if !got.Active || got.Amount != eur(490) {
		t.Fatalf("rejected requests changed the option: %+v", got)
	}
}
