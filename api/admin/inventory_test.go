package admin_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/admin"
	"storekeep/api/apitest"
	"storekeep/api/store"
	"storekeep/internal/inventory"
)

// stockTables are every table the inventory routes may write.
var stockTables = []string{"warehouses", "stock_levels", "stock_movements", "reservations", "reservation_lines"}

type stockClient struct {
	*catalogClient
	variant string
	handle  string
}

// newStockClient is a manager client with one published product (two variants).
func newStockClient(t *testing.T) *stockClient {
	t.Helper()
	c := newCatalogClient(t)
	p := c.createProduct(sizedProduct("Stocked Gel", "STK"))
	return &stockClient{catalogClient: c, variant: p.Variants[0].ID, handle: p.Handle}
}

func (c *stockClient) warehouse(code string, priority int) inventory.Warehouse {
	c.t.Helper()
	var w inventory.Warehouse
	c.do(http.MethodPost, "/v1/admin/warehouses", map[string]any{
		"code": code, "name": "WH " + code, "country_code": "FR", "priority": priority,
		"address": map[string]any{"line1": "1 rue X", "city": "Paris"},
	}).Expect(c.t, http.StatusCreated).JSON(c.t, &w)
	return w
}

func (c *stockClient) adjust(wh string, delta int64) inventory.StockChange {
	c.t.Helper()
	var out inventory.StockChange
	c.do(http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{
		"variant_id": c.variant, "warehouse_id": wh, "delta": delta, "reason": "test",
	}).Expect(c.t, http.StatusCreated).JSON(c.t, &out)
	return out
}

func (c *stockClient) storeVariant() store.Variant {
	c.t.Helper()
	var p store.Product
	c.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products/" + c.handle}).
		Expect(c.t, http.StatusOK).JSON(c.t, &p)
	for _, v := range p.Variants {
		if v.ID == c.variant {
			return v
		}
	}
	c.t.Fatalf("variant %s not in store product", c.variant)
	return store.Variant{}
}

