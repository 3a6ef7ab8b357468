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
	"storekeep/internal/orders/fulfiltest"
)

// afterSales is a running server with an order placed (as checkout would)
// by a signed-in customer, and staff tokens.
type afterSales struct {
	h                           *apitest.Harness
	shop                        *fulfiltest.Shop
	wh                          string
	v                           fulfiltest.Variant
	buyer                       apitest.Account
	keeper, manager, supportTok string
}

func newAfterSales(t *testing.T) afterSales {
	t.Helper()
	h := apitest.New(t)
	shop := fulfiltest.New(h.DB)
	a := afterSales{h: h, shop: shop, wh: shop.Warehouse(t), v: shop.Variant(t), buyer: h.NewCustomer(t),
		keeper: h.StaffToken(t, "warehouse"), manager: h.StaffToken(t, "manager"), supportTok: h.StaffToken(t, "support")}
	shop.Stock(t, a.v.ID, a.wh, 5)
	return a
}

func (a afterSales) order(t *testing.T, qty, total int64, capture bool) orders.Order {
	t.Helper()
	return a.shop.Order(t, fulfiltest.Spec{CustomerID: &a.buyer.ID, Capture: capture,
		Lines: []fulfiltest.Line{{Variant: a.v, Quantity: qty, Total: total}}})
}

func (a afterSales) get(t *testing.T, orderID string) orders.Order {
	t.Helper()
	var o orders.Order
	a.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/orders/" + orderID, Token: a.supportTok}).
		Expect(t, http.StatusOK).JSON(t, &o)
	return o
}

func orderStates(o orders.Order) [3]string {
	return [3]string{o.Status, o.PaymentStatus, o.FulfillmentStatus}
}

