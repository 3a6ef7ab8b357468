package admin_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/inventory"
)

func TestSuppliers(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, 2)
	sup := b.supplier
	if sup.Currency != "EUR" || sup.LeadTimeDays != 10 || !sup.Active {
		t.Fatalf("created %+v", sup)
	}
	var got inventory.Supplier
	b.do(b.keeper, http.MethodGet, "/v1/admin/suppliers/"+sup.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff(sup, got); d != "" {
		t.Fatalf("read back (-want +got)\n%s", d)
	}
	b.do(b.manager, http.MethodPatch, "/v1/admin/suppliers/"+sup.ID, map[string]any{"lead_time_days": 14,
		"contact_name": "Inès"}).Expect(t, http.StatusOK).JSON(t, &got)
	if got.LeadTimeDays != 14 || got.ContactName != "Inès" || got.Name != sup.Name {
		t.Fatalf("patched %+v", got)
	}
	var list struct {
		Data []inventory.Supplier `json:"data"`
	}
	b.do(b.keeper, http.MethodGet, "/v1/admin/suppliers", nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != sup.ID {
		t.Fatalf("list = %+v", list.Data)
	}

	// A second supplier taking over as preferred clears the first one's flag.
	var other inventory.Supplier
	b.do(b.manager, http.MethodPost, "/v1/admin/suppliers", map[string]any{"name": "Other", "currency": "EUR"}).
		Expect(t, http.StatusCreated).JSON(t, &other)
	var it inventory.SupplierItem
	b.do(b.manager, http.MethodPut, "/v1/admin/suppliers/"+other.ID+"/items/"+b.variants[0],
		map[string]any{"unit_cost": money(390, "EUR"), "preferred": true}).Expect(t, http.StatusOK).JSON(t, &it)
	if it.MOQ != 1 || !it.Preferred {
		t.Fatalf("item %+v", it)
	}
	var items struct {
		Data []inventory.SupplierItem `json:"data"`
	}
	b.do(b.keeper, http.MethodGet, "/v1/admin/suppliers/"+sup.ID+"/items", nil).Expect(t, http.StatusOK).JSON(t, &items)
	pref := map[string]bool{}
	for _, i := range items.Data {
		pref[i.VariantID] = i.Preferred
	}
	if d := cmp.Diff(map[string]bool{b.variants[0]: false, b.variants[1]: true}, pref); d != "" {
		t.Fatalf("first supplier's preferred flags (-want +got)\n%s", d)
	}
	b.do(b.manager, http.MethodDelete, "/v1/admin/suppliers/"+other.ID+"/items/"+b.variants[0], nil).
		Expect(t, http.StatusNoContent)
	b.do(b.manager, http.MethodDelete, "/v1/admin/suppliers/"+other.ID+"/items/"+b.variants[0], nil).
		ExpectProblem(t, http.StatusNotFound, "not_found")
}

func TestSupplierBadInput(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, 1)
	sup, v := b.supplier.ID, b.variants[0]
	tests := []struct {
		name   string
		token  string
		method string
		path   string
		body   any
		status int
		code   string
		fields []string
	}{
		{"unknown currency", b.manager, http.MethodPost, "/v1/admin/suppliers",
			map[string]any{"name": "X", "currency": "XXX"}, 422, "validation_failed", []string{"currency"}},
		{"negative lead time", b.manager, http.MethodPost, "/v1/admin/suppliers",
			map[string]any{"name": "X", "currency": "EUR", "lead_time_days": -2}, 422, "validation_failed",
			[]string{"lead_time_days"}},
		{"no name", b.manager, http.MethodPost, "/v1/admin/suppliers",
			map[string]any{"name": " ", "currency": "EUR"}, 422, "validation_failed", []string{"name"}},
		{"currency cannot change", b.manager, http.MethodPatch, "/v1/admin/suppliers/" + sup,
			map[string]any{"currency": "USD"}, 400, "malformed_request", nil},
		{"lead time over a year", b.manager, http.MethodPatch, "/v1/admin/suppliers/" + sup,
			map[string]any{"lead_time_days": 400}, 422, "validation_failed", []string{"lead_time_days"}},
		{"warehouse staff cannot create", b.keeper, http.MethodPost, "/v1/admin/suppliers",
			map[string]any{"name": "X", "currency": "EUR"}, 403, "forbidden", nil},
		{"moq zero is the default but negative is not", b.manager, http.MethodPut, "/v1/admin/suppliers/" + sup + "/items/" + v,
			map[string]any{"unit_cost": money(1, "EUR"), "moq": -1}, 422, "validation_failed", []string{"moq"}},
		{"moq too large", b.manager, http.MethodPut, "/v1/admin/suppliers/" + sup + "/items/" + v,
			map[string]any{"unit_cost": money(1, "EUR"), "moq": 2000000}, 422, "validation_failed", []string{"moq"}},
		{"cost in another currency", b.manager, http.MethodPut, "/v1/admin/suppliers/" + sup + "/items/" + v,
			map[string]any{"unit_cost": money(1, "USD")}, 422, "validation_failed", []string{"unit_cost.currency"}},
		{"negative cost", b.manager, http.MethodPut, "/v1/admin/suppliers/" + sup + "/items/" + v,
			map[string]any{"unit_cost": money(-1, "EUR")}, 422, "validation_failed", []string{"unit_cost.amount"}},
		{"unknown variant", b.manager, http.MethodPut, "/v1/admin/suppliers/" + sup + "/items/var_06h1wbq28dxanf5st2bqp8yfxm",
			map[string]any{"unit_cost": money(1, "EUR")}, 404, "not_found", nil},
		{"unknown supplier", b.manager, http.MethodGet, "/v1/admin/suppliers/sup_06h1wbq28dxanf5st2bqp8yfxm", nil,
			404, "not_found", nil},
		{"malformed supplier id", b.manager, http.MethodGet, "/v1/admin/suppliers/42", nil, 404, "not_found", nil},
		{"no token", "", http.MethodGet, "/v1/admin/suppliers", nil, 401, "unauthenticated", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := b.h.RowCounts(t, purchasingTables...)
			p := b.h.Do(apitest.Request{Method: tt.method, Path: tt.path, Body: tt.body, Token: tt.token}).
				ExpectProblem(t, tt.status, tt.code)
			if tt.fields != nil {
				if d := cmp.Diff(tt.fields, fieldsOf(p)); d != "" {
					t.Errorf("fields (-want +got)\n%s", d)
				}
			}
			if d := cmp.Diff(before, b.h.RowCounts(t, purchasingTables...)); d != "" {
				t.Errorf("rows changed (-before +after)\n%s", d)
			}
		})
	}
	support := b.h.StaffToken(t, "support")
	b.do(support, http.MethodGet, "/v1/admin/suppliers", nil).ExpectProblem(t, http.StatusForbidden, "forbidden")
}