func TestStockFlowShowsInStore(t *testing.T) {
	t.Parallel()
	c := newStockClient(t)
	if v := c.storeVariant(); v.Available != 0 || v.InStock {
		t.Fatalf("before stock: %+v", v)
	}
	w1 := c.warehouse("par-1", 10) // lower-cased code is upper-cased
	if w1.Code != "PAR-1" || !w1.Active || w1.Priority != 10 || w1.Address.City != "Paris" {
		t.Errorf("warehouse = %+v", w1)
	}
	w2 := c.warehouse("LYO-1", 20)

	got := c.adjust(w1.ID, 7)
	if got.Level.OnHand != 7 || got.Level.Available != 7 || got.Movement.Kind != inventory.KindAdjustment {
		t.Errorf("adjust = %+v", got)
	}
	if v := c.storeVariant(); v.Available != 7 || !v.InStock {
		t.Errorf("store after adjust: %+v, want available 7 in stock", v)
	}

	var tr inventory.Transfer
	c.do(http.MethodPost, "/v1/admin/inventory/transfers", map[string]any{
		"variant_id": c.variant, "from_warehouse_id": w1.ID, "to_warehouse_id": w2.ID, "quantity": 3,
	}).Expect(t, http.StatusCreated).JSON(t, &tr)
	if tr.From.Level.OnHand != 4 || tr.To.Level.OnHand != 3 {
		t.Errorf("transfer = %+v", tr)
	}

	var cnt inventory.CountResult
	c.do(http.MethodPost, "/v1/admin/inventory/counts", map[string]any{
		"variant_id": c.variant, "warehouse_id": w2.ID, "counted": 1,
	}).Expect(t, http.StatusCreated).JSON(t, &cnt)
	if cnt.Level.OnHand != 1 || cnt.Movement == nil || cnt.Movement.Delta != -2 {
		t.Errorf("count = %+v", cnt)
	}
	if v := c.storeVariant(); v.Available != 5 {
		t.Errorf("store available = %d, want 5", v.Available)
	}

	// Reorder point and the low-stock list.
	var lvl inventory.Level
	c.do(http.MethodPatch, "/v1/admin/inventory/levels/"+c.variant+"/"+w2.ID, map[string]any{
		"reorder_point": 2, "safety_stock": 1,
	}).Expect(t, http.StatusOK).JSON(t, &lvl)
	if lvl.ReorderPoint != 2 || lvl.SafetyStock != 1 {
		t.Errorf("level = %+v", lvl)
	}
	var low admin.StockLevelList
	c.do(http.MethodGet, "/v1/admin/inventory/levels?below_reorder_point=true", nil).Expect(t, http.StatusOK).JSON(t, &low)
	if len(low.Data) != 1 || low.Data[0].WarehouseID != w2.ID {
		t.Errorf("low levels = %+v", low.Data)
	}
	var all admin.StockLevelList
	c.do(http.MethodGet, "/v1/admin/inventory/levels?variant_id="+c.variant+"&limit=1", nil).Expect(t, http.StatusOK).JSON(t, &all)
	if len(all.Data) != 1 || all.NextCursor == nil {
		t.Fatalf("first page = %+v", all)
	}
	c.do(http.MethodGet, "/v1/admin/inventory/levels?variant_id="+c.variant+"&limit=1&cursor="+*all.NextCursor, nil).
		Expect(t, http.StatusOK).JSON(t, &all)
	if len(all.Data) != 1 || all.NextCursor != nil {
		t.Errorf("second page = %+v", all)
	}

	var mv admin.StockMovementList
	c.do(http.MethodGet, "/v1/admin/inventory/movements?variant_id="+c.variant, nil).Expect(t, http.StatusOK).JSON(t, &mv)
	kinds := []inventory.Kind{}
	for _, m := range mv.Data {
		kinds = append(kinds, m.Kind)
	}
	want := []inventory.Kind{inventory.KindCycleCount, inventory.KindTransferIn, inventory.KindTransferOut, inventory.KindAdjustment}
	if tr.To.Movement.ID < tr.From.Movement.ID { // both legs share a timestamp; ids break the tie
		want[1], want[2] = want[2], want[1]
	}
	if d := cmp.Diff(want, kinds); d != "" {
		t.Errorf("movement kinds (-want +got):\n%s", d)
	}

	// Deactivating a warehouse removes its stock from the store.
	var w inventory.Warehouse
	c.do(http.MethodPatch, "/v1/admin/warehouses/"+w1.ID, map[string]any{"active": false}).Expect(t, http.StatusOK).JSON(t, &w)
	if w.Active {
		t.Error("still active")
	}
	if v := c.storeVariant(); v.Available != 1 {
		t.Errorf("store available = %d after deactivation, want 1", v.Available)
	}
	var list admin.WarehouseList
	c.do(http.MethodGet, "/v1/admin/warehouses", nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 2 || list.Data[0].ID != w1.ID {
		t.Errorf("warehouses = %+v", list.Data)
	}
	c.do(http.MethodGet, "/v1/admin/warehouses/"+w2.ID, nil).Expect(t, http.StatusOK)
	var res admin.ReservationList
	c.do(http.MethodGet, "/v1/admin/inventory/reservations?reference=cart_x", nil).Expect(t, http.StatusOK).JSON(t, &res)
	if len(res.Data) != 0 {
		t.Errorf("reservations = %+v", res.Data)
	}
}

func TestStockRejectsBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	c := newStockClient(t)
	w1 := c.warehouse("AAA", 1)
	w2 := c.warehouse("BBB", 2)
	c.adjust(w1.ID, 2)
	unknownVar, unknownWh := "var_06h1wbq28dxanf5st2bqp8yfxm", "wh_06h1wbq28dxanf5st2bqp8yfxm"
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		code   string
		field  string
	}{
		{"zero delta", "POST", "/v1/admin/inventory/adjustments", map[string]any{"variant_id": c.variant, "warehouse_id": w1.ID, "delta": 0, "reason": "x"}, 422, "validation_failed", "delta"},
		{"huge delta", "POST", "/v1/admin/inventory/adjustments", map[string]any{"variant_id": c.variant, "warehouse_id": w1.ID, "delta": 1000001, "reason": "x"}, 422, "validation_failed", "delta"},
		{"missing reason", "POST", "/v1/admin/inventory/adjustments", map[string]any{"variant_id": c.variant, "warehouse_id": w1.ID, "delta": 1}, 422, "validation_failed", "reason"},
		{"unknown variant", "POST", "/v1/admin/inventory/adjustments", map[string]any{"variant_id": unknownVar, "warehouse_id": w1.ID, "delta": 1, "reason": "x"}, 422, "validation_failed", "variant_id"},
		{"unknown warehouse", "POST", "/v1/admin/inventory/adjustments", map[string]any{"variant_id": c.variant, "warehouse_id": unknownWh, "delta": 1, "reason": "x"}, 422, "validation_failed", "warehouse_id"},
		{"negative on hand", "POST", "/v1/admin/inventory/adjustments", map[string]any{"variant_id": c.variant, "warehouse_id": w1.ID, "delta": -3, "reason": "x"}, 409, "insufficient_stock", ""},
		{"unknown field", "POST", "/v1/admin/inventory/adjustments", map[string]any{"variant_id": c.variant, "warehouse_id": w1.ID, "delta": 1, "reason": "x", "on_hand": 5}, 400, "malformed_request", ""},
		{"same warehouse", "POST", "/v1/admin/inventory/transfers", map[string]any{"variant_id": c.variant, "from_warehouse_id": w1.ID, "to_warehouse_id": w1.ID, "quantity": 1}, 422, "same_warehouse", "to_warehouse_id"},
		{"transfer zero", "POST", "/v1/admin/inventory/transfers", map[string]any{"variant_id": c.variant, "from_warehouse_id": w1.ID, "to_warehouse_id": w2.ID, "quantity": 0}, 422, "validation_failed", "quantity"},
		{"transfer negative", "POST", "/v1/admin/inventory/transfers", map[string]any{"variant_id": c.variant, "from_warehouse_id": w1.ID, "to_warehouse_id": w2.ID, "quantity": -1}, 422, "validation_failed", "quantity"},
		{"transfer too much", "POST", "/v1/admin/inventory/transfers", map[string]any{"variant_id": c.variant, "from_warehouse_id": w1.ID, "to_warehouse_id": w2.ID, "quantity": 3}, 409, "insufficient_stock", ""},
		{"transfer unknown target", "POST", "/v1/admin/inventory/transfers", map[string]any{"variant_id": c.variant, "from_warehouse_id": w1.ID, "to_warehouse_id": unknownWh, "quantity": 1}, 422, "validation_failed", "to_warehouse_id"},
		{"count negative", "POST", "/v1/admin/inventory/counts", map[string]any{"variant_id": c.variant, "warehouse_id": w1.ID, "counted": -1}, 422, "validation_failed", "counted"},
		{"count missing", "POST", "/v1/admin/inventory/counts", map[string]any{"variant_id": c.variant, "warehouse_id": w1.ID}, 422, "validation_failed", "counted"},
		{"bad code", "POST", "/v1/admin/warehouses", map[string]any{"code": "a b", "name": "x", "country_code": "FR"}, 422, "validation_failed", "code"},
		{"code taken", "POST", "/v1/admin/warehouses", map[string]any{"code": "aaa", "name": "x", "country_code": "FR"}, 409, "code_taken", ""},
		{"negative priority", "POST", "/v1/admin/warehouses", map[string]any{"code": "CCC", "name": "x", "country_code": "FR", "priority": -1}, 422, "validation_failed", "priority"},
		{"unknown warehouse path", "GET", "/v1/admin/warehouses/" + unknownWh, nil, 404, "not_found", ""},
		{"malformed warehouse path", "PATCH", "/v1/admin/warehouses/nope", map[string]any{"name": "x"}, 404, "not_found", ""},
		{"level of unknown variant", "PATCH", "/v1/admin/inventory/levels/" + unknownVar + "/" + w1.ID, map[string]any{"reorder_point": 1}, 404, "not_found", ""},
		{"negative reorder point", "PATCH", "/v1/admin/inventory/levels/" + c.variant + "/" + w1.ID, map[string]any{"reorder_point": -1}, 422, "validation_failed", "reorder_point"},
		{"bad level filter", "GET", "/v1/admin/inventory/levels?variant_id=nope", nil, 422, "validation_failed", "variant_id"},
		{"bad below filter", "GET", "/v1/admin/inventory/levels?below_reorder_point=maybe", nil, 422, "validation_failed", "below_reorder_point"},
		{"reservations without reference", "GET", "/v1/admin/inventory/reservations", nil, 422, "validation_failed", "reference"},
	}
	before := c.h.RowCounts(t, stockTables...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := c.do(tc.method, tc.path, tc.body).ExpectProblem(t, tc.status, tc.code)
			if tc.field != "" {
				if d := cmp.Diff([]string{tc.field}, fieldsOf(p)); d != "" {
					t.Errorf("fields (-want +got):\n%s", d)
				}
			}
		})
	}
	if d := cmp.Diff(before, c.h.RowCounts(t, stockTables...)); d != "" {
		t.Errorf("rows changed (-before +after):\n%s", d)
	}
	if v := c.storeVariant(); v.Available != 2 {
		t.Errorf("store available = %d, want 2", v.Available)
	}
}

