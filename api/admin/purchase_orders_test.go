package admin_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/inventory"
)

// purchasingTables are every table purchasing routes may write (receipts
// also write stock).
var purchasingTables = []string{"suppliers", "supplier_items", "purchase_orders", "purchase_order_items",
	"stock_levels", "stock_movements"}

// buyer is a test shop with a manager, warehouse staff, one warehouse, a
// supplier and variants the supplier sells.
type buyer struct {
	t         *testing.T
	h         *apitest.Harness
	manager   string
	keeper    string
	warehouse string
	supplier  inventory.Supplier
	variants  []string
}

var buyerSeq atomic.Int64

func newBuyer(t *testing.T, nVariants int) *buyer {
	t.Helper()
	h := apitest.New(t)
	b := &buyer{t: t, h: h, manager: h.StaffToken(t, "manager"), keeper: h.StaffToken(t, "warehouse")}
	n := buyerSeq.Add(1)
	var vals []string
	var variants []map[string]any
	for i := range nVariants {
		vals = append(vals, fmt.Sprintf("%d ml", 50*(i+1)))
		variants = append(variants, map[string]any{"sku": fmt.Sprintf("PO-%d-%d", n, i),
			"options": map[string]string{"Size": vals[i]}, "prices": []any{money(1500, "EUR")}})
	}
	var p struct {
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	b.do(b.manager, http.MethodPost, "/v1/admin/products", map[string]any{"title": fmt.Sprintf("Serum %d", n),
		"status": "published", "options": []any{map[string]any{"name": "Size", "values": vals}},
		"variants": variants}).Expect(t, http.StatusCreated).JSON(t, &p)
	for _, v := range p.Variants {
		b.variants = append(b.variants, v.ID)
	}
	var wh struct {
		ID string `json:"id"`
	}
	b.do(b.manager, http.MethodPost, "/v1/admin/warehouses", map[string]any{"code": fmt.Sprintf("PAR-%d", n),
		"name": "Paris", "country_code": "FR"}).Expect(t, http.StatusCreated).JSON(t, &wh)
	b.warehouse = wh.ID
	b.do(b.manager, http.MethodPost, "/v1/admin/suppliers", map[string]any{"name": "Lumière Labs",
		"currency": "EUR", "lead_time_days": 10}).Expect(t, http.StatusCreated).JSON(t, &b.supplier)
	for _, v := range b.variants {
		b.do(b.manager, http.MethodPut, "/v1/admin/suppliers/"+b.supplier.ID+"/items/"+v, map[string]any{
			"supplier_sku": "LL-1", "unit_cost": money(400, "EUR"), "moq": 6, "preferred": true}).
			Expect(t, http.StatusOK)
	}
	return b
}

func (b *buyer) do(token, method, path string, body any) *apitest.Response {
	b.t.Helper()
	return b.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: token})
}

// createPO creates a draft with qty units of each variant.
func (b *buyer) createPO(qty int64) inventory.PurchaseOrder {
	b.t.Helper()
	var items []any
	for _, v := range b.variants {
		items = append(items, map[string]any{"variant_id": v, "quantity": qty})
	}
	var po inventory.PurchaseOrder
	b.do(b.manager, http.MethodPost, "/v1/admin/purchase-orders", map[string]any{"supplier_id": b.supplier.ID,
		"warehouse_id": b.warehouse, "items": items}).Expect(b.t, http.StatusCreated).JSON(b.t, &po)
	return po
}

func (b *buyer) action(po, verb string, want int) inventory.PurchaseOrder {
	b.t.Helper()
	var out inventory.PurchaseOrder
	res := b.do(b.manager, http.MethodPost, "/v1/admin/purchase-orders/"+po+"/"+verb, nil).Expect(b.t, want)
	if want == http.StatusOK {
		res.JSON(b.t, &out)
	}
	return out
}

func (b *buyer) receive(po string, qty ...int64) *apitest.Response {
	b.t.Helper()
	var items []any
	for i, q := range qty {
		items = append(items, map[string]any{"variant_id": b.variants[i], "quantity": q})
	}
	return b.do(b.keeper, http.MethodPost, "/v1/admin/purchase-orders/"+po+"/receive",
		map[string]any{"warehouse_id": b.warehouse, "items": items})
}

