package api_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/checkout"
	"storekeep/internal/orders"
)

// checkoutTables are every table a checkout may write.
var checkoutTables = []string{"orders", "order_items", "order_discounts", "order_events", "payments",
	"promotion_usages", "reservations", "reservation_lines", "events"}

// TestCheckoutPlacesTheOrder: the cart's totals become the order's, the
// stock is held for it, the cart is completed, the customer and staff see
// the order, and the timeline starts.
func TestCheckoutPlacesTheOrder(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 5)
	p := s.customer()
	p.newCart()
	p.add(s.small, 2)
	p.add(s.large, 1)
	p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": "WELCOME15"}, http.StatusOK)
	c := p.ready()

	o := p.placeOrder("checkout-1")
	if o.Status != orders.StatusConfirmed || o.PaymentStatus != orders.PaymentAuthorized ||
		o.FulfillmentStatus != orders.FulfillmentUnfulfilled || o.Number == "" || o.CustomerID == nil {
		t.Fatalf("order = %+v", o)
	}
	type totals struct{ Sub, Disc, Ship, Tax, Total int64 }
	if d := cmp.Diff(totals{c.Subtotal.Minor, c.DiscountTotal.Minor, c.ShippingTotal.Minor, c.TaxTotal.Minor, c.Total.Minor},
		totals{o.Subtotal.Minor, o.DiscountTotal.Minor, o.ShippingTotal.Minor, o.TaxTotal.Minor, o.Total.Minor}); d != "" {
		t.Errorf("order totals differ from the cart's (-cart +order)\n%s", d)
	}
	if len(o.TaxLines) != 2 || o.TaxLines[0].Amount.Minor != c.TaxLines[0].Amount.Minor ||
		o.TaxLines[1].Amount.Minor != c.TaxLines[1].Amount.Minor || o.TaxLines[0].Name != "EU" {
		t.Errorf("order tax lines %+v, cart's %+v", o.TaxLines, c.TaxLines)
	}
	if len(o.Items) != 2 || o.Items[0].Quantity != 2 || o.Items[0].Total.Minor != c.Items[0].Total.Minor ||
		len(o.Discounts) != 1 || o.Discounts[0].Amount.Minor != 660 {
		t.Errorf("order lines/discounts = %+v / %+v", o.Items, o.Discounts)
	}
	if got := s.available(s.small); got != 8 {
		t.Errorf("small available = %d, want 8 (2 held for the order)", got)
	}
	var cart checkout.Cart
	p.do(http.MethodGet, "/v1/store/carts/"+c.ID, nil).Expect(t, http.StatusOK).JSON(t, &cart)
	if cart.Status != checkout.CartCompleted || cart.OrderID == nil || *cart.OrderID != o.ID {
		t.Errorf("cart after checkout: status %s order %v", cart.Status, cart.OrderID)
	}
	p.do(http.MethodPost, "/v1/store/carts/"+c.ID+"/items", map[string]any{"variant_id": s.small, "quantity": 1}).
		ExpectProblem(t, http.StatusConflict, "cart_completed")

	var mine orders.Order
	p.do(http.MethodGet, "/v1/store/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &mine)
	var list struct {
		Data []orders.Order `json:"data"`
	}
	p.do(http.MethodGet, "/v1/store/orders", nil).Expect(t, http.StatusOK).JSON(t, &list)
	if mine.ID != o.ID || len(list.Data) != 1 {
		t.Errorf("customer's view: %s, %d orders", mine.ID, len(list.Data))
	}
	s.customer().do(http.MethodGet, "/v1/store/orders/"+o.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	var staff orders.Order
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &staff)
	var evs struct {
		Data []orders.Event `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID+"/events", nil).Expect(t, http.StatusOK).JSON(t, &evs)
	if staff.Number != o.Number || len(evs.Data) != 1 || evs.Data[0].Type != "order.placed" {
		t.Errorf("staff view %s, timeline %+v", staff.Number, evs.Data)
	}
}

// TestDeclinedPaymentChangesNothing: 402, and no order, no held stock, no
// used code; the cart is open again and can be paid with another card.
func TestDeclinedPaymentChangesNothing(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 5)
	p := s.guestWith(s.small, 2)
	p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": "WELCOME15"}, http.StatusOK)
	p.ready()
	before := s.h.RowCounts(t, checkoutTables...)
	p.checkout("decline-1", "tok_declined").ExpectProblem(t, http.StatusPaymentRequired, "payment_declined")
	if d := cmp.Diff(before, s.h.RowCounts(t, checkoutTables...)); d != "" {
		// A released reservation stays as a row (status released); anything else is a leak.
		var leaked []string
		after := s.h.RowCounts(t, checkoutTables...)
		for k, v := range after {
			if v != before[k] && k != "reservations" && k != "reservation_lines" {
				leaked = append(leaked, k)
			}
		}
		if len(leaked) > 0 {
			t.Errorf("a declined checkout wrote %v (-before +after)\n%s", leaked, d)
		}
	}
	if got := s.available(s.small); got != 10 {
		t.Errorf("available after decline = %d, want 10", got)
	}
	o := p.placeOrder("decline-2")
	if o.Status != orders.StatusConfirmed {
		t.Errorf("retry with a good card: %+v", o)
	}
}

// TestCheckoutNeedsACompleteCart names what is missing.
func TestCheckoutNeedsACompleteCart(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 5)
	p := s.guest()
	p.newCart()
	res := p.checkout("incomplete-1", "tok_visa")
	res.ExpectProblem(t, http.StatusUnprocessableEntity, "cart_incomplete")
	p.checkout("", "tok_visa").ExpectProblem(t, http.StatusBadRequest, "idempotency_key_required")
	p.add(s.small, 1)
	p.ready()
	p.s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts/" + p.cart.ID + "/checkout",
		Header: map[string]string{"Idempotency-Key": "bad-method"},
		Body:   map[string]any{"payment": map[string]any{"provider": "test", "method": "cheque", "token": "tok_visa"}}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if s.h.RowCounts(t, "orders")["orders"] != 0 {
		t.Error("an order was written")
	}
}

// TestLastUnitsRace: 40 customers check out the last 5 units at once ->
// exactly 5 orders, available 0, no orphan reservations.
func TestLastUnitsRace(t *testing.T) {
	t.Parallel()
	s := newShop(t, 5, 0)
	const n = 40
	shoppers := make([]*shopper, n)
	for i := range shoppers {
		shoppers[i] = s.guest()
		shoppers[i].newCart()
		shoppers[i].add(s.small, 1)
		shoppers[i].ready()
	}
	count := checkoutAll(shoppers)
	if count[http.StatusCreated] != 5 || count[http.StatusConflict] != n-5 {
		t.Fatalf("statuses = %v, want 5 x 201 and %d x 409", count, n-5)
	}
	if got := s.available(s.small); got != 0 {
		t.Errorf("available = %d, want 0", got)
	}
	var active int64
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT COALESCE(SUM(l.quantity), 0) FROM reservations r
		JOIN reservation_lines l ON l.reservation_id = r.id WHERE r.status = 'active'`).Scan(&active).Error; err != nil {
		t.Fatal(err)
	}
	if active != 5 {
		t.Errorf("units held by active reservations = %d, want 5 (one per order)", active)
	}
}