func TestStockRoutesEnforceRoles(t *testing.T) {
	t.Parallel()
	c := newStockClient(t)
	w := c.warehouse("ROLE-1", 1)
	h := c.h
	customer, _ := h.CustomerToken(t)
	tokens := map[string]string{
		"support":   h.StaffToken(t, "support"),
		"warehouse": h.StaffToken(t, "warehouse"),
		"customer":  customer,
		"none":      "",
	}
	adj := map[string]any{"variant_id": c.variant, "warehouse_id": w.ID, "delta": 1, "reason": "x"}
	routes := []struct {
		method, path string
		body         any
		// status per caller
		want map[string]int
	}{
		{"POST", "/v1/admin/inventory/adjustments", adj, map[string]int{"support": 403, "warehouse": 201, "customer": 403, "none": 401}},
		{"GET", "/v1/admin/inventory/levels", nil, map[string]int{"support": 403, "warehouse": 200, "customer": 403, "none": 401}},
		{"GET", "/v1/admin/inventory/movements", nil, map[string]int{"support": 403, "warehouse": 200, "customer": 403, "none": 401}},
		{"GET", "/v1/admin/warehouses", nil, map[string]int{"support": 403, "warehouse": 200, "customer": 403, "none": 401}},
		{"POST", "/v1/admin/warehouses", map[string]any{"code": "ROLE-2", "name": "x", "country_code": "FR"}, map[string]int{"support": 403, "warehouse": 403, "customer": 403, "none": 401}},
		{"PATCH", "/v1/admin/warehouses/" + w.ID, map[string]any{"active": false}, map[string]int{"support": 403, "warehouse": 403, "customer": 403, "none": 401}},
		{"POST", "/v1/admin/inventory/transfers", map[string]any{"variant_id": c.variant, "from_warehouse_id": w.ID, "to_warehouse_id": w.ID, "quantity": 1}, map[string]int{"support": 403, "customer": 403, "none": 401}},
		{"POST", "/v1/admin/inventory/counts", map[string]any{"variant_id": c.variant, "warehouse_id": w.ID, "counted": 1}, map[string]int{"support": 403, "customer": 403, "none": 401}},
	}
	for _, rt := range routes {
		for who, status := range rt.want {
			t.Run(rt.method+" "+rt.path+" as "+who, func(t *testing.T) {
				res := h.Do(apitest.Request{Method: rt.method, Path: rt.path, Body: rt.body, Token: tokens[who]})
				res.Expect(t, status)
			})
		}
	}
}

