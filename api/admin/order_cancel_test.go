package admin_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/inventory"
	"storekeep/internal/orders"
)

// fulfilHTTP ships qty units of the order's first line and returns the
// fulfilment.
func (a afterSales) fulfilHTTP(t *testing.T, o orders.Order, qty int64) orders.Fulfillment {
	t.Helper()
	var f orders.Fulfillment
	a.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/fulfillments", Token: a.keeper,
		Body: map[string]any{"items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": qty}}}}).
		Expect(t, http.StatusCreated).JSON(t, &f)
	return f
}

// stepHTTP posts a fulfilment step (pack, ship, deliver, cancel).
func (a afterSales) stepHTTP(t *testing.T, orderID, fulfillmentID, step string, status int) *apitest.Response {
	t.Helper()
	var body any
	if step == "ship" {
		body = map[string]any{"carrier": "UPS", "tracking_number": "1Z999"}
	}
	return a.h.Do(apitest.Request{Method: http.MethodPost, Token: a.keeper, Body: body,
		Path: "/v1/admin/orders/" + orderID + "/fulfillments/" + fulfillmentID + "/" + step}).Expect(t, status)
}

// levelHTTP reads the variant's stock level in the warehouse over HTTP.
func (a afterSales) levelHTTP(t *testing.T) inventory.Level {
	t.Helper()
	var lvl struct{ Data []inventory.Level }
	a.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/inventory/levels?variant_id=" + a.v.ID, Token: a.keeper}).
		Expect(t, http.StatusOK).JSON(t, &lvl)
	if len(lvl.Data) != 1 {
		t.Fatalf("levels: %+v", lvl.Data)
	}
	return lvl.Data[0]
}

// stock is a level's [on_hand, reserved, available].
func stock(l inventory.Level) [3]int64 { return [3]int64{l.OnHand, l.Reserved, l.Available} }

// paymentOf reads the order's payment: [authorised, captured, refunded].
func (a afterSales) paymentOf(t *testing.T, orderID string) [3]int64 {
	t.Helper()
	var p struct{ Amount, CapturedAmount, RefundedAmount int64 }
	if err := a.h.DB.Conn(t.Context()).Raw(`SELECT amount, captured_amount, refunded_amount FROM payments
		WHERE order_id = ?`, orderID).Scan(&p).Error; err != nil {
		t.Fatal(err)
	}
	return [3]int64{p.Amount, p.CapturedAmount, p.RefundedAmount}
}

// checkLedger asserts the stock invariants after the flows: every level's
// on_hand is its ledger's sum, its reserved is what active reservations
// hold, and the catalog's available is the sum over active warehouses.
func (a afterSales) checkLedger(t *testing.T) {
	t.Helper()
	var bad []struct{ VariantID, WarehouseID string }
	if err := a.h.DB.Conn(t.Context()).Raw(`SELECT l.variant_id, l.warehouse_id FROM stock_levels l
		WHERE l.on_hand <> COALESCE((SELECT SUM(m.delta) FROM stock_movements m
			WHERE m.variant_id = l.variant_id AND m.warehouse_id = l.warehouse_id), 0)
		OR l.reserved <> COALESCE((SELECT SUM(rl.quantity) FROM reservation_lines rl JOIN reservations r ON r.id = rl.reservation_id
			WHERE r.status = 'active' AND rl.variant_id = l.variant_id AND rl.warehouse_id = l.warehouse_id), 0)`).
		Scan(&bad).Error; err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("levels out of line with the ledger or the reservations: %+v", bad)
	}
	var drift []string
	if err := a.h.DB.Conn(t.Context()).Raw(`SELECT v.id FROM variants v WHERE v.available <> COALESCE((
		SELECT SUM(l.on_hand - l.reserved) FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
		WHERE l.variant_id = v.id AND w.active), 0)`).Scan(&drift).Error; err != nil {
		t.Fatal(err)
	}
	if len(drift) > 0 {
		t.Errorf("variants whose available differs from their stock: %v", drift)
	}
}

