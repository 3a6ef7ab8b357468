package api_test

import (
	"net/http"
	"testing"
	"time"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/checkout"
	"storekeep/internal/payments"
)

// Payment sessions (docs/checkout.md "Payment sessions"): the app makes the
// provider's payment for the cart's total, confirms it with the provider's
// SDK (the test provider's authenticate page with the client secret), then
// checks out with {session_id}.

func (p *shopper) newSession(body map[string]any) *apitest.Response {
	p.s.t.Helper()
	return p.do(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/payment-sessions", body)
}

func openSession(t *testing.T, p *shopper) checkout.PaymentSession {
	t.Helper()
	var ps checkout.PaymentSession
	p.newSession(map[string]any{"provider": "test", "method": "apple_pay"}).Expect(t, http.StatusCreated).JSON(t, &ps)
	if ps.Status != "requires_action" || ps.ClientSecret == "" || ps.Amount.Minor != p.cart.Total.Minor ||
		ps.NextAction == nil || ps.NextAction.Type != payments.NextActionUseSDK {
		t.Fatalf("session = %+v, cart total %d", ps, p.cart.Total.Minor)
	}
	return ps
}

func withSession(id string) map[string]any { return map[string]any{"session_id": id} }

// TestPaymentSessionCheckout: a session is made for the cart's total;
// checking out before the app confirmed it answers 202 with its client
// secret; once confirmed, checkout places the order with the session's
// payment, and the provider made no other payment.
func TestPaymentSessionCheckout(t *testing.T) {
	t.Parallel()
	s, journal := actionShop(t, 10)
	p := s.customer()
	p.newCart()
	p.add(s.small, 2)
	p.ready()
	ps := openSession(t, p)
	if got := s.available(s.small); got != 10 {
		t.Errorf("a session holds stock: available %d", got)
	}
	a := needsAction(t, p.pay("sess-1", withSession(ps.ID)))
	if a.ProviderRef != ps.ProviderRef || a.NextAction.ClientSecret != ps.ClientSecret {
		t.Errorf("action %+v for session %+v", a, ps)
	}
	if got := s.available(s.small); got != 8 {
		t.Errorf("available while waiting = %d, want 8", got)
	}
	if st := authenticateSDK(t, s, a, "success"); st != "authorized" {
		t.Fatalf("status at the provider %s", st)
	}
	o := placed(t, p.pay("sess-2", withSession(ps.ID)))
	var ref, method string
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT provider_ref FROM payments WHERE order_id = ?`, o.ID).Scan(&ref).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT method FROM payments WHERE order_id = ?`, o.ID).Scan(&method).Error; err != nil {
		t.Fatal(err)
	}
	if ref != ps.ProviderRef || method != "apple_pay" {
		t.Errorf("order paid with %s (%s), want the session's %s", ref, method, ps.ProviderRef)
	}
	if ops := providerOps(t, journal); ops["session"] != 1 || ops["authorize"] != 0 || ops["void"] != 0 {
		t.Errorf("provider operations %v", ops)
	}
}

// TestPaymentSessionConfirmedFirst: the app confirms with the SDK before
// checking out: the one checkout call places the order.
func TestPaymentSessionConfirmedFirst(t *testing.T) {
	t.Parallel()
	s, _ := actionShop(t, 10)
	p := s.guestWith(s.small, 1)
	p.ready()
	ps := openSession(t, p)
	authenticateSDK(t, s, checkout.PaymentAction{ProviderRef: ps.ProviderRef, NextAction: *ps.NextAction}, "success")
	placed(t, p.pay("first", withSession(ps.ID)))
	// A session pays only its own cart.
	q := s.guestWith(s.small, 1)
	q.ready()
	q.pay("other", withSession(ps.ID)).ExpectProblem(t, http.StatusNotFound, "not_found")
}