// onHand reads a variant's level in the test warehouse through the API.
func (b *buyer) onHand(variantID string) int64 {
	b.t.Helper()
	var l struct {
		Data []inventory.Level `json:"data"`
	}
	b.do(b.keeper, http.MethodGet, "/v1/admin/inventory/levels?variant_id="+variantID+"&warehouse_id="+b.warehouse, nil).
		Expect(b.t, http.StatusOK).JSON(b.t, &l)
	if len(l.Data) == 0 {
		return 0
	}
	return l.Data[0].OnHand
}

func TestPurchaseOrderLifecycle(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, 2)
	po := b.createPO(10)
	if po.Status != inventory.PODraft || po.Number == "" || po.Currency != "EUR" || po.Total.Minor != 2*10*400 {
		t.Fatalf("created %+v", po)
	}
	// Drafts cannot be received.
	b.receive(po.ID, 1).ExpectProblem(t, http.StatusConflict, "invalid_status")
	// A draft can be edited.
	var edited inventory.PurchaseOrder
	b.do(b.manager, http.MethodPatch, "/v1/admin/purchase-orders/"+po.ID, map[string]any{"notes": "ring twice",
		"items": []any{map[string]any{"variant_id": b.variants[0], "quantity": 10},
			map[string]any{"variant_id": b.variants[1], "quantity": 10, "unit_cost": money(450, "EUR")}}}).
		Expect(t, http.StatusOK).JSON(t, &edited)
	if edited.Notes != "ring twice" || edited.Items[1].UnitCost.Minor != 450 {
		t.Fatalf("edited %+v", edited)
	}
	sent := b.action(po.ID, "send", http.StatusOK)
	if sent.Status != inventory.POSent || sent.SentAt == nil {
		t.Fatalf("sent %+v", sent)
	}
	// Sent orders are no longer editable and cannot be sent again.
	b.do(b.manager, http.MethodPatch, "/v1/admin/purchase-orders/"+po.ID, map[string]any{"notes": "x"}).
		ExpectProblem(t, http.StatusConflict, "invalid_status")
	b.action(po.ID, "send", http.StatusConflict)

	var got inventory.PurchaseOrder
	b.receive(po.ID, 4, 10).Expect(t, http.StatusOK).JSON(t, &got)
	want := []inventory.PurchaseOrderItem{
		{VariantID: b.variants[0], Quantity: 10, Received: 4, UnitCost: edited.Items[0].UnitCost},
		{VariantID: b.variants[1], Quantity: 10, Received: 10, UnitCost: edited.Items[1].UnitCost},
	}
	if got.Status != inventory.POPartiallyReceived || cmp.Diff(want, got.Items) != "" {
		t.Fatalf("after partial receipt: %s %s", got.Status, cmp.Diff(want, got.Items))
	}
	// Goods received: no cancel any more.
	b.action(po.ID, "cancel", http.StatusConflict)

	// Over-receipt: 422 naming the line, nothing applied (not even the
	// valid first line).
	before := b.h.RowCounts(t, purchasingTables...)
	p := b.receive(po.ID, 6, 1).ExpectProblem(t, http.StatusUnprocessableEntity, "over_receipt")
	if d := cmp.Diff([]string{"items[1].quantity"}, fieldsOf(p)); d != "" {
		t.Errorf("over_receipt fields (-want +got)\n%s", d)
	}
	if d := cmp.Diff(before, b.h.RowCounts(t, purchasingTables...)); d != "" {
		t.Errorf("rows changed by a rejected receipt (-before +after)\n%s", d)
	}
	if n := b.onHand(b.variants[0]); n != 4 {
		t.Fatalf("on hand after rejected receipt = %d, want 4", n)
	}

	b.receive(po.ID, 6).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Status != inventory.POReceived {
		t.Fatalf("status = %s, want received", got.Status)
	}
	if a, c := b.onHand(b.variants[0]), b.onHand(b.variants[1]); a != 10 || c != 10 {
		t.Fatalf("on hand = %d, %d; want 10, 10", a, c)
	}
	var mv struct {
		Data []inventory.Movement `json:"data"`
	}
	b.do(b.keeper, http.MethodGet, "/v1/admin/inventory/movements?variant_id="+b.variants[0], nil).
		Expect(t, http.StatusOK).JSON(t, &mv)
	var deltas []int64
	for _, m := range mv.Data {
		if m.Kind != inventory.KindReceipt || m.Reference != po.ID {
			t.Errorf("movement %+v: want a receipt referencing %s", m, po.ID)
		}
		deltas = append(deltas, m.Delta)
	}
	if len(deltas) != 2 || deltas[0]+deltas[1] != 10 {
		t.Errorf("receipt deltas = %v, want 4 and 6", deltas)
	}
	b.receive(po.ID, 1).ExpectProblem(t, http.StatusConflict, "invalid_status")

	// The list filters by status.
	var list struct {
		Data []inventory.PurchaseOrder `json:"data"`
	}
	b.do(b.keeper, http.MethodGet, "/v1/admin/purchase-orders?status=received", nil).
		Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != po.ID {
		t.Fatalf("received list = %+v", list.Data)
	}
	b.do(b.keeper, http.MethodGet, "/v1/admin/purchase-orders?status=draft", nil).
		Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 0 {
		t.Fatalf("draft list = %+v", list.Data)
	}
	b.do(b.keeper, http.MethodGet, "/v1/admin/purchase-orders?status=lost", nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
}

