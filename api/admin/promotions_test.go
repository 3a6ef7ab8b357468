package admin_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/internal/checkout"
	pmoney "storekeep/internal/platform/money"
)

func TestPromotionRoutes(t *testing.T) {
	t.Parallel()
	c := newPricingClient(t)
	const path = "/v1/admin/promotions"
	starts := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ends := starts.AddDate(1, 0, 0)
	var welcome checkout.Promotion
	c.do(c.manager, http.MethodPost, path, map[string]any{"code": " welcome15 ", "type": "percentage", "percentage": 1500,
		"min_subtotals": []any{money(2000, "EUR")}, "starts_at": starts, "ends_at": ends, "usage_limit": 100,
		"per_customer_limit": 1, "category_ids": []string{"cat_06h1wbq28dxanf5st2bqp8yfxm"},
		"customer_group_ids": []string{"cgrp_06h1wbq28dxanf5st2bqp8yfxm"}}).Expect(t, http.StatusCreated).JSON(t, &welcome)
	hundred, one := int64(100), int64(1)
	want := checkout.Promotion{Code: "WELCOME15", Type: "percentage", Percentage: 1500, Amounts: []pmoney.Amount{},
		MinSubtotals: []pmoney.Amount{eur(2000)}, StartsAt: &starts, EndsAt: &ends, UsageLimit: &hundred,
		PerCustomerLimit: &one, ProductIDs: []string{}, CategoryIDs: []string{"cat_06h1wbq28dxanf5st2bqp8yfxm"},
		CustomerGroupIDs: []string{"cgrp_06h1wbq28dxanf5st2bqp8yfxm"}, Active: true}
	ignore := cmpopts.IgnoreFields(checkout.Promotion{}, "ID", "CreatedAt", "UpdatedAt")
	if d := cmp.Diff(want, welcome, ignore); d != "" {
		t.Fatalf("created (-want +got)\n%s", d)
	}
	var got checkout.Promotion
	c.do(c.support, http.MethodGet, path+"/"+welcome.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff(welcome, got); d != "" {
		t.Fatalf("read back (-want +got)\n%s", d)
	}

	var fixed, ship checkout.Promotion
	c.do(c.manager, http.MethodPost, path, map[string]any{"code": "TENOFF", "type": "fixed",
		"amounts": []any{money(1000, "EUR"), money(1100, "USD")}, "combinable": true}).Expect(t, http.StatusCreated).JSON(t, &fixed)
	if len(fixed.Amounts) != 2 || !fixed.Combinable || fixed.UsageLimit != nil {
		t.Fatalf("fixed = %+v", fixed)
	}
	c.do(c.manager, http.MethodPost, path, map[string]any{"code": "SHIPFREE", "type": "free_shipping"}).
		Expect(t, http.StatusCreated).JSON(t, &ship)

	// Codes are unique in any case.
	c.do(c.manager, http.MethodPost, path, map[string]any{"code": "Welcome15", "type": "free_shipping"}).
		ExpectProblem(t, http.StatusConflict, "code_taken")

	// Patch: lists replace, usage count and code stay.
	c.do(c.manager, http.MethodPatch, path+"/"+welcome.ID, map[string]any{"percentage": 2000, "category_ids": []string{},
		"combinable": true}).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Percentage != 2000 || len(got.CategoryIDs) != 0 || !got.Combinable || got.Code != "WELCOME15" || got.UsageCount != 0 {
		t.Fatalf("patched = %+v", got)
	}
	c.do(c.manager, http.MethodPatch, path+"/"+welcome.ID, map[string]any{"clear": []string{"ends_at", "usage_limit"}}).
		Expect(t, http.StatusOK).JSON(t, &got)
	if got.EndsAt != nil || got.UsageLimit != nil || got.StartsAt == nil || got.PerCustomerLimit == nil {
		t.Fatalf("cleared = %+v", got)
	}
	// Delete deactivates.
	c.do(c.manager, http.MethodDelete, path+"/"+ship.ID, nil).Expect(t, http.StatusNoContent)
	c.do(c.support, http.MethodGet, path+"/"+ship.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Active {
		t.Fatal("deleted promotion is still active")
	}

	ids := func(q string) []string {
		var l struct {
			Data       []checkout.Promotion `json:"data"`
			NextCursor *string              `json:"next_cursor"`
		}
		c.do(c.support, http.MethodGet, path+q, nil).Expect(t, http.StatusOK).JSON(t, &l)
		out := []string{}
		for _, p := range l.Data {
			out = append(out, p.ID)
		}
		if l.NextCursor != nil {
			out = append(out, "more")
		}
		return out
	}
	for q, want := range map[string][]string{
		"":                        {welcome.ID, fixed.ID, ship.ID},
		"?limit=2":                {welcome.ID, fixed.ID, "more"},
		"?code=welcome15":         {welcome.ID},
		"?code=nope":              {},
		"?active=true":            {welcome.ID, fixed.ID},
		"?active=false":           {ship.ID},
		"?code=SHIPFREE&active=1": {},
	} {
		if d := cmp.Diff(want, ids(q)); d != "" {
			t.Errorf("list %q (-want +got)\n%s", q, d)
		}
	}
}

func TestPromotionRoutesRejectBadInput(t *testing.T) {
	t.Parallel()
	c := newPricingClient(t)
	const path = "/v1/admin/promotions"
	var p checkout.Promotion
	c.do(c.manager, http.MethodPost, path, map[string]any{"code": "SAVE10", "type": "percentage", "percentage": 1000}).
		Expect(t, http.StatusCreated).JSON(t, &p)
	now := time.Now().UTC()
	c.expectRejected([]badRequest{
		{"bad code characters", c.manager, http.MethodPost, path, map[string]any{"code": "SAVE 10!", "type": "free_shipping"}, 422, "validation_failed", []string{"code"}},
		{"empty code", c.manager, http.MethodPost, path, map[string]any{"code": " ", "type": "free_shipping"}, 422, "validation_failed", []string{"code"}},
		{"unknown type", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "bogo"}, 422, "validation_failed", []string{"type"}},
		{"percentage zero", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "percentage"}, 422, "validation_failed", []string{"percentage"}},
		{"percentage over 100", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "percentage", "percentage": 10001}, 422, "validation_failed", []string{"percentage"}},
		{"fixed without amounts", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "fixed"}, 422, "validation_failed", []string{"amounts"}},
		{"fixed twice in a currency", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "fixed",
			"amounts": []any{money(100, "EUR"), money(200, "EUR")}}, 422, "validation_failed", []string{"amounts[1].currency"}},
		{"fixed zero amount", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "fixed",
			"amounts": []any{money(0, "EUR")}}, 422, "validation_failed", []string{"amounts[0].amount"}},
		{"amounts on a percentage", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "percentage", "percentage": 5,
			"amounts": []any{money(100, "EUR")}}, 422, "validation_failed", []string{"amounts"}},
		{"bad minimum currency", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "free_shipping",
			"min_subtotals": []any{money(100, "ZZZ")}}, 422, "validation_failed", []string{"min_subtotals[0].currency"}},
		{"window ends before it starts", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "free_shipping",
			"starts_at": now, "ends_at": now.Add(-time.Hour)}, 422, "validation_failed", []string{"ends_at"}},
		{"negative usage limit", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "free_shipping", "usage_limit": -1}, 422, "validation_failed", []string{"usage_limit"}},
		{"zero per-customer limit", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "free_shipping", "per_customer_limit": 0}, 422, "validation_failed", []string{"per_customer_limit"}},
		{"bad ids", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "free_shipping", "product_ids": []string{"var_06h1wbq28dxanf5st2bqp8yfxm"},
			"customer_group_ids": []string{"vip"}}, 422, "validation_failed", []string{"product_ids[0]", "customer_group_ids[0]"}},
		{"code taken", c.manager, http.MethodPost, path, map[string]any{"code": "save10", "type": "free_shipping"}, 409, "code_taken", nil},
		{"client-sent usage count", c.manager, http.MethodPost, path, map[string]any{"code": "X", "type": "free_shipping", "usage_count": 5}, 400, "malformed_request", nil},
		{"code cannot change", c.manager, http.MethodPatch, path + "/" + p.ID, map[string]any{"code": "OTHER"}, 400, "malformed_request", nil},
		{"usage count cannot change", c.manager, http.MethodPatch, path + "/" + p.ID, map[string]any{"usage_count": 0}, 400, "malformed_request", nil},
		{"patch percentage out of range", c.manager, http.MethodPatch, path + "/" + p.ID, map[string]any{"percentage": 0}, 422, "validation_failed", []string{"percentage"}},
		{"clear an unknown setting", c.manager, http.MethodPatch, path + "/" + p.ID, map[string]any{"clear": []string{"code"}}, 422, "validation_failed", []string{"clear[0]"}},
		{"set and clear at once", c.manager, http.MethodPatch, path + "/" + p.ID, map[string]any{"usage_limit": 5, "clear": []string{"usage_limit"}}, 422, "validation_failed", []string{"clear[0]"}},
		{"unknown promotion", c.manager, http.MethodPatch, path + "/promo_06h1wbq28dxanf5st2bqp8yfxm", map[string]any{"combinable": true}, 404, "not_found", nil},
		{"malformed promotion id", c.support, http.MethodGet, path + "/SAVE10", nil, 404, "not_found", nil},
		{"bad active filter", c.support, http.MethodGet, path + "?active=yes", nil, 422, "validation_failed", []string{"active"}},
		{"bad cursor", c.support, http.MethodGet, path + "?cursor=abc", nil, 400, "invalid_cursor", nil},
		{"support cannot create", c.support, http.MethodPost, path, map[string]any{"code": "X", "type": "free_shipping"}, 403, "forbidden", nil},
		{"support cannot deactivate", c.support, http.MethodDelete, path + "/" + p.ID, nil, 403, "forbidden", nil},
		{"warehouse cannot patch", c.h.StaffToken(t, "warehouse"), http.MethodPatch, path + "/" + p.ID, map[string]any{"active": false}, 403, "forbidden", nil},
		{"customer token", c.customer, http.MethodGet, path, nil, 403, "forbidden", nil},
		{"no token", "", http.MethodGet, path, nil, 401, "unauthenticated", nil},
	})
	var got checkout.Promotion
	c.do(c.support, http.MethodGet, path+"/"+p.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff(p, got); d != "" {
		t.Fatalf("rejected requests changed the promotion (-before +after)\n%s", d)
	}
}