func TestStockAdjustmentsHonourIdempotencyKey(t *testing.T) {
	t.Parallel()
	c := newStockClient(t)
	w := c.warehouse("IDEM-1", 1)
	body := map[string]any{"variant_id": c.variant, "warehouse_id": w.ID, "delta": 5, "reason": "delivery"}
	post := func(token, key string, b any) *apitest.Response {
		h := map[string]string{}
		if key != "" {
			h["Idempotency-Key"] = key
		}
		return c.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/inventory/adjustments",
			Body: b, Token: token, Header: h})
	}
	first := post(c.token, "adj-1", body).Expect(t, http.StatusCreated)
	again := post(c.token, "adj-1", body).Expect(t, http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Errorf("replay: header %q, same body %v", again.Header.Get("Idempotent-Replayed"), string(again.Body) == string(first.Body))
	}
	if v := c.storeVariant(); v.Available != 5 {
		t.Errorf("available = %d after a replayed adjustment, want 5", v.Available)
	}
	changed := map[string]any{"variant_id": c.variant, "warehouse_id": w.ID, "delta": 6, "reason": "delivery"}
	post(c.token, "adj-1", changed).ExpectProblem(t, http.StatusUnprocessableEntity, "idempotency_conflict")

	// Integrations must send a key.
	key := c.h.APIKey(t, "warehouse")
	before := c.h.RowCounts(t, stockTables...)
	post(key, "", body).ExpectProblem(t, http.StatusBadRequest, "idempotency_key_required")
	if d := cmp.Diff(before, c.h.RowCounts(t, stockTables...)); d != "" {
		t.Errorf("rows changed (-before +after):\n%s", d)
	}
	post(key, "int-1", body).Expect(t, http.StatusCreated)
	if v := c.storeVariant(); v.Available != 10 {
		t.Errorf("available = %d, want 10", v.Available)
	}
}

// TestLevelBinIsShown: a bin set on a level comes back on the level (and is
// printed on pick lists, see fulfillments_test.go).
func TestLevelBinIsShown(t *testing.T) {
	t.Parallel()
	c := newStockClient(t)
	wh := c.warehouse("BIN", 1)
	c.adjust(wh.ID, 3)
	var l inventory.Level
	c.do(http.MethodPatch, "/v1/admin/inventory/levels/"+c.variant+"/"+wh.ID, map[string]any{"bin": "A-03-2"}).
		Expect(t, http.StatusOK).JSON(t, &l)
	var list struct {
		Data []inventory.Level `json:"data"`
	}
	c.do(http.MethodGet, "/v1/admin/inventory/levels?variant_id="+c.variant, nil).Expect(t, http.StatusOK).JSON(t, &list)
	if l.Bin != "A-03-2" || len(list.Data) != 1 || list.Data[0].Bin != "A-03-2" || list.Data[0].OnHand != 3 {
		t.Fatalf("patched %+v, listed %+v", l, list.Data)
	}
}