func TestPurchaseOrderCancel(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, 1)
	draft := b.createPO(5)
	if got := b.action(draft.ID, "cancel", http.StatusOK); got.Status != inventory.POCanceled {
		t.Fatalf("canceled draft = %s", got.Status)
	}
	sent := b.createPO(5)
	b.action(sent.ID, "send", http.StatusOK)
	b.action(sent.ID, "cancel", http.StatusOK)
	before := b.h.RowCounts(t, purchasingTables...)
	// Nothing leaves canceled.
	b.receive(sent.ID, 1).ExpectProblem(t, http.StatusConflict, "invalid_status")
	b.action(sent.ID, "send", http.StatusConflict)
	b.action(sent.ID, "cancel", http.StatusConflict)
	if d := cmp.Diff(before, b.h.RowCounts(t, purchasingTables...)); d != "" {
		t.Errorf("rows changed (-before +after)\n%s", d)
	}
	if n := b.onHand(b.variants[0]); n != 0 {
		t.Fatalf("on hand = %d, want 0", n)
	}
}

func TestPurchaseOrderBadInput(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, 1)
	v := b.variants[0]
	po := b.createPO(5)
	b.action(po.ID, "send", http.StatusOK)
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
		{"no items", b.manager, http.MethodPost, "/v1/admin/purchase-orders",
			map[string]any{"supplier_id": b.supplier.ID, "items": []any{}}, 422, "validation_failed", []string{"items"}},
		{"unknown supplier", b.manager, http.MethodPost, "/v1/admin/purchase-orders",
			map[string]any{"supplier_id": "sup_nope", "items": []any{map[string]any{"variant_id": v, "quantity": 1}}},
			422, "validation_failed", []string{"supplier_id"}},
		{"zero and duplicate lines", b.manager, http.MethodPost, "/v1/admin/purchase-orders",
			map[string]any{"supplier_id": b.supplier.ID, "items": []any{map[string]any{"variant_id": v, "quantity": 0},
				map[string]any{"variant_id": v, "quantity": 1}}},
			422, "validation_failed", []string{"items[0].quantity", "items[1].variant_id"}},
		{"unknown variant", b.manager, http.MethodPost, "/v1/admin/purchase-orders",
			map[string]any{"supplier_id": b.supplier.ID, "items": []any{map[string]any{"variant_id": "var_x", "quantity": 1}}},
			422, "validation_failed", []string{"items[0].variant_id", "items[0].unit_cost"}},
		{"cost in another currency", b.manager, http.MethodPost, "/v1/admin/purchase-orders",
			map[string]any{"supplier_id": b.supplier.ID, "items": []any{map[string]any{"variant_id": v, "quantity": 1,
				"unit_cost": money(100, "USD")}}}, 422, "validation_failed", []string{"items[0].unit_cost.currency"}},
		{"client-sent status", b.manager, http.MethodPost, "/v1/admin/purchase-orders",
			map[string]any{"supplier_id": b.supplier.ID, "status": "received",
				"items": []any{map[string]any{"variant_id": v, "quantity": 1}}}, 400, "malformed_request", nil},
		{"warehouse staff cannot buy", b.keeper, http.MethodPost, "/v1/admin/purchase-orders",
			map[string]any{"supplier_id": b.supplier.ID, "items": []any{map[string]any{"variant_id": v, "quantity": 1}}},
			403, "forbidden", nil},
		{"receive negative", b.keeper, http.MethodPost, "/v1/admin/purchase-orders/" + po.ID + "/receive",
			map[string]any{"warehouse_id": b.warehouse, "items": []any{map[string]any{"variant_id": v, "quantity": -1}}},
			422, "validation_failed", []string{"items[0].quantity"}},
		{"receive unknown warehouse", b.keeper, http.MethodPost, "/v1/admin/purchase-orders/" + po.ID + "/receive",
			map[string]any{"warehouse_id": "wh_nope", "items": []any{map[string]any{"variant_id": v, "quantity": 1}}},
			422, "validation_failed", []string{"warehouse_id"}},
		{"receive a variant not ordered", b.keeper, http.MethodPost, "/v1/admin/purchase-orders/" + po.ID + "/receive",
			map[string]any{"warehouse_id": b.warehouse, "items": []any{map[string]any{"variant_id": "var_other", "quantity": 1}}},
			422, "validation_failed", []string{"items[0].variant_id"}},
		{"receive more than ordered", b.keeper, http.MethodPost, "/v1/admin/purchase-orders/" + po.ID + "/receive",
			map[string]any{"warehouse_id": b.warehouse, "items": []any{map[string]any{"variant_id": v, "quantity": 6}}},
			422, "over_receipt", []string{"items[0].quantity"}},
		{"malformed id", b.keeper, http.MethodPost, "/v1/admin/purchase-orders/nope/receive",
			map[string]any{"warehouse_id": b.warehouse, "items": []any{map[string]any{"variant_id": v, "quantity": 1}}},
			404, "not_found", nil},
		{"unknown id", b.keeper, http.MethodGet, "/v1/admin/purchase-orders/po_06h1wbq28dxanf5st2bqp8yfxm", nil,
			404, "not_found", nil},
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
}

