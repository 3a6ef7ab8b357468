package api_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/checkout"
	"storekeep/internal/orders"
	"storekeep/internal/payments"
)

// Payments that need the shopper (docs/checkout.md "Payments that need the
// shopper"): tok_3ds and tok_redirect answer 202 requires_action; the
// test provider's authenticate page passes or fails them; then the app's
// next checkout call or the provider's webhook places the one order.

const returnURL = "https://shop.example/checkout/return"

// actionShop is a shop whose test provider keeps a journal, so a test can
// count what the provider did.
func actionShop(t *testing.T, stock int64, opts ...apitest.Option) (*shop, string) {
	t.Helper()
	journal := filepath.Join(t.TempDir(), "payments.jsonl")
	opts = append([]apitest.Option{func(o *api.Options) { o.Payments.TestJournal = journal }}, opts...)
	return newShop(t, stock, 0, opts...), journal
}

// providerOps counts the test provider's operations by kind.
func providerOps(t *testing.T, journal string) map[string]int {
	t.Helper()
	entries, err := payments.ReadTestJournal(journal)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range entries {
		out[e.Op]++
	}
	return out
}

func (p *shopper) pay(key string, payment map[string]any) *apitest.Response {
	p.s.t.Helper()
	return p.s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts/" + p.cart.ID + "/checkout",
		Token: p.token, Header: map[string]string{"Idempotency-Key": key}, Body: map[string]any{"payment": payment}})
}

func card(token, ret string) map[string]any {
	m := map[string]any{"provider": "test", "method": "card", "token": token}
	if ret != "" {
		m["return_url"] = ret
	}
	return m
}

// needsAction checks a 202 requires_action answer and returns it.
func needsAction(t *testing.T, r *apitest.Response) checkout.PaymentAction {
	t.Helper()
	var a checkout.PaymentAction
	r.Expect(t, http.StatusAccepted).JSON(t, &a)
	if a.Status != "requires_action" || a.ProviderRef == "" || a.NextAction.ClientSecret == "" || a.ExpiresAt.IsZero() {
		t.Fatalf("requires_action answer = %+v", a)
	}
	return a
}

// placed checks a 201 order answer and returns the order.
func placed(t *testing.T, r *apitest.Response) orders.Order {
	t.Helper()
	var out struct {
		Order orders.Order `json:"order"`
	}
	r.Expect(t, http.StatusCreated).JSON(t, &out)
	return out.Order
}

// noFollow is a client that shows redirects instead of following them.
var noFollow = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// authenticateRedirect opens a redirect_to_url next action with outcome and
// returns where the page sent the shopper.
func authenticateRedirect(t *testing.T, a checkout.PaymentAction, outcome string) *url.URL {
	t.Helper()
	if a.NextAction.Type != payments.NextActionRedirect || !strings.HasPrefix(a.NextAction.URL, "http") {
		t.Fatalf("next action = %+v, want an absolute redirect_to_url", a.NextAction)
	}
	resp, err := noFollow.Get(a.NextAction.URL + "&outcome=" + outcome)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("authenticate page: %d, want 303", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// authenticateSDK confirms a use_sdk next action through the page, as the
// provider's SDK would, and returns the payment's status at the provider.
func authenticateSDK(t *testing.T, s *shop, a checkout.PaymentAction, outcome string) string {
	t.Helper()
	if a.NextAction.Type != payments.NextActionUseSDK || a.NextAction.URL != "" {
		t.Fatalf("next action = %+v, want use_sdk", a.NextAction)
	}
	var out struct {
		Status string `json:"status"`
	}
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: payments.TestAuthenticatePath(a.ProviderRef) +
		"?client_secret=" + url.QueryEscape(a.NextAction.ClientSecret) + "&outcome=" + outcome}).
		Expect(t, http.StatusOK).JSON(t, &out)
	return out.Status
}

func cartStatus(t *testing.T, p *shopper) string {
	t.Helper()
	var c checkout.Cart
	p.do(http.MethodGet, "/v1/store/carts/"+p.cart.ID, nil).Expect(t, http.StatusOK).JSON(t, &c)
	return c.Status
}