func TestForecastRoute(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, 1)
	v := b.variants[0]
	b.do(b.keeper, http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": v,
		"warehouse_id": b.warehouse, "delta": 8, "reason": "opening stock"}).Expect(t, http.StatusCreated)
	b.do(b.manager, http.MethodPatch, "/v1/admin/inventory/levels/"+v+"/"+b.warehouse,
		map[string]any{"reorder_point": 10, "safety_stock": 4}).Expect(t, http.StatusOK)
	var f inventory.Forecast
	b.do(b.keeper, http.MethodGet, "/v1/admin/inventory/forecast?variant_id="+v, nil).Expect(t, http.StatusOK).JSON(t, &f)
	// No sales: no demand, no cover figure; need = 10 + 4 - 8 = 6, MOQ 6.
	if f.AverageDailyDemand != 0 || f.DaysOfCover != nil || f.Available != 8 || f.SuggestedReorderQuantity != 6 ||
		f.MOQ != 6 || f.LeadTimeDays != 10 || len(f.DailySales) != inventory.ForecastDays ||
		f.PreferredSupplierID == nil || *f.PreferredSupplierID != b.supplier.ID {
		t.Fatalf("forecast = %+v", f)
	}
	b.do(b.keeper, http.MethodGet, "/v1/admin/inventory/forecast", nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	b.do(b.keeper, http.MethodGet, "/v1/admin/inventory/forecast?variant_id=var_06h1wbq28dxanf5st2bqp8yfxm", nil).
		ExpectProblem(t, http.StatusNotFound, "not_found")
}