// TestParallelReceivesOverHTTP fires receipts of the same line at once:
// received never passes the ordered quantity and stock matches exactly.
func TestParallelReceivesOverHTTP(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, 1)
	po := b.createPO(12)
	b.action(po.ID, "send", http.StatusOK)
	const workers = 16
	var (
		wg       sync.WaitGroup
		ok, fail atomic.Int64
	)
	for range workers {
		wg.Go(func() {
			res := b.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/purchase-orders/" + po.ID + "/receive",
				Token: b.keeper, Body: map[string]any{"warehouse_id": b.warehouse,
					"items": []any{map[string]any{"variant_id": b.variants[0], "quantity": 3}}}})
			switch res.Status {
			case http.StatusOK:
				ok.Add(1)
			case http.StatusUnprocessableEntity, http.StatusConflict:
				fail.Add(1)
			default:
				t.Errorf("status %d: %s", res.Status, res.Body)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 4 || fail.Load() != workers-4 {
		t.Fatalf("%d ok, %d rejected; want 4 and %d", ok.Load(), fail.Load(), workers-4)
	}
	var got inventory.PurchaseOrder
	b.do(b.keeper, http.MethodGet, "/v1/admin/purchase-orders/"+po.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Status != inventory.POReceived || got.Items[0].Received != 12 {
		t.Fatalf("status %s received %d; want received 12", got.Status, got.Items[0].Received)
	}
	if n := b.onHand(b.variants[0]); n != 12 {
		t.Fatalf("on hand = %d, want 12", n)
	}
}

// TestReceiveIdempotencyKey: a retried receipt with the same key replays the
// first answer and books the goods once; the key with another body is a 422.
func TestReceiveIdempotencyKey(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, 1)
	po := b.createPO(10)
	b.action(po.ID, "send", http.StatusOK)
	req := func(qty int64) apitest.Request {
		return apitest.Request{Method: http.MethodPost, Path: "/v1/admin/purchase-orders/" + po.ID + "/receive",
			Token: b.keeper, Header: map[string]string{"Idempotency-Key": "receipt-42"},
			Body: map[string]any{"warehouse_id": b.warehouse,
				"items": []any{map[string]any{"variant_id": b.variants[0], "quantity": qty}}}}
	}
	first := b.h.Do(req(4)).Expect(t, http.StatusOK)
	again := b.h.Do(req(4)).Expect(t, http.StatusOK)
	if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Fatalf("replay: header %q, same body %v", again.Header.Get("Idempotent-Replayed"), string(again.Body) == string(first.Body))
	}
	b.h.Do(req(5)).ExpectProblem(t, http.StatusUnprocessableEntity, "idempotency_conflict")
	if n := b.onHand(b.variants[0]); n != 4 {
		t.Fatalf("on hand = %d, want 4 (received once)", n)
	}
}