// TestThreeDSecureCompletes: a 3-D Secure payment answers 202 with a
// redirect to the authenticate page and holds the stock, places no order;
// the page sends the shopper back to the return_url; the next checkout
// call (new key) places the order, with one authorisation.
func TestThreeDSecureCompletes(t *testing.T) {
	t.Parallel()
	s, journal := actionShop(t, 10)
	p := s.guestWith(s.small, 2)
	p.ready()
	a := needsAction(t, p.pay("3ds-1", card(payments.Token3DS, returnURL)))
	if a.Amount.Minor != p.cart.Total.Minor || a.Provider != "test" {
		t.Errorf("action = %+v, cart total %d", a, p.cart.Total.Minor)
	}
	if got := s.available(s.small); got != 8 {
		t.Errorf("available while the shopper authenticates = %d, want 8", got)
	}
	if n := countRows(t, s, `SELECT COUNT(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders before authentication", n)
	}
	// Coming back before authenticating: still waiting, same payment.
	if again := needsAction(t, p.pay("3ds-2", card(payments.Token3DS, returnURL))); again.PaymentID != a.PaymentID {
		t.Errorf("second call's payment %s, want %s", again.PaymentID, a.PaymentID)
	}
	loc := authenticateRedirect(t, a, "success")
	if !strings.HasPrefix(loc.String(), returnURL+"?") || loc.Query().Get("redirect_status") != "succeeded" ||
		loc.Query().Get("payment_ref") != a.ProviderRef {
		t.Fatalf("sent back to %s", loc)
	}
	o := placed(t, p.pay("3ds-3", card(payments.Token3DS, returnURL)))
	if o.Status != orders.StatusConfirmed || o.PaymentStatus != orders.PaymentAuthorized {
		t.Errorf("order %s payment %s", o.Status, o.PaymentStatus)
	}
	if got := s.available(s.small); got != 8 {
		t.Errorf("available after the order = %d, want 8", got)
	}
	if ops := providerOps(t, journal); ops["authorize"] != 1 || ops["void"] != 0 {
		t.Errorf("provider operations %v, want one authorisation", ops)
	}
	// The first key's answer stays the 202; any later call gets the order
	// (an app that lost the answer asks again), never a second one.
	p.pay("3ds-1", card(payments.Token3DS, returnURL)).Expect(t, http.StatusAccepted)
	if again := placed(t, p.checkout("3ds-4", "tok_visa")); again.ID != o.ID {
		t.Errorf("a later checkout got order %s, want %s", again.ID, o.ID)
	}
	if n := countRows(t, s, `SELECT COUNT(*) FROM orders`); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
}

// TestThreeDSecureFails: a failed authentication releases the stock,
// reopens the cart and places no order; the shopper can pay otherwise.
func TestThreeDSecureFails(t *testing.T) {
	t.Parallel()
	s, _ := actionShop(t, 10)
	p := s.guestWith(s.small, 2)
	p.ready()
	a := needsAction(t, p.pay("fail-1", card(payments.Token3DS, returnURL)))
	if loc := authenticateRedirect(t, a, "failure"); loc.Query().Get("redirect_status") != "failed" {
		t.Fatalf("sent back to %s", loc)
	}
	p.pay("fail-2", card(payments.Token3DS, returnURL)).ExpectProblem(t, http.StatusPaymentRequired, "payment_declined")
	if got := s.available(s.small); got != 10 {
		t.Errorf("available after the failure = %d, want 10", got)
	}
	if st := cartStatus(t, p); st != checkout.CartOpen {
		t.Errorf("cart %s, want open", st)
	}
	if n := countRows(t, s, `SELECT COUNT(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders after a failed authentication", n)
	}
	placed(t, p.checkout("fail-3", "tok_visa"))
}

// TestThreeDSecureBySDKAndWebhook: without a return_url the next action is
// use_sdk with a client secret; once confirmed, the provider's webhook
// places the order, and the app's checkout call returns that order.
func TestThreeDSecureBySDKAndWebhook(t *testing.T) {
	t.Parallel()
	s, _ := actionShop(t, 10)
	p := s.customer()
	p.newCart()
	p.add(s.small, 1)
	p.ready()
	a := needsAction(t, p.pay("sdk-1", card(payments.Token3DS, "")))
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: payments.TestAuthenticatePath(a.ProviderRef) +
		"?client_secret=wrong&outcome=success"}).ExpectProblem(t, http.StatusNotFound, "not_found")
	if st := authenticateSDK(t, s, a, "success"); st != "authorized" {
		t.Fatalf("status at the provider %s", st)
	}
	webhook(t, s, "evt_sdk_1", payments.TestEventAuthorized, a.ProviderRef, a.Amount).Expect(t, http.StatusOK)
	var id string
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT id FROM orders`).Scan(&id).Error; err != nil || id == "" {
		t.Fatalf("the webhook placed no order: %v", err)
	}
	webhook(t, s, "evt_sdk_2", payments.TestEventSucceeded, a.ProviderRef, a.Amount).Expect(t, http.StatusOK)
	o := placed(t, p.pay("sdk-2", card(payments.Token3DS, "")))
	if o.ID != id {
		t.Errorf("checkout returned order %s, the webhook placed %s", o.ID, id)
	}
	if n := countRows(t, s, `SELECT COUNT(*) FROM orders`); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
}

// TestRedirectRace: a redirect payment returns to the allowed return_url;
// the provider's webhook and the app's return race (20 carts at once, each
// racing its own pair), and each cart becomes exactly one order.
func TestRedirectRace(t *testing.T) {
	t.Parallel()
	const runs = 20
	s, journal := actionShop(t, 100)
	var wg sync.WaitGroup
	ids := make([]string, runs)
	for i := range runs {
		p := s.guestWith(s.small, 1)
		p.ready()
		a := needsAction(t, p.pay("redir-1", map[string]any{"provider": "test", "method": "paypal",
			"token": payments.TokenRedirect, "return_url": returnURL}))
		if loc := authenticateRedirect(t, a, "success"); !strings.HasPrefix(loc.String(), returnURL) {
			t.Fatalf("sent back to %s", loc)
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			webhook(t, s, "evt_race_"+a.ProviderRef, payments.TestEventAuthorized, a.ProviderRef, a.Amount).
				Expect(t, http.StatusOK)
		}()
		go func() {
			defer wg.Done()
			ids[i] = placed(t, p.pay("redir-2", map[string]any{"provider": "test", "method": "paypal",
				"token": payments.TokenRedirect, "return_url": returnURL})).ID
		}()
	}
	wg.Wait()
	if n := countRows(t, s, `SELECT COUNT(*) FROM orders`); n != runs {
		t.Errorf("%d orders, want %d", n, runs)
	}
	if n := countRows(t, s, `SELECT COUNT(DISTINCT cart_id) FROM orders`); n != runs {
		t.Errorf("orders for %d carts, want %d", n, runs)
	}
	if n := countRows(t, s, `SELECT COUNT(*) FROM payments`); n != runs {
		t.Errorf("%d payments, want %d", n, runs)
	}
	for _, id := range ids {
		if n := countRows(t, s, `SELECT COUNT(*) FROM orders WHERE id = '`+id+`'`); n != 1 {
			t.Errorf("checkout answered order %q, which does not exist", id)
		}
	}
	if got := s.available(s.small); got != 100-runs {
		t.Errorf("available = %d, want %d", got, 100-runs)
	}
	if ops := providerOps(t, journal); ops["authorize"] != runs || ops["void"] != 0 || ops["refund"] != 0 {
		t.Errorf("provider operations %v", ops)
	}
}

// TestPaymentActionExpires: nobody comes back. At expiry the job voids what
// the provider authorised (or refunds what it captured), releases the
// stock and reopens the cart; a success event after that places nothing.
func TestPaymentActionExpires(t *testing.T) {
	t.Parallel()
	for _, capture := range []bool{false, true} {
		t.Run(map[bool]string{false: "authorised", true: "captured"}[capture], func(t *testing.T) {
			t.Parallel()
			s, journal := actionShop(t, 10, func(o *api.Options) {
				o.Checkout.ActionTimeout = time.Second
				o.CaptureOnCheckout = capture
			})
			p := s.guestWith(s.small, 3)
			p.ready()
			a := needsAction(t, p.pay("exp-1", card(payments.Token3DS, "")))
			if a.ExpiresAt.After(time.Now().Add(2 * time.Second)) {
				t.Errorf("expires at %v, want within the 1s timeout", a.ExpiresAt)
			}
			// The shopper passed 3-D Secure, but neither they nor the
			// webhook came back before the expiry.
			authenticateSDK(t, s, a, "success")
			time.Sleep(1100 * time.Millisecond)
			runExpiry(t, s)
			if got := s.available(s.small); got != 10 {
				t.Errorf("available after the expiry = %d, want 10", got)
			}
			if st := cartStatus(t, p); st != checkout.CartOpen {
				t.Errorf("cart %s, want open", st)
			}
			ops := providerOps(t, journal)
			if capture && (ops["refund"] != 1 || ops["void"] != 0) || !capture && (ops["void"] != 1 || ops["refund"] != 0) {
				t.Errorf("provider operations %v", ops)
			}
			want := map[bool]string{false: "voided", true: "refunded"}[capture]
			if n := countRows(t, s, `SELECT COUNT(*) FROM payment_reconciliations WHERE action = '`+want+`'`); n != 1 {
				t.Errorf("%d reconciliations %s, want 1", n, want)
			}
			typ := map[bool]string{false: payments.TestEventAuthorized, true: payments.TestEventSucceeded}[capture]
			webhook(t, s, "evt_late", typ, a.ProviderRef, a.Amount).Expect(t, http.StatusOK)
			runExpiry(t, s)
			if n := countRows(t, s, `SELECT COUNT(*) FROM orders`); n != 0 {
				t.Errorf("%d orders after the expiry", n)
			}
			if ops := providerOps(t, journal); ops["refund"]+ops["void"] != 1 {
				t.Errorf("provider operations after a second run %v", ops)
			}
			placed(t, p.checkout("exp-2", "tok_visa"))
		})
	}
}

func runExpiry(t *testing.T, s *shop) {
	t.Helper()
	runner := s.h.Server.Jobs
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = runner.Stop(ctx)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := runner.Enqueue(ctx, checkout.ExpireActionsArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := runner.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestReturnURLValidation: a return_url must be https or an allowed app
// scheme; anything else is 422 before the provider is asked.
func TestReturnURLValidation(t *testing.T) {
	t.Parallel()
	s, journal := actionShop(t, 10, func(o *api.Options) { o.Checkout.ReturnURLs = []string{"myshop", "acme://pay/"} })
	p := s.guestWith(s.small, 1)
	p.ready()
	for i, bad := range []string{"http://shop.example/return", "javascript:alert(1)", "otherapp://return",
		"acme://elsewhere", "https:///nohost", "/relative"} {
		p.pay("bad-"+string(rune('a'+i)), card(payments.TokenRedirect, bad)).
			ExpectProblem(t, http.StatusUnprocessableEntity, "return_url_not_allowed")
	}
	if ops := providerOps(t, journal); len(ops) != 0 {
		t.Errorf("the provider was asked: %v", ops)
	}
	if got := s.available(s.small); got != 10 {
		t.Errorf("available = %d", got)
	}
	if st := cartStatus(t, p); st != checkout.CartOpen {
		t.Errorf("cart %s after refused checkouts", st)
	}
	// A redirect without a return_url cannot come back: the provider refuses it.
	q := s.guestWith(s.small, 1)
	q.ready()
	q.pay("none", map[string]any{"provider": "test", "method": "paypal", "token": payments.TokenRedirect}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	a := needsAction(t, p.pay("app", card(payments.TokenRedirect, "myshop://checkout/done")))
	if loc := authenticateRedirect(t, a, "success"); !strings.HasPrefix(loc.String(), "myshop://checkout/done?") {
		t.Errorf("sent back to %s", loc)
	}
	placed(t, p.pay("app-2", card(payments.TokenRedirect, "acme://pay/ok")))
}

// TestPaymentActionsAreCapped: a payment waiting for the shopper holds
// stock without money, like a pending order, and counts against the same
// caps: over the cap the checkout is 429 too_many_pending_orders, its
// payment voided, its stock released and its cart open; a card that needs
// nothing still pays.
func TestPaymentActionsAreCapped(t *testing.T) {
	t.Parallel()
	s, journal := actionShop(t, 10, func(o *api.Options) {
		o.Checkout.Pending = checkout.PendingPolicy{Hold: 15 * time.Minute, PerEmail: 2}
	})
	var carts []*shopper
	for i := range 3 {
		p := s.guestWith(s.small, 1)
		p.ready()
		carts = append(carts, p)
		r := p.pay("cap", card(payments.Token3DS, ""))
		if i < 2 {
			needsAction(t, r)
			continue
		}
		r.ExpectProblem(t, http.StatusTooManyRequests, "too_many_pending_orders")
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
	}
	if got := s.available(s.small); got != 8 {
		t.Errorf("available = %d, want 8 (two payments waiting)", got)
	}
	if st := cartStatus(t, carts[2]); st != checkout.CartOpen {
		t.Errorf("refused cart %s, want open", st)
	}
	if ops := providerOps(t, journal); ops["void"] != 1 {
		t.Errorf("provider operations %v, want the refused payment voided", ops)
	}
	placed(t, carts[2].checkout("card", "tok_visa"))
}