// TestCancelRemainderHTTP: an authorised order of 4 units, 1 fulfilled; the
// other 3 are canceled: their stock is on sale again, the payment is
// captured for the fulfilled unit only, a replay returns the same answer,
// and the order completes when its fulfilment is delivered.
func TestCancelRemainderHTTP(t *testing.T) {
	t.Parallel()
	a := newAfterSales(t)
	h := a.h
	o := a.order(t, 4, 4000, false)
	f := a.fulfilHTTP(t, o, 1)
	if d := cmp.Diff([3]int64{4, 3, 1}, stock(a.levelHTTP(t))); d != "" {
		t.Fatalf("after the partial fulfilment [on_hand, reserved, available] (-want +got):\n%s", d)
	}
	path := "/v1/admin/orders/" + o.ID + "/cancel-remainder"
	before := a.get(t, o.ID)
	h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.manager}).
		ExpectProblem(t, http.StatusBadRequest, "idempotency_key_required")
	h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.keeper, Header: map[string]string{"Idempotency-Key": "cr0"}}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
	if d := cmp.Diff(before, a.get(t, o.ID)); d != "" {
		t.Fatalf("refused requests changed the order (-before +after):\n%s", d)
	}

	key := map[string]string{"Idempotency-Key": "cr-" + o.ID}
	res := h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.manager, Header: key}).Expect(t, http.StatusOK)
	var got orders.Order
	res.JSON(t, &got)
	if d := cmp.Diff([3]string{"confirmed", "captured", "fulfilled"}, orderStates(got)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if it := got.Items[0]; it.CanceledQuantity != 3 || it.FulfilledQuantity != 1 || got.CanceledTotal.Minor != 3000 {
		t.Errorf("item %+v, canceled_total %d; want 3 canceled, 3000", it, got.CanceledTotal.Minor)
	}
	if d := cmp.Diff([3]int64{4, 0, 4}, stock(a.levelHTTP(t))); d != "" {
		t.Errorf("the remainder's stock is available again (-want +got):\n%s", d)
	}
	if d := cmp.Diff([3]int64{4000, 1000, 0}, a.paymentOf(t, o.ID)); d != "" {
		t.Errorf("payment [authorised, captured, refunded] (-want +got):\n%s", d)
	}
	replay := h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.manager, Header: key}).Expect(t, http.StatusOK)
	if replay.Header.Get("Idempotent-Replayed") != "true" || string(replay.Body) != string(res.Body) {
		t.Errorf("replay: header %q, same body %v", replay.Header.Get("Idempotent-Replayed"), string(replay.Body) == string(res.Body))
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.manager, Header: map[string]string{"Idempotency-Key": "cr2"}}).
		ExpectProblem(t, http.StatusConflict, "invalid_status")
	if n := h.RowCounts(t, "order_cancellations")["order_cancellations"]; n != 1 {
		t.Errorf("%d cancellations, want 1", n)
	}

	a.stepHTTP(t, o.ID, f.ID, "ship", http.StatusOK)
	if d := cmp.Diff([3]string{"confirmed", "captured", "shipped"}, orderStates(a.get(t, o.ID))); d != "" {
		t.Errorf("shipped (-want +got):\n%s", d)
	}
	a.stepHTTP(t, o.ID, f.ID, "deliver", http.StatusOK)
	if d := cmp.Diff([3]string{"completed", "captured", "delivered"}, orderStates(a.get(t, o.ID))); d != "" {
		t.Errorf("delivered (-want +got):\n%s", d)
	}
	if d := cmp.Diff([3]int64{4, 0, 4}, stock(a.levelHTTP(t))); d != "" {
		t.Errorf("final stock (-want +got):\n%s", d)
	}
	a.checkLedger(t)
}

// TestCancelRemainderCapturedHTTP: the payment was captured at checkout;
// the canceled units' share (333 + 333 of a 1000 line of 3: the first unit
// carries the extra cent) is refunded, shipping-free, and listed.
func TestCancelRemainderCapturedHTTP(t *testing.T) {
	t.Parallel()
	a := newAfterSales(t)
	h := a.h
	o := a.order(t, 3, 1000, true)
	a.fulfilHTTP(t, o, 1)
	nothing := a.order(t, 1, 500, true)
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + nothing.ID + "/cancel-remainder", Token: a.manager,
		Header: map[string]string{"Idempotency-Key": "cr-nothing"}}).ExpectProblem(t, http.StatusConflict, "invalid_status")

	var got orders.Order
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/cancel-remainder", Token: a.manager,
		Header: map[string]string{"Idempotency-Key": "cr-" + o.ID}}).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff([3]string{"confirmed", "partially_refunded", "fulfilled"}, orderStates(got)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got.CanceledTotal.Minor != 666 {
		t.Errorf("canceled_total = %d, want 666", got.CanceledTotal.Minor)
	}
	if d := cmp.Diff([3]int64{1000, 1000, 666}, a.paymentOf(t, o.ID)); d != "" {
		t.Errorf("payment (-want +got):\n%s", d)
	}
	var refunds struct{ Data []orders.Refund }
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/orders/" + o.ID + "/refunds", Token: a.supportTok}).
		Expect(t, http.StatusOK).JSON(t, &refunds)
	if len(refunds.Data) != 1 || refunds.Data[0].Amount.Minor != 666 || refunds.Data[0].ReturnID != nil {
		t.Errorf("refunds: %+v", refunds.Data)
	}
	// The second order was left alone and still holds its unit: 5 - 1 sold - 1 held.
	if d := cmp.Diff([3]int64{4, 1, 3}, stock(a.levelHTTP(t))); d != "" {
		t.Errorf("stock (-want +got):\n%s", d)
	}
	a.checkLedger(t)
}