// TestOrderLifecycleHTTP: fulfil (idempotent), ship, deliver, return,
// receive and refund over HTTP, with the refusals on the way.
func TestOrderLifecycleHTTP(t *testing.T) {
	t.Parallel()
	a := newAfterSales(t)
	h := a.h
	o := a.order(t, 2, 2000, false)
	path := "/v1/admin/orders/" + o.ID + "/fulfillments"
	one := map[string]any{"items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 2}}}

	h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.supportTok, Body: one}).ExpectProblem(t, http.StatusForbidden, "forbidden")
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/order_nope/fulfillments", Token: a.keeper, Body: one}).
		ExpectProblem(t, http.StatusNotFound, "not_found")
	h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.keeper,
		Body: map[string]any{"items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 3}}}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "quantity_exceeds_unfulfilled")
	h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.keeper,
		Body: map[string]any{"items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 1}}, "status": "shipped"}}).
		ExpectProblem(t, http.StatusBadRequest, "malformed_request")
	h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: h.APIKey(t, "warehouse"), Body: one}).
		ExpectProblem(t, http.StatusBadRequest, "idempotency_key_required")
	if d := cmp.Diff(map[string]int64{"fulfillments": 0, "fulfillment_items": 0}, h.RowCounts(t, "fulfillments", "fulfillment_items")); d != "" {
		t.Fatalf("refused requests wrote rows (-want +got):\n%s", d)
	}

	key := map[string]string{"Idempotency-Key": "ful-" + o.ID}
	res := h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.keeper, Body: one, Header: key}).Expect(t, http.StatusCreated)
	var f orders.Fulfillment
	res.JSON(t, &f)
	if f.WarehouseID != a.wh || len(f.Items) != 1 || f.Items[0].SKU != a.v.SKU || f.Items[0].Quantity != 2 {
		t.Fatalf("fulfilment: %+v", f)
	}
	replay := h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.keeper, Body: one, Header: key}).Expect(t, http.StatusCreated)
	if replay.Header.Get("Idempotent-Replayed") != "true" || string(replay.Body) != string(res.Body) {
		t.Errorf("replay: header %q, same body %v", replay.Header.Get("Idempotent-Replayed"), string(replay.Body) == string(res.Body))
	}
	if n := h.RowCounts(t, "fulfillments")["fulfillments"]; n != 1 {
		t.Errorf("%d fulfilments after a replay, want 1", n)
	}
	if d := cmp.Diff([3]string{"confirmed", "captured", "fulfilled"}, orderStates(a.get(t, o.ID))); d != "" {
		t.Errorf("fulfilled and captured (-want +got):\n%s", d)
	}

	fpath := path + "/" + f.ID
	h.Do(apitest.Request{Method: http.MethodPost, Path: fpath + "/deliver", Token: a.keeper}).ExpectProblem(t, http.StatusConflict, "invalid_status")
	h.Do(apitest.Request{Method: http.MethodPost, Path: fpath + "/ship", Token: a.keeper, Body: map[string]any{"carrier": "UPS"}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	h.Do(apitest.Request{Method: http.MethodPost, Path: fpath + "/pack", Token: a.keeper}).Expect(t, http.StatusOK)
	h.Do(apitest.Request{Method: http.MethodPost, Path: fpath + "/ship", Token: a.keeper,
		Body: map[string]any{"carrier": "UPS", "tracking_number": "1Z999"}}).Expect(t, http.StatusOK)
	h.Do(apitest.Request{Method: http.MethodPost, Path: fpath + "/deliver", Token: a.keeper}).Expect(t, http.StatusOK)
	if d := cmp.Diff([3]string{"completed", "captured", "delivered"}, orderStates(a.get(t, o.ID))); d != "" {
		t.Errorf("delivered (-want +got):\n%s", d)
	}
	var fl struct{ Data []orders.Fulfillment }
	h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: a.supportTok}).Expect(t, http.StatusOK).JSON(t, &fl)
	if len(fl.Data) != 1 || fl.Data[0].Status != "delivered" || fl.Data[0].TrackingNumber != "1Z999" {
		t.Errorf("fulfilments: %+v", fl.Data)
	}

	// The customer returns one unit; staff receive it as sellable.
	rpath := "/v1/store/orders/" + o.ID + "/returns"
	ret := map[string]any{"reason": "too small", "items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 1}}}
	stranger := h.NewCustomer(t)
	h.Do(apitest.Request{Method: http.MethodPost, Path: rpath, Token: stranger.AccessToken, Body: ret}).ExpectProblem(t, http.StatusNotFound, "not_found")
	h.Do(apitest.Request{Method: http.MethodPost, Path: rpath, Token: a.buyer.AccessToken,
		Body: map[string]any{"reason": "x", "items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 3}}}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "quantity_exceeds_returnable")
	var r orders.Return
	h.Do(apitest.Request{Method: http.MethodPost, Path: rpath, Token: a.buyer.AccessToken, Body: ret}).Expect(t, http.StatusCreated).JSON(t, &r)
	if r.Status != "requested" || len(r.Items) != 1 {
		t.Fatalf("return: %+v", r)
	}
	var mine struct{ Data []orders.Return }
	h.Do(apitest.Request{Method: http.MethodGet, Path: rpath, Token: a.buyer.AccessToken}).Expect(t, http.StatusOK).JSON(t, &mine)
	if len(mine.Data) != 1 {
		t.Errorf("my returns: %d", len(mine.Data))
	}
	var open struct{ Data []orders.Return }
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/returns?status=requested", Token: a.supportTok}).
		Expect(t, http.StatusOK).JSON(t, &open)
	if len(open.Data) != 1 || open.Data[0].ID != r.ID {
		t.Errorf("requested returns: %+v", open.Data)
	}
	recv := map[string]any{"warehouse_id": a.wh, "items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 1, "condition": "sellable"}}}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/returns/" + r.ID + "/receive", Token: a.supportTok, Body: recv}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/returns/" + r.ID + "/receive", Token: a.keeper, Body: recv}).
		Expect(t, http.StatusOK).JSON(t, &r)
	if r.Status != "refunded" || r.RefundAmount.Minor != 1000 {
		t.Errorf("received return: %+v", r)
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/returns/" + r.ID + "/receive", Token: a.keeper, Body: recv}).
		ExpectProblem(t, http.StatusConflict, "invalid_status")
	var refunds struct{ Data []orders.Refund }
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/orders/" + o.ID + "/refunds", Token: a.supportTok}).
		Expect(t, http.StatusOK).JSON(t, &refunds)
	if len(refunds.Data) != 1 || refunds.Data[0].Amount.Minor != 1000 || refunds.Data[0].ReturnID == nil {
		t.Errorf("refunds: %+v", refunds.Data)
	}
	if d := cmp.Diff([3]string{"completed", "partially_refunded", "delivered"}, orderStates(a.get(t, o.ID))); d != "" {
		t.Errorf("after the return (-want +got):\n%s", d)
	}
	var lvl struct{ Data []inventory.Level }
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/inventory/levels?variant_id=" + a.v.ID, Token: a.keeper}).
		Expect(t, http.StatusOK).JSON(t, &lvl)
	if len(lvl.Data) != 1 || lvl.Data[0].OnHand != 4 || lvl.Data[0].Reserved != 0 {
		t.Errorf("stock after 2 sold and 1 restocked: %+v, want on_hand 4", lvl.Data)
	}
}

// TestOrderActionsHTTP: cancel and refunds require an Idempotency-Key and
// a manager; illegal moves are 409 and change nothing.
func TestOrderActionsHTTP(t *testing.T) {
	t.Parallel()
	a := newAfterSales(t)
	h := a.h
	o := a.order(t, 1, 1500, false)
	cancel := "/v1/admin/orders/" + o.ID + "/cancel"
	before := a.get(t, o.ID)
	h.Do(apitest.Request{Method: http.MethodPost, Path: cancel, Token: a.manager}).ExpectProblem(t, http.StatusBadRequest, "idempotency_key_required")
	h.Do(apitest.Request{Method: http.MethodPost, Path: cancel, Token: a.keeper, Header: map[string]string{"Idempotency-Key": "c0"}}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
	if d := cmp.Diff(before, a.get(t, o.ID)); d != "" {
		t.Fatalf("refused cancels changed the order (-before +after):\n%s", d)
	}

	// Capture by hand, then refunds.
	capture := "/v1/admin/orders/" + o.ID + "/capture"
	var got orders.Order
	h.Do(apitest.Request{Method: http.MethodPost, Path: capture, Token: a.manager}).Expect(t, http.StatusOK).JSON(t, &got)
	if got.PaymentStatus != "captured" {
		t.Errorf("captured: %s", got.PaymentStatus)
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: capture, Token: a.manager}).ExpectProblem(t, http.StatusConflict, "invalid_status")

	refunds := "/v1/admin/orders/" + o.ID + "/refunds"
	body := map[string]any{"amount": map[string]any{"amount": 500, "currency": "EUR"}, "reason": "late"}
	h.Do(apitest.Request{Method: http.MethodPost, Path: refunds, Token: a.manager, Body: body}).
		ExpectProblem(t, http.StatusBadRequest, "idempotency_key_required")
	h.Do(apitest.Request{Method: http.MethodPost, Path: refunds, Token: a.supportTok, Body: body,
		Header: map[string]string{"Idempotency-Key": "r0"}}).ExpectProblem(t, http.StatusForbidden, "forbidden")
	h.Do(apitest.Request{Method: http.MethodPost, Path: refunds, Token: a.manager, Header: map[string]string{"Idempotency-Key": "r1"},
		Body: map[string]any{"amount": map[string]any{"amount": 1501, "currency": "EUR"}, "reason": "too much"}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "refund_exceeds_captured")
	h.Do(apitest.Request{Method: http.MethodPost, Path: refunds, Token: a.manager, Header: map[string]string{"Idempotency-Key": "r2"},
		Body: map[string]any{"amount": map[string]any{"amount": 100, "currency": "USD"}, "reason": "wrong currency"}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "currency_mismatch")
	if n := h.RowCounts(t, "order_refunds")["order_refunds"]; n != 0 {
		t.Fatalf("refused refunds wrote %d rows", n)
	}
	var r orders.Refund
	h.Do(apitest.Request{Method: http.MethodPost, Path: refunds, Token: a.manager, Body: body,
		Header: map[string]string{"Idempotency-Key": "r3"}}).Expect(t, http.StatusCreated).JSON(t, &r)
	if r.Amount.Minor != 500 || r.Reason != "late" {
		t.Errorf("refund: %+v", r)
	}
	if s := a.get(t, o.ID).PaymentStatus; s != "partially_refunded" {
		t.Errorf("payment_status = %s", s)
	}

	// Cancel refunds the rest; a second cancel is 409.
	h.Do(apitest.Request{Method: http.MethodPost, Path: cancel, Token: a.manager, Header: map[string]string{"Idempotency-Key": "c1"}}).
		Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff([3]string{"canceled", "refunded", "unfulfilled"}, orderStates(got)); d != "" {
		t.Errorf("canceled (-want +got):\n%s", d)
	}
	replay := h.Do(apitest.Request{Method: http.MethodPost, Path: cancel, Token: a.manager, Header: map[string]string{"Idempotency-Key": "c1"}})
	if replay.Status != http.StatusOK || replay.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("cancel replay: %d %q", replay.Status, replay.Header.Get("Idempotent-Replayed"))
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: cancel, Token: a.manager, Header: map[string]string{"Idempotency-Key": "c2"}}).
		ExpectProblem(t, http.StatusConflict, "invalid_status")
	var list struct{ Data []orders.Refund }
	h.Do(apitest.Request{Method: http.MethodGet, Path: refunds, Token: a.supportTok}).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 2 || list.Data[1].Amount.Minor != 1000 {
		t.Errorf("refunds: %+v", list.Data)
	}
	var lvl struct{ Data []inventory.Level }
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/inventory/levels?variant_id=" + a.v.ID, Token: a.keeper}).
		Expect(t, http.StatusOK).JSON(t, &lvl)
	if len(lvl.Data) != 1 || lvl.Data[0].OnHand != 5 || lvl.Data[0].Reserved != 0 {
		t.Errorf("stock after cancel: %+v", lvl.Data)
	}
}

// TestParallelCancelsHTTP: five managers cancel one order at once with
// their own keys: one 200, the others 409, the stock released once.
func TestParallelCancelsHTTP(t *testing.T) {
	t.Parallel()
	a := newAfterSales(t)
	o := a.order(t, 2, 2000, true)
	codes := make(chan int, 5)
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Go(func() {
			res := a.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/cancel", Token: a.manager,
				Header: map[string]string{"Idempotency-Key": fmt.Sprintf("cancel-%d", i)}})
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
	if d := cmp.Diff([3]string{"canceled", "refunded", "unfulfilled"}, orderStates(a.get(t, o.ID))); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if n := a.h.RowCounts(t, "order_refunds")["order_refunds"]; n != 1 {
		t.Errorf("%d refunds, want 1", n)
	}
}
