package admin_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/orders"
	"storekeep/internal/orders/fulfiltest"
)

// TestCheckoutToRefundHTTP drives an order from a real checkout (tok_visa,
// authorised only) through fulfilment (which captures it), shipping,
// delivery, a return of one unit and its refund, with the totals exact at
// each step.
func TestCheckoutToRefundHTTP(t *testing.T) {
	t.Parallel()
	a := newAfterSales(t)
	h := a.h
	admin := h.StaffToken(t, "admin")
	var region struct{ ID string }
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/regions", Token: admin, Body: map[string]any{
		"name": "France", "currency": "EUR", "country_codes": []string{"FR"}, "tax_rate": 2000, "tax_inclusive": true}}).
		Expect(t, http.StatusCreated).JSON(t, &region)
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/shipping-options", Token: admin, Body: map[string]any{
		"region_id": region.ID, "name": "Colissimo", "type": "flat", "amount": map[string]any{"amount": 500, "currency": "EUR"}}}).
		Expect(t, http.StatusCreated)

	buyer := a.buyer.AccessToken
	var cart struct{ ID string }
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts", Token: buyer, Body: map[string]any{"currency": "EUR"}}).
		Expect(t, http.StatusCreated).JSON(t, &cart)
	cp := "/v1/store/carts/" + cart.ID
	h.Do(apitest.Request{Method: http.MethodPatch, Path: cp, Token: buyer, Body: map[string]any{"email": "buyer@example.com",
		"shipping_address": fulfiltest.Address(), "billing_address": fulfiltest.Address()}}).Expect(t, http.StatusOK)
	h.Do(apitest.Request{Method: http.MethodPost, Path: cp + "/items", Token: buyer,
		Body: map[string]any{"variant_id": a.v.ID, "quantity": 3}}).Expect(t, http.StatusOK)
	var opts struct{ Data []struct{ ID string } }
	h.Do(apitest.Request{Method: http.MethodGet, Path: cp + "/shipping-options", Token: buyer}).Expect(t, http.StatusOK).JSON(t, &opts)
	if len(opts.Data) != 1 {
		t.Fatalf("shipping options: %+v", opts.Data)
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: cp + "/shipping-method", Token: buyer,
		Body: map[string]any{"shipping_option_id": opts.Data[0].ID}}).Expect(t, http.StatusOK)
	var placed struct{ Order orders.Order }
	h.Do(apitest.Request{Method: http.MethodPost, Path: cp + "/checkout", Token: buyer,
		Header: map[string]string{"Idempotency-Key": "checkout-" + cart.ID},
		Body:   map[string]any{"payment": map[string]any{"provider": "test", "method": "card", "token": "tok_visa"}}}).
		Expect(t, http.StatusCreated).JSON(t, &placed)
	o := placed.Order
	if o.Total.Minor != 3500 || len(o.Items) != 1 || o.Items[0].Total.Minor != 3000 {
		t.Fatalf("order totals: total %d, items %+v", o.Total.Minor, o.Items)
	}
	if d := cmp.Diff([3]string{"confirmed", "authorized", "unfulfilled"}, orderStates(o)); d != "" {
		t.Fatalf("placed (-want +got):\n%s", d)
	}

	// Fulfil without naming a warehouse: the reservation's is used.
	path := "/v1/admin/orders/" + o.ID + "/fulfillments"
	var f orders.Fulfillment
	h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: a.keeper,
		Body: map[string]any{"items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 3}}}}).
		Expect(t, http.StatusCreated).JSON(t, &f)
	if f.WarehouseID != a.wh {
		t.Errorf("fulfilled from %s, want the reservation's %s", f.WarehouseID, a.wh)
	}
	if d := cmp.Diff([3]string{"confirmed", "captured", "fulfilled"}, orderStates(a.get(t, o.ID))); d != "" {
		t.Errorf("fulfilled (-want +got):\n%s", d)
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: path + "/" + f.ID + "/ship", Token: a.keeper,
		Body: map[string]any{"carrier": "Colissimo", "tracking_number": "6A1"}}).Expect(t, http.StatusOK)
	h.Do(apitest.Request{Method: http.MethodPost, Path: path + "/" + f.ID + "/deliver", Token: a.keeper}).Expect(t, http.StatusOK)

	var r orders.Return
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/orders/" + o.ID + "/returns", Token: buyer,
		Body: map[string]any{"reason": "changed my mind", "items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 1}}}}).
		Expect(t, http.StatusCreated).JSON(t, &r)
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/returns/" + r.ID + "/receive", Token: a.keeper,
		Body: map[string]any{"warehouse_id": a.wh, "items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 1, "condition": "damaged"}}}}).
		Expect(t, http.StatusOK).JSON(t, &r)
	if r.Status != "refunded" || r.RefundAmount.Minor != 1000 {
		t.Errorf("return: status %s, refund %d; want refunded 1000", r.Status, r.RefundAmount.Minor)
	}
	got := a.get(t, o.ID)
	if d := cmp.Diff([3]string{"completed", "partially_refunded", "delivered"}, orderStates(got)); d != "" {
		t.Errorf("after the return (-want +got):\n%s", d)
	}
	if got.Items[0].ReturnedQuantity != 1 || got.Items[0].FulfilledQuantity != 3 {
		t.Errorf("item quantities: %+v", got.Items[0])
	}
	if n := h.RowCounts(t, "stock_movements")["stock_movements"]; n != 2 {
		t.Errorf("%d movements, want 2 (stock in, sale; the damaged unit is not restocked)", n)
	}
}
