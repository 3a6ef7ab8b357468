package api_test

import (
	"net/http"
	"testing"

	"storekeep/api/apitest"
	"storekeep/internal/orders"
)

// staffOrder posts a staff order with an Idempotency-Key ("" sends none).
func (s *shop) staffOrder(key string, body map[string]any) *apitest.Response {
	s.t.Helper()
	var h map[string]string
	if key != "" {
		h = map[string]string{"Idempotency-Key": key}
	}
	return s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders", Token: s.manager, Body: body, Header: h})
}

// posShop is a shop with a pop-up (pos) channel selling from the shop's
// warehouse in the EU region; the product (small, large) is on the pop-up
// and on the default channel.
func posShop(t *testing.T, stock int64) (*shop, salesChannel) {
	s := newShop(t, stock, stock)
	pos, _ := newChannel(t, s.h, s.manager, "pos", s.warehouse)
	s.admin(http.MethodPatch, "/v1/admin/sales-channels/"+pos.ID, map[string]any{"region_id": s.region}).
		Expect(t, http.StatusOK)
	sellOn(t, s.h, s.small, pos.ID, defaultChannelID)
	return s, pos
}

// TestPointOfSaleOrder: a pop-up sale paid in cash is priced and taxed by
// the channel's region, completed at once, shows in the ledger under the
// order and in the channel's orders; a retry with its key is the same
// sale; events fire as for a checkout.
func TestPointOfSaleOrder(t *testing.T) {
	t.Parallel()
	s, pos := posShop(t, 10)
	body := map[string]any{"sales_channel_id": pos.ID, "email": "walk-in@example.com",
		"items":   []any{map[string]any{"variant_id": s.small, "quantity": 2}},
		"payment": map[string]any{"provider": "manual", "method": "cash", "reference": "TILL-0042"}}
	var o orders.Order
	s.staffOrder("pos-1", body).Expect(t, http.StatusCreated).JSON(t, &o)
	if o.SalesChannelID != pos.ID || o.Status != orders.StatusCompleted || o.PaymentStatus != orders.PaymentCaptured ||
		o.FulfillmentStatus != orders.FulfillmentDelivered {
		t.Fatalf("order = channel %s %s/%s/%s, want the pop-up's, completed, captured, delivered",
			o.SalesChannelID, o.Status, o.PaymentStatus, o.FulfillmentStatus)
	}
	if o.Total.Minor != 2400 || o.Total.Currency != "EUR" || o.TaxTotal.Minor != 400 || len(o.Items) != 1 ||
		o.Items[0].FulfilledQuantity != 2 {
		t.Fatalf("totals = %+v tax %+v items %+v, want 24.00 EUR with 4.00 tax included, 2 fulfilled",
			o.Total, o.TaxTotal, o.Items)
	}
	// The ledger: a sale of 2 units under the order's reference.
	var mv struct {
		Data []struct {
			Delta     int64  `json:"delta"`
			Kind      string `json:"kind"`
			Reference string `json:"reference"`
		} `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/inventory/movements?variant_id="+s.small+"&warehouse_id="+s.warehouse, nil).
		Expect(t, http.StatusOK).JSON(t, &mv)
	if len(mv.Data) == 0 || mv.Data[0].Kind != "sale" || mv.Data[0].Delta != -2 || mv.Data[0].Reference != o.ID {
		t.Fatalf("latest movement = %+v, want a sale of -2 referencing %s", mv.Data, o.ID)
	}
	if l := s.level(s.small, s.warehouse); l != [2]int64{8, 0} {
		t.Fatalf("level = %v, want 8 on hand, nothing reserved", l)
	}
	if l := s.channelOrders(pos.ID); len(l) != 1 || l[0].ID != o.ID {
		t.Fatalf("pop-up orders = %+v", l)
	}
	// The payment is recorded with its reference.
	var ref string
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT provider || ' ' || method || ' ' || provider_ref || ' ' || status
		FROM payments WHERE order_id = ?`, o.ID).Scan(&ref).Error; err != nil {
		t.Fatal(err)
	}
	if ref != "manual cash "+o.ID+":TILL-0042 captured" {
		t.Fatalf("payment = %q", ref)
	}
	// A retry with the same key is the same sale: nothing sold twice.
	var again orders.Order
	s.staffOrder("pos-1", body).Expect(t, http.StatusCreated).JSON(t, &again)
	if again.ID != o.ID || s.level(s.small, s.warehouse) != [2]int64{8, 0} {
		t.Fatalf("replay made order %s, level %v", again.ID, s.level(s.small, s.warehouse))
	}
	// Events: created, paid, fulfilled (and shipped, delivered).
	var evs struct {
		Data []struct {
			Type string `json:"type"`
		} `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/events?type=order.*&resource_id="+o.ID+"&limit=100", nil).
		Expect(t, http.StatusOK).JSON(t, &evs)
	seen := map[string]bool{}
	for _, e := range evs.Data {
		seen[e.Type] = true
	}
	for _, want := range []string{"order.created", "order.paid", "order.fulfilled"} {
		if !seen[want] {
			t.Errorf("event %s missing (got %+v)", want, evs.Data)
		}
	}

	// A refund of a manual payment is recorded (staff gave the cash back).
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/refunds", Token: s.manager,
		Header: map[string]string{"Idempotency-Key": "refund-1"},
		Body:   map[string]any{"amount": eur(1200), "reason": "one jar returned at the stand"}}).
		Expect(t, http.StatusCreated)
	var refunded orders.Order
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &refunded)
	if refunded.PaymentStatus != orders.PaymentPartiallyRefunded {
		t.Fatalf("payment status after a partial refund = %s", refunded.PaymentStatus)
	}

	// An online provider with fulfill off: captured, left to fulfil.
	var card orders.Order
	s.staffOrder("pos-2", map[string]any{"sales_channel_id": pos.ID, "fulfill": false,
		"items":   []any{map[string]any{"variant_id": s.large, "quantity": 1}},
		"payment": map[string]any{"provider": "test", "method": "card", "token": "tok_visa"}}).
		Expect(t, http.StatusCreated).JSON(t, &card)
	if card.Status != orders.StatusConfirmed || card.PaymentStatus != orders.PaymentCaptured ||
		card.FulfillmentStatus != orders.FulfillmentUnfulfilled || card.Total.Minor != 2000 {
		t.Fatalf("card sale = %s/%s/%s %v", card.Status, card.PaymentStatus, card.FulfillmentStatus, card.Total)
	}
	if l := s.level(s.large, s.warehouse); l != [2]int64{10, 1} {
		t.Fatalf("large = %v, want 1 reserved for the order", l)
	}
	// No payment: a pending draft holding its stock.
	var draft orders.Order
	s.staffOrder("pos-3", map[string]any{"sales_channel_id": pos.ID,
		"items": []any{map[string]any{"variant_id": s.large, "quantity": 1}}}).
		Expect(t, http.StatusCreated).JSON(t, &draft)
	if draft.Status != orders.StatusPending || draft.PaymentStatus != orders.PaymentPending || draft.ExpiresAt == nil {
		t.Fatalf("draft = %s/%s expires %v", draft.Status, draft.PaymentStatus, draft.ExpiresAt)
	}
	// Shoppers cannot pay with the manual provider.
	p := s.guestWith(s.small, 1)
	p.ready()
	p.s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts/" + p.cart.ID + "/checkout",
		Header: map[string]string{"Idempotency-Key": "m-1"},
		Body:   map[string]any{"payment": map[string]any{"provider": "manual", "method": "card", "token": "x"}}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
}

// TestPointOfSaleBadInput: every refused staff order leaves no order, no
// reservation, no payment and the stock as it was.
func TestPointOfSaleBadInput(t *testing.T) {
	t.Parallel()
	s, pos := posShop(t, 5)
	empty, _ := newChannel(t, s.h, s.manager, "pos")
	s.admin(http.MethodPatch, "/v1/admin/sales-channels/"+empty.ID, map[string]any{"region_id": s.region}).
		Expect(t, http.StatusOK)
	noRegion, _ := newChannel(t, s.h, s.manager, "pos", s.warehouse)
	var other struct {
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	s.admin(http.MethodPost, "/v1/admin/products", map[string]any{"title": "Web only", "status": "published",
		"variants": []any{map[string]any{"sku": "WEB-ONLY-1", "prices": []any{eur(900)}}}}).
		Expect(t, http.StatusCreated).JSON(t, &other)
	webOnly := other.Variants[0].ID
	s.stock(webOnly, s.warehouse, 5)
	sellOn(t, s.h, webOnly, defaultChannelID)

	item := func(v string, q int) []any { return []any{map[string]any{"variant_id": v, "quantity": q}} }
	cash := map[string]any{"provider": "manual", "reference": "R1"}
	before := s.h.RowCounts(t, "orders", "payments", "stock_movements", "carts")
	cases := []struct {
		name   string
		key    string
		body   map[string]any
		status int
		code   string
	}{
		{"unknown channel", "b1", map[string]any{"sales_channel_id": "sc_nope", "items": item(s.small, 1), "payment": cash},
			http.StatusUnprocessableEntity, "validation_failed"},
		{"channel without warehouses", "b2", map[string]any{"sales_channel_id": empty.ID, "items": item(s.small, 1), "payment": cash},
			http.StatusUnprocessableEntity, "channel_has_no_warehouses"},
		{"channel without region", "b3", map[string]any{"sales_channel_id": noRegion.ID, "items": item(s.small, 1), "payment": cash},
			http.StatusUnprocessableEntity, "channel_has_no_region"},
		{"unknown variant", "b4", map[string]any{"sales_channel_id": pos.ID, "items": item("var_00000000000000000000000000", 1), "payment": cash},
			http.StatusUnprocessableEntity, "validation_failed"},
		{"product not on the channel", "b5", map[string]any{"sales_channel_id": pos.ID, "items": item(webOnly, 1), "payment": cash},
			http.StatusUnprocessableEntity, "variant_unavailable"},
		{"quantity 0", "b6", map[string]any{"sales_channel_id": pos.ID, "items": item(s.small, 0), "payment": cash},
			http.StatusUnprocessableEntity, "validation_failed"},
		{"no items", "b7", map[string]any{"sales_channel_id": pos.ID, "items": []any{}, "payment": cash},
			http.StatusUnprocessableEntity, "validation_failed"},
		{"more than in stock", "b8", map[string]any{"sales_channel_id": pos.ID, "items": item(s.small, 6), "payment": cash},
			http.StatusConflict, "insufficient_stock"},
		{"declined card", "b9", map[string]any{"sales_channel_id": pos.ID, "items": item(s.small, 1),
			"payment": map[string]any{"provider": "test", "method": "card", "token": "tok_declined"}},
			http.StatusPaymentRequired, "payment_declined"},
		{"unknown manual method", "b10", map[string]any{"sales_channel_id": pos.ID, "items": item(s.small, 1),
			"payment": map[string]any{"provider": "manual", "method": "cheque"}},
			http.StatusUnprocessableEntity, "validation_failed"},
		{"unknown customer", "b11", map[string]any{"sales_channel_id": pos.ID, "items": item(s.small, 1), "payment": cash,
			"customer_id": "cus_00000000000000000000000000"}, http.StatusUnprocessableEntity, "validation_failed"},
		{"missing Idempotency-Key", "", map[string]any{"sales_channel_id": pos.ID, "items": item(s.small, 1), "payment": cash},
			http.StatusBadRequest, "idempotency_key_required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.staffOrder(c.key, c.body).ExpectProblem(t, c.status, c.code)
		})
	}
	if after := s.h.RowCounts(t, "orders", "payments", "stock_movements", "carts"); !sameCounts(before, after) {
		t.Fatalf("rows before %v after %v: a refused order changed something", before, after)
	}
	var active int64
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM reservations WHERE status = 'active'`).Scan(&active).Error; err != nil {
		t.Fatal(err)
	}
	if l := s.level(s.small, s.warehouse); l != [2]int64{5, 0} || active != 0 {
		t.Fatalf("level %v, active reservations %d: want stock untouched", l, active)
	}
	// Only managers and admins record orders.
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders", Token: s.h.StaffToken(t, "support"),
		Header: map[string]string{"Idempotency-Key": "x"},
		Body:   map[string]any{"sales_channel_id": pos.ID, "items": item(s.small, 1)}}).Expect(t, http.StatusForbidden)
}

func sameCounts(a, b map[string]int64) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}