// TestParallelCancelRemainderHTTP: five managers cancel one remainder at
// once with their own keys: one 200, the others 409, one cancellation, the
// stock released once and the payment captured once.
func TestParallelCancelRemainderHTTP(t *testing.T) {
	t.Parallel()
	a := newAfterSales(t)
	o := a.order(t, 4, 4000, false)
	a.fulfilHTTP(t, o, 2)
	codes := make(chan int, 5)
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Go(func() {
			res := a.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/cancel-remainder",
				Token: a.manager, Header: map[string]string{"Idempotency-Key": fmt.Sprintf("cr-%d", i)}})
			codes <- res.Status
		})
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	if d := cmp.Diff(map[int]int{http.StatusOK: 1, http.StatusConflict: 4}, got); d != "" {
		t.Errorf("statuses (-want +got):\n%s", d)
	}
	if n := a.h.RowCounts(t, "order_cancellations")["order_cancellations"]; n != 1 {
		t.Errorf("%d cancellations, want 1", n)
	}
	if d := cmp.Diff([3]int64{3, 0, 3}, stock(a.levelHTTP(t))); d != "" {
		t.Errorf("stock (-want +got):\n%s", d)
	}
	if d := cmp.Diff([3]int64{4000, 2000, 0}, a.paymentOf(t, o.ID)); d != "" {
		t.Errorf("payment (-want +got):\n%s", d)
	}
	a.checkLedger(t)
}

// TestCancelFulfillmentHTTP: an unshipped fulfilment is canceled; its units
// are fulfillable again and its stock held for the order; a new fulfilment
// takes them; canceling twice or a shipped fulfilment is 409.
func TestCancelFulfillmentHTTP(t *testing.T) {
	t.Parallel()
	a := newAfterSales(t)
	h := a.h
	o := a.order(t, 3, 3000, false)
	f := a.fulfilHTTP(t, o, 2)
	a.stepHTTP(t, o.ID, f.ID, "pack", http.StatusOK)
	cancel := "/v1/admin/orders/" + o.ID + "/fulfillments/" + f.ID + "/cancel"
	h.Do(apitest.Request{Method: http.MethodPost, Path: cancel, Token: a.supportTok}).ExpectProblem(t, http.StatusForbidden, "forbidden")
	h.Do(apitest.Request{Method: http.MethodPost, Path: cancel, Token: h.APIKey(t, "warehouse")}).
		ExpectProblem(t, http.StatusBadRequest, "idempotency_key_required")
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/fulfillments/ful_nope/cancel", Token: a.keeper}).
		ExpectProblem(t, http.StatusNotFound, "not_found")

	key := map[string]string{"Idempotency-Key": "fc-" + f.ID}
	res := h.Do(apitest.Request{Method: http.MethodPost, Path: cancel, Token: a.keeper, Header: key}).Expect(t, http.StatusOK)
	var got orders.Fulfillment
	res.JSON(t, &got)
	if got.Status != "canceled" || got.CanceledAt == nil {
		t.Errorf("canceled fulfilment: %+v", got)
	}
	replay := h.Do(apitest.Request{Method: http.MethodPost, Path: cancel, Token: a.keeper, Header: key}).Expect(t, http.StatusOK)
	if replay.Header.Get("Idempotent-Replayed") != "true" || string(replay.Body) != string(res.Body) {
		t.Errorf("replay: header %q, same body %v", replay.Header.Get("Idempotent-Replayed"), string(replay.Body) == string(res.Body))
	}
	a.stepHTTP(t, o.ID, f.ID, "cancel", http.StatusConflict) // twice, without the key
	a.stepHTTP(t, o.ID, f.ID, "ship", http.StatusConflict)   // a canceled fulfilment does not ship
	ord := a.get(t, o.ID)
	if d := cmp.Diff([3]string{"confirmed", "authorized", "unfulfilled"}, orderStates(ord)); d != "" || ord.Items[0].FulfilledQuantity != 0 {
		t.Errorf("fulfilled %d (-want +got):\n%s", ord.Items[0].FulfilledQuantity, d)
	}
	// The picked units are back on the shelf, held for the order, not on sale.
	if d := cmp.Diff([3]int64{5, 3, 2}, stock(a.levelHTTP(t))); d != "" {
		t.Errorf("stock (-want +got):\n%s", d)
	}
	a.checkLedger(t)

	// A new fulfilment takes all three units; it ships, and then cannot be canceled.
	f2 := a.fulfilHTTP(t, ord, 3)
	if d := cmp.Diff([3]string{"confirmed", "captured", "fulfilled"}, orderStates(a.get(t, o.ID))); d != "" {
		t.Errorf("fulfilled again (-want +got):\n%s", d)
	}
	a.stepHTTP(t, o.ID, f2.ID, "ship", http.StatusOK)
	a.stepHTTP(t, o.ID, f2.ID, "cancel", http.StatusConflict).ExpectProblem(t, http.StatusConflict, "invalid_status")
	if d := cmp.Diff([3]int64{2, 0, 2}, stock(a.levelHTTP(t))); d != "" {
		t.Errorf("stock after the new fulfilment (-want +got):\n%s", d)
	}
	var fl struct{ Data []orders.Fulfillment }
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/orders/" + o.ID + "/fulfillments", Token: a.supportTok}).
		Expect(t, http.StatusOK).JSON(t, &fl)
	if len(fl.Data) != 2 || fl.Data[0].Status != "canceled" || fl.Data[1].Status != "shipped" {
		t.Errorf("fulfilments: %+v", fl.Data)
	}
	a.checkLedger(t)
}