// TestPromotionUsageRace: a code with 3 uses left raced by 20 checkouts ->
// exactly 3 orders carry it; the others fail with promotion_exhausted and
// leave nothing behind.
func TestPromotionUsageRace(t *testing.T) {
	t.Parallel()
	s := newShop(t, 100, 0)
	s.admin(http.MethodPost, "/v1/admin/promotions", map[string]any{"code": "THREE", "type": "percentage",
		"percentage": 1000, "usage_limit": 3}).Expect(t, http.StatusCreated)
	const n = 20
	shoppers := make([]*shopper, n)
	for i := range shoppers {
		p := s.guestWith(s.small, 1)
		p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": "THREE"}, http.StatusOK)
		p.ready()
		shoppers[i] = p
	}
	count := checkoutAll(shoppers)
	if count[http.StatusCreated] != 3 || count[http.StatusUnprocessableEntity] != n-3 {
		t.Fatalf("statuses = %v, want 3 x 201 and %d x 422", count, n-3)
	}
	var discounted int64
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM order_discounts WHERE code = 'THREE'`).
		Scan(&discounted).Error; err != nil {
		t.Fatal(err)
	}
	if discounted != 3 || s.h.RowCounts(t, "orders")["orders"] != 3 {
		t.Errorf("orders with THREE = %d, orders = %d; want 3 and 3", discounted, s.h.RowCounts(t, "orders")["orders"])
	}
	if got := s.available(s.small); got != 97 {
		t.Errorf("available = %d, want 97 (failed checkouts gave their units back)", got)
	}
	// A loser trying again is told which of its cart's codes is used up.
	for _, p := range shoppers {
		if p.do(http.MethodGet, "/v1/store/carts/"+p.cart.ID, nil).Expect(t, http.StatusOK).JSON(t, &p.cart); p.cart.Status != "open" {
			continue
		}
		prob := p.checkout("again", "tok_visa").ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_exhausted")
		if len(prob.Errors) != 1 || prob.Errors[0].Field != "discounts.THREE" {
			t.Errorf("errors = %+v, want the field discounts.THREE", prob.Errors)
		}
		break
	}
}

// TestCheckoutIdempotencyKey: the same key sent 10 times in parallel makes
// one order; replays return it; the same key with another body is 422.
func TestCheckoutIdempotencyKey(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0)
	p := s.customer()
	p.newCart()
	p.add(s.small, 1)
	p.ready()
	const n = 10
	res := make([]*apitest.Response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { res[i] = p.checkout("same-key", "tok_visa") })
	}
	wg.Wait()
	var ids []string
	for _, r := range res {
		switch r.Status {
		case http.StatusCreated:
			var out struct {
				Order orders.Order `json:"order"`
			}
			r.JSON(t, &out)
			ids = append(ids, out.Order.ID)
		case http.StatusConflict:
		default:
			t.Errorf("status %d: %s", r.Status, r.Body)
		}
	}
	if len(ids) == 0 {
		t.Fatal("no order")
	}
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("two orders: %v", ids)
		}
	}
	if got := s.h.RowCounts(t, "orders")["orders"]; got != 1 {
		t.Fatalf("orders = %d, want 1", got)
	}
	replay := p.checkout("same-key", "tok_visa").Expect(t, http.StatusCreated)
	if replay.Header.Get("Idempotent-Replayed") != "true" {
		t.Error("replay not marked")
	}
	p.checkout("same-key", "tok_async").ExpectProblem(t, http.StatusUnprocessableEntity, "idempotency_conflict")
}

// checkoutAll checks every shopper's cart out at once (tok_visa, one key
// each) and counts the answers by status.
func checkoutAll(shoppers []*shopper) map[int]int { return checkoutAllWith(shoppers, "tok_visa") }

// checkoutAllWith checks every shopper out at once with the payment token
// and counts the answers by status.
func checkoutAllWith(shoppers []*shopper, token string) map[int]int {
	statuses := make([]int, len(shoppers))
	var wg sync.WaitGroup
	for i, p := range shoppers {
		wg.Go(func() { statuses[i] = p.checkout(fmt.Sprintf("all-%d", i), token).Status })
	}
	wg.Wait()
	count := map[int]int{}
	for _, st := range statuses {
		count[st]++
	}
	return count
}

// TestClosedAccountCannotPay: an archived customer's unexpired access token
// no longer checks out (nor starts carts), and nothing is reserved.
func TestClosedAccountCannotPay(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0)
	tok, cid := s.h.CustomerToken(t)
	p := &shopper{s: s, token: tok}
	p.newCart()
	p.add(s.small, 1)
	p.ready()
	s.h.Do(apitest.Request{Method: http.MethodDelete, Path: "/v1/admin/customers/" + cid, Token: s.h.StaffToken(t, "admin")}).
		Expect(t, http.StatusNoContent)
	p.checkout("closed-1", "tok_visa").ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
	p.do(http.MethodPost, "/v1/store/carts", map[string]any{"currency": "EUR"}).
		ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
	if got := s.available(s.small); got != 10 {
		t.Errorf("available = %d, want 10", got)
	}
}

// TestFreeOrderNeedsNoPayment: a 100 % code with free shipping makes a
// total of 0; checkout places the order without asking the provider.
func TestFreeOrderNeedsNoPayment(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0)
	for _, body := range []map[string]any{
		{"code": "ALLFREE", "type": "percentage", "percentage": 10000, "combinable": true},
		{"code": "SHIPFREE", "type": "free_shipping", "combinable": true},
	} {
		s.admin(http.MethodPost, "/v1/admin/promotions", body).Expect(t, http.StatusCreated)
	}
	p := s.guestWith(s.small, 1)
	for _, code := range []string{"ALLFREE", "SHIPFREE"} {
		p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": code}, http.StatusOK)
	}
	if c := p.ready(); c.Total.Minor != 0 || c.DiscountTotal.Minor != 1200+490 {
		t.Fatalf("cart total %d, discounts %d", c.Total.Minor, c.DiscountTotal.Minor)
	}
	o := p.placeOrder("free-1")
	if o.Total.Minor != 0 || o.Status != orders.StatusConfirmed || o.PaymentStatus != orders.PaymentCaptured {
		t.Errorf("free order: total %d status %s payment %s", o.Total.Minor, o.Status, o.PaymentStatus)
	}
	if n := s.h.RowCounts(t, "payments")["payments"]; n != 0 {
		t.Errorf("payments = %d, want none", n)
	}
	if got := s.available(s.small); got != 9 {
		t.Errorf("available = %d, want 9", got)
	}
	// Canceling it gives the stock back and settles at once: nothing to refund.
	var canceled orders.Order
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/cancel", Token: s.manager,
		Header: map[string]string{"Idempotency-Key": "cancel-free"}}).Expect(t, http.StatusOK).JSON(t, &canceled)
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &canceled)
	if canceled.Status != orders.StatusCanceled || canceled.PaymentStatus != orders.PaymentRefunded {
		t.Errorf("canceled free order: %s / %s", canceled.Status, canceled.PaymentStatus)
	}
	if got := s.available(s.small); got != 10 {
		t.Errorf("available after cancel = %d, want 10", got)
	}
}