// TestPaymentSessionStale: a cart changed after its session was made is not
// paid with it (409 payment_session_stale, nothing held, nothing charged);
// a new session for the new total is.
func TestPaymentSessionStale(t *testing.T) {
	t.Parallel()
	s, journal := actionShop(t, 10)
	p := s.guestWith(s.small, 1)
	p.ready()
	ps := openSession(t, p)
	authenticateSDK(t, s, checkout.PaymentAction{ProviderRef: ps.ProviderRef, NextAction: *ps.NextAction}, "success")
	p.add(s.small, 1)
	p.pay("stale", withSession(ps.ID)).ExpectProblem(t, http.StatusConflict, "payment_session_stale")
	if got := s.available(s.small); got != 10 {
		t.Errorf("available after a stale session = %d", got)
	}
	if st := cartStatus(t, p); st != checkout.CartOpen {
		t.Errorf("cart %s", st)
	}
	if n := countRows(t, s, `SELECT COUNT(*) FROM orders`); n != 0 {
		t.Errorf("%d orders", n)
	}
	if ops := providerOps(t, journal); ops["capture"]+ops["authorize"] != 0 {
		t.Errorf("provider operations %v", ops)
	}
	p.cart = p.step(http.MethodGet, "/v1/store/carts/"+p.cart.ID, nil, http.StatusOK)
	fresh := openSession(t, p)
	authenticateSDK(t, s, checkout.PaymentAction{ProviderRef: fresh.ProviderRef, NextAction: *fresh.NextAction}, "success")
	if o := placed(t, p.pay("fresh", withSession(fresh.ID))); o.Total.Minor != fresh.Amount.Minor {
		t.Errorf("order total %d, session %d", o.Total.Minor, fresh.Amount.Minor)
	}
}

// TestPaymentSessionBadInput: another cart's or another customer's session
// is 404; a return_url off the allow-list or an unready cart makes no
// session and asks the provider nothing.
func TestPaymentSessionBadInput(t *testing.T) {
	t.Parallel()
	s, journal := actionShop(t, 10)
	alice := s.customer()
	alice.newCart()
	alice.add(s.small, 1)
	alice.newSession(map[string]any{"provider": "test", "method": "card"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "cart_incomplete")
	alice.ready()
	alice.newSession(map[string]any{"provider": "test", "method": "paypal", "return_url": "http://shop.example/back"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "return_url_not_allowed")
	if ops := providerOps(t, journal); len(ops) != 0 {
		t.Errorf("the provider was asked: %v", ops)
	}
	ps := openSession(t, alice)

	bob := s.customer()
	bob.newCart()
	bob.add(s.small, 1)
	bob.ready()
	bob.pay("bob", withSession(ps.ID)).ExpectProblem(t, http.StatusNotFound, "not_found")
	// Bob cannot open Alice's cart, nor make sessions on it.
	bob.cart.ID = alice.cart.ID
	bob.pay("bob-2", withSession(ps.ID)).ExpectProblem(t, http.StatusNotFound, "not_found")
	bob.newSession(map[string]any{"provider": "test", "method": "card"}).ExpectProblem(t, http.StatusNotFound, "not_found")
	alice.pay("unknown", withSession("psess_06h1wbq28dxanf5st2bqp8yfxm")).ExpectProblem(t, http.StatusNotFound, "not_found")
	if got := s.available(s.small); got != 10 {
		t.Errorf("available = %d", got)
	}
}

// TestPaymentSessionExpires: a session confirmed but never checked out is
// given back when it expires (voided), and then cannot pay.
func TestPaymentSessionExpires(t *testing.T) {
	t.Parallel()
	s, journal := actionShop(t, 10, func(o *api.Options) { o.Checkout.SessionTTL = time.Second })
	p := s.guestWith(s.small, 1)
	p.ready()
	ps := openSession(t, p)
	authenticateSDK(t, s, checkout.PaymentAction{ProviderRef: ps.ProviderRef, NextAction: *ps.NextAction}, "success")
	time.Sleep(1100 * time.Millisecond)
	runExpiry(t, s)
	if ops := providerOps(t, journal); ops["void"] != 1 {
		t.Errorf("provider operations %v, want the session's payment voided", ops)
	}
	p.pay("late", withSession(ps.ID)).ExpectProblem(t, http.StatusConflict, "payment_session_closed")
	if got := s.available(s.small); got != 10 {
		t.Errorf("available = %d", got)
	}
}
