package api_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/checkout"
	"storekeep/internal/orders"
)

// TestWholePath is issue 4's path over HTTP: register, browse, cart,
// WELCOME15, shipping, checkout with tok_visa, the order seen by the
// customer and by staff, fulfil (capture), ship, deliver, return one unit,
// receive it back on the shelf, refund it. Totals are exact at every step,
// and after every step each stock level equals the sum of its ledger.
func TestWholePath(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 5)
	h := s.h
	keeper := h.StaffToken(t, "warehouse")

	var reg struct {
		AccessToken string `json:"access_token"`
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/customers/register", Body: map[string]any{
		"email": "lea@example.com", "password": "a long enough password", "first_name": "Léa", "last_name": "Roux"}}).
		Expect(t, http.StatusCreated).JSON(t, &reg)
	p := &shopper{s: s, token: reg.AccessToken}

	var found struct {
		Data []struct {
			Variants []struct {
				ID        string `json:"id"`
				Available int64  `json:"available"`
			} `json:"variants"`
		} `json:"data"`
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?q=gel&currency=EUR"}).
		Expect(t, http.StatusOK).JSON(t, &found)
	if len(found.Data) != 1 || found.Data[0].Variants[0].ID != s.small || found.Data[0].Variants[0].Available != 10 {
		t.Fatalf("search: %+v", found.Data)
	}
	s.checkStock(t, [4]int64{10, 0, 5, 0})

	c := p.step(http.MethodPost, "/v1/store/carts", map[string]any{"currency": "EUR"}, http.StatusCreated)
	if c.Email != "lea@example.com" {
		t.Errorf("a customer's cart starts with their e-mail, got %q", c.Email)
	}
	p.add(s.small, 2)
	p.add(s.large, 1)
	p.step(http.MethodPost, "/v1/store/carts/"+c.ID+"/discounts", map[string]any{"code": "WELCOME15"}, http.StatusOK)
	c = p.ready()
	type totals struct{ Sub, Disc, Ship, Tax, Total int64 }
	cartTotals := totals{c.Subtotal.Minor, c.DiscountTotal.Minor, c.ShippingTotal.Minor, c.TaxTotal.Minor, c.Total.Minor}
	if d := cmp.Diff(totals{4400, 660, 490, 705, 4230}, cartTotals); d != "" {
		t.Fatalf("cart totals (-want +got)\n%s", d)
	}

	o := p.placeOrder("whole-path")
	if d := cmp.Diff(cartTotals, totals{o.Subtotal.Minor, o.DiscountTotal.Minor, o.ShippingTotal.Minor,
		o.TaxTotal.Minor, o.Total.Minor}); d != "" {
		t.Fatalf("order totals (-cart +order)\n%s", d)
	}
	s.checkStock(t, [4]int64{10, 2, 5, 1})
	var mine orders.Order
	p.do(http.MethodGet, "/v1/store/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &mine)
	var staff orders.Order
	s.admin(http.MethodGet, "/v1/admin/orders?customer_id="+*o.CustomerID, nil).Expect(t, http.StatusOK)
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &staff)
	if mine.Number != o.Number || staff.Total.Minor != 4230 {
		t.Fatalf("customer sees %s, staff sees total %d", mine.Number, staff.Total.Minor)
	}

	var items []map[string]any
	for _, it := range o.Items {
		items = append(items, map[string]any{"item_id": it.ID, "quantity": it.Quantity})
	}
	var f struct {
		ID string `json:"id"`
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/fulfillments", Token: keeper,
		Body: map[string]any{"items": items}}).Expect(t, http.StatusCreated).JSON(t, &f)
	s.checkStock(t, [4]int64{8, 0, 4, 0})
	fp := "/v1/admin/orders/" + o.ID + "/fulfillments/" + f.ID
	h.Do(apitest.Request{Method: http.MethodPost, Path: fp + "/pack", Token: keeper}).Expect(t, http.StatusOK)
	h.Do(apitest.Request{Method: http.MethodPost, Path: fp + "/ship", Token: keeper,
		Body: map[string]any{"carrier": "Colissimo", "tracking_number": "6A00000000001"}}).Expect(t, http.StatusOK)
	h.Do(apitest.Request{Method: http.MethodPost, Path: fp + "/deliver", Token: keeper}).Expect(t, http.StatusOK)
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &staff)
	if d := cmp.Diff([3]string{"completed", "captured", "delivered"},
		[3]string{staff.Status, staff.PaymentStatus, staff.FulfillmentStatus}); d != "" {
		t.Fatalf("delivered order (-want +got)\n%s", d)
	}

	// One small unit comes back: its share of the line (20.40 for 2) is 10.20.
	var ret orders.Return
	p.do(http.MethodPost, "/v1/store/orders/"+o.ID+"/returns", map[string]any{"reason": "too small",
		"items": []any{map[string]any{"item_id": o.Items[0].ID, "quantity": 1}}}).
		Expect(t, http.StatusCreated).JSON(t, &ret)
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/returns/" + ret.ID + "/receive", Token: keeper,
		Body: map[string]any{"warehouse_id": s.warehouse, "items": []any{map[string]any{"item_id": o.Items[0].ID,
			"quantity": 1, "condition": "sellable"}}}}).Expect(t, http.StatusOK).JSON(t, &ret)
	if ret.RefundAmount.Minor != 1020 {
		t.Errorf("refund for one returned unit = %d, want 1020", ret.RefundAmount.Minor)
	}
	s.checkStock(t, [4]int64{9, 0, 4, 0})
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &staff)
	if staff.PaymentStatus != orders.PaymentPartiallyRefunded || staff.Items[0].ReturnedQuantity != 1 {
		t.Errorf("after the return: payment %s, returned %d", staff.PaymentStatus, staff.Items[0].ReturnedQuantity)
	}
	// The money reconciles: one payment, authorised and captured for the
	// order's total, refunded by the returned unit's share.
	var pay []struct{ Amount, CapturedAmount, RefundedAmount int64 }
	if err := h.DB.Conn(t.Context()).Raw(`SELECT amount, captured_amount, refunded_amount FROM payments
		WHERE order_id = ?`, o.ID).Scan(&pay).Error; err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]struct{ Amount, CapturedAmount, RefundedAmount int64 }{{4230, 4230, 1020}}, pay); d != "" {
		t.Errorf("payments (-want +got)\n%s", d)
	}
	var evs struct {
		Data []orders.Event `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID+"/events", nil).Expect(t, http.StatusOK).JSON(t, &evs)
	if len(evs.Data) < 8 {
		t.Errorf("timeline has %d entries: %+v", len(evs.Data), evs.Data)
	}
	// The staff view of the customer counts the order and its spend.
	var cust struct {
		Orders struct {
			OrderCount    int64 `json:"order_count"`
			LifetimeSpend []struct {
				Amount   int64  `json:"amount"`
				Currency string `json:"currency"`
			} `json:"lifetime_spend"`
		} `json:"orders"`
	}
	s.admin(http.MethodGet, "/v1/admin/customers/"+*o.CustomerID, nil).Expect(t, http.StatusOK).JSON(t, &cust)
	if cust.Orders.OrderCount != 1 || len(cust.Orders.LifetimeSpend) != 1 || cust.Orders.LifetimeSpend[0].Amount != 4230 {
		t.Errorf("staff view of the customer: %+v", cust.Orders)
	}
	var cart checkout.Cart
	p.do(http.MethodGet, "/v1/store/carts/"+c.ID, nil).Expect(t, http.StatusOK).JSON(t, &cart)
	if cart.Status != checkout.CartCompleted {
		t.Errorf("cart status %s", cart.Status)
	}
}

// checkStock asserts (on_hand, reserved) of the small and the large variant
// in the shop's warehouse, and that every level's on_hand equals the sum of
// its ledger movements.
func (s *shop) checkStock(t *testing.T, want [4]int64) {
	t.Helper()
	var got [4]int64
	for i, v := range []string{s.small, s.large} {
		var l struct {
			Data []struct {
				OnHand   int64 `json:"on_hand"`
				Reserved int64 `json:"reserved"`
			} `json:"data"`
		}
		s.admin(http.MethodGet, "/v1/admin/inventory/levels?variant_id="+v+"&warehouse_id="+s.warehouse, nil).
			Expect(t, http.StatusOK).JSON(t, &l)
		if len(l.Data) == 1 {
			got[2*i], got[2*i+1] = l.Data[0].OnHand, l.Data[0].Reserved
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("stock [small on_hand, reserved, large on_hand, reserved] (-want +got)\n%s", d)
	}
	var drift []struct{ VariantID, WarehouseID string }
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT l.variant_id, l.warehouse_id FROM stock_levels l
		WHERE l.on_hand <> COALESCE((SELECT SUM(m.delta) FROM stock_movements m
			WHERE m.variant_id = l.variant_id AND m.warehouse_id = l.warehouse_id), 0)`).Scan(&drift).Error; err != nil {
		t.Fatal(err)
	}
	if len(drift) > 0 {
		t.Errorf("levels whose on_hand differs from their ledger: %+v", drift)
	}
}
