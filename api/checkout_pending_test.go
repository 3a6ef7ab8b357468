package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/checkout"
	"storekeep/internal/orders"
)

// pendingPolicy is a harness option setting the pending-order policy.
func pendingPolicy(p checkout.PendingPolicy) apitest.Option {
	return func(o *api.Options) { o.Checkout.Pending = p }
}

// asyncCheckout checks the shopper's cart out with tok_async under key.
func (p *shopper) asyncCheckout(key string) *apitest.Response {
	p.s.t.Helper()
	return p.checkout(key, "tok_async")
}

// TestPendingOrdersAreCapped: orders waiting for their payment (tok_async)
// hold stock without money, so each client may have only so many: per
// e-mail, per client address and per customer. Over the cap, checkout is 429
// too_many_pending_orders with Retry-After and leaves nothing behind (no
// order, no held stock, the cart open); paying a pending order, or letting
// it expire, frees its place.
func TestPendingOrdersAreCapped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		policy checkout.PendingPolicy
		// shopper returns the i-th shopper, all of whom count against the
		// same cap (and against no other).
		shopper func(s *shop, i int) *shopper
	}{
		{name: "per e-mail", policy: checkout.PendingPolicy{PerEmail: 2},
			shopper: func(s *shop, i int) *shopper { return s.guest() }},
		{name: "per client address", policy: checkout.PendingPolicy{PerIP: 2},
			shopper: func(s *shop, i int) *shopper {
				p := s.guest()
				p.email = fmt.Sprintf("shopper%d@example.com", i)
				return p
			}},
		{name: "per customer", policy: checkout.PendingPolicy{PerCustomer: 2},
			shopper: func() func(s *shop, i int) *shopper {
				var tok string
				return func(s *shop, i int) *shopper {
					if tok == "" {
						tok, _ = s.h.CustomerToken(s.t)
					}
					return &shopper{s: s, token: tok}
				}
			}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newShop(t, 20, 0, pendingPolicy(tc.policy))
			shoppers := make([]*shopper, 5)
			var placed []orders.Order
			for i := range shoppers {
				p := tc.shopper(s, i)
				p.newCart()
				p.add(s.small, 1)
				p.ready()
				shoppers[i] = p
			}
			for i := range 2 {
				var out struct {
					Order orders.Order `json:"order"`
				}
				shoppers[i].asyncCheckout("pending-"+strconv.Itoa(i)).Expect(t, http.StatusCreated).JSON(t, &out)
				placed = append(placed, out.Order)
			}
			third := shoppers[2]
			resp := third.asyncCheckout("pending-2")
			resp.ExpectProblem(t, http.StatusTooManyRequests, "too_many_pending_orders")
			if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 {
				t.Errorf("Retry-After = %q, want seconds until a pending order expires", resp.Header.Get("Retry-After"))
			}
			if got := s.available(s.small); got != 18 {
				t.Errorf("available after the refused checkout = %d, want 18 (two pending orders)", got)
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM orders`); n != 2 {
				t.Errorf("%d orders, want 2", n)
			}
			third.step(http.MethodGet, "/v1/store/carts/"+third.cart.ID, nil, http.StatusOK)
			if third.cart.Status != checkout.CartOpen {
				t.Fatalf("refused cart is %s, want open", third.cart.Status)
			}
			// A card that pays at once adds no pending order: never capped.
			third.checkout("pending-2-card", "tok_visa").Expect(t, http.StatusCreated)

			// Paying a pending order frees its place.
			ref := paymentRef(t, s, placed[0].ID)
			webhook(t, s, "evt_paid_"+placed[0].ID, "payment.succeeded", ref, placed[0].Total).Expect(t, http.StatusOK)
			shoppers[3].asyncCheckout("pending-3").Expect(t, http.StatusCreated)
			shoppers[4].asyncCheckout("pending-4").ExpectProblem(t, http.StatusTooManyRequests, "too_many_pending_orders")

			// So does letting one expire: the expiry job cancels it.
			if err := s.h.DB.Conn(t.Context()).Exec(`UPDATE orders SET expires_at = ? WHERE id = ?`,
				time.Now().Add(-time.Minute), placed[1].ID).Error; err != nil {
				t.Fatal(err)
			}
			drainJobs(t, s.h)
			waitFor(t, "the expired order canceled", func() bool {
				return countRows(t, s, `SELECT COUNT(*) FROM orders WHERE id = ? AND status = ?`,
					placed[1].ID, orders.StatusCanceled) == 1
			})
			shoppers[4].asyncCheckout("pending-4b").Expect(t, http.StatusCreated)
		})
	}
}

// TestPendingCapHoldsUnderConcurrency: ten async checkouts of one e-mail at
// once, against a cap of three: exactly three orders wait for payment.
func TestPendingCapHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	s := newShop(t, 20, 0, pendingPolicy(checkout.PendingPolicy{PerEmail: 3}))
	shoppers := make([]*shopper, 10)
	for i := range shoppers {
		shoppers[i] = s.guestWith(s.small, 1)
		shoppers[i].ready()
	}
	codes := checkoutAllWith(shoppers, "tok_async")
	if codes[http.StatusCreated] != 3 || codes[http.StatusTooManyRequests] != 7 {
		t.Fatalf("answers = %v, want 3 x 201 and 7 x 429", codes)
	}
	if got := s.available(s.small); got != 17 {
		t.Errorf("available = %d, want 17", got)
	}
}

// TestPendingHoldIsTheConfiguredOne: a pending order holds its stock for
// the configured hold, not longer.
func TestPendingHoldIsTheConfiguredOne(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0, pendingPolicy(checkout.PendingPolicy{Hold: 7 * time.Minute}))
	before := time.Now()
	o, _ := asyncOrder(t, s)
	if o.ExpiresAt == nil || o.ExpiresAt.Before(before.Add(7*time.Minute-time.Second)) ||
		o.ExpiresAt.After(time.Now().Add(7*time.Minute+time.Second)) {
		t.Fatalf("pending order expires at %v, want about 7 minutes after checkout", o.ExpiresAt)
	}
}

func paymentRef(t *testing.T, s *shop, orderID string) string {
	t.Helper()
	var ref string
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT provider_ref FROM payments WHERE order_id = ?`, orderID).
		Scan(&ref).Error; err != nil || ref == "" {
		t.Fatalf("payment ref %q: %v", ref, err)
	}
	return ref
}

func countRows(t *testing.T, s *shop, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.h.DB.Conn(t.Context()).Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond until it holds (a periodic job started by drainJobs
// may be enqueued a moment after the queue first looks empty).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// drainJobs starts the harness's job runner (periodic jobs run at start)
// and waits for the queue to empty.
func drainJobs(t *testing.T, h *apitest.Harness) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = h.Server.Jobs.Stop(stop)
	})
	if err := h.Server.Jobs.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}
