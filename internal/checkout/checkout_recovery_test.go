package checkout

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"storekeep/internal/inventory"
	"storekeep/internal/orders"
	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type recovery struct {
	shop  *fulfiltest.Shop
	chk   *Service
	clk   *clock
	wh    string
	v     string
	cart  string
	guest auth.Actor
}

// newRecovery is a shop with one variant (5 in stock) and a guest cart of 1
// ready to check out, on a checkout service with a test clock.
func newRecovery(t *testing.T) *recovery {
	t.Helper()
	ctx := context.Background()
	shop := fulfiltest.New(dbtest.New(t))
	clk := &clock{t: time.Now().UTC().Truncate(time.Microsecond)}
	r := &recovery{shop: shop, clk: clk, guest: auth.Actor{Kind: auth.Guest}}
	r.chk = NewService(shop.DB, WithClock(clk.now), WithCatalog(shop.Cat), WithInventory(shop.Inv),
		WithPayments(shop.Pay), WithOrders(shop.Orders))
	reg, err := r.chk.CreateRegion(ctx, fulfiltest.Admin, RegionInput{Name: "FR", Currency: "EUR", CountryCodes: []string{"FR"}})
	if err != nil {
		t.Fatal(err)
	}
	so, err := r.chk.CreateShippingOption(ctx, fulfiltest.Admin, ShippingOptionInput{RegionID: reg.ID, Name: "Post",
		Type: "flat", Amount: &money.Amount{Minor: 500, Currency: "EUR"}})
	if err != nil {
		t.Fatal(err)
	}
	r.v, r.wh = shop.Variant(t).ID, shop.Warehouse(t)
	shop.Stock(t, r.v, r.wh, 5)
	c, err := r.chk.CreateCart(ctx, r.guest, CreateCartInput{Currency: "EUR", Email: "g@example.com"}, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	r.cart = c.ID
	a := fulfiltest.Address()
	for _, step := range []func() (Cart, error){
		func() (Cart, error) {
			return r.chk.AddItem(ctx, r.guest, r.cart, AddItemInput{VariantID: r.v, Quantity: 1})
		},
		func() (Cart, error) { return r.chk.UpdateCart(ctx, r.guest, r.cart, CartPatch{ShippingAddress: &a}) },
		func() (Cart, error) { return r.chk.SetShippingMethod(ctx, r.guest, r.cart, so.ID) },
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

var visa = CheckoutInput{Payment: PaymentInput{Provider: "test", Method: "card", Token: "tok_visa"}}

// crashAfterAuthorize runs an attempt up to the provider's authorisation
// and stops there, as a process killed before writing the order would.
func (r *recovery) crashAfterAuthorize(t *testing.T) (attempt, payments.Authorization) {
	t.Helper()
	ctx := context.Background()
	at, err := r.chk.claim(ctx, r.guest, r.cart, "test", Meta{})
	if err != nil {
		t.Fatal(err)
	}
	authz, err := r.chk.pay.Authorize(ctx, payments.AuthorizeInput{Provider: "test", Method: "card", Token: "tok_visa",
		Amount: at.pc.totals.Total, Reference: at.orderID, IdempotencyKey: "order:" + at.orderID + ":authorize"})
	if err != nil {
		t.Fatal(err)
	}
	return at, authz
}

// TestCheckoutAfterACrashReusesTheAuthorisation: a checkout killed between
// the provider's authorisation and the order leaves the cart completing; a
// retry is refused until the claim times out, then places the order with
// the same order id, hence one authorisation at the provider, and the dead
// attempt's hold is released at once, not left until it expires.
func TestCheckoutAfterACrashReusesTheAuthorisation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	at, _ := r.crashAfterAuthorize(t)

	if _, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{}); !errors.Is(err, ErrCheckoutInProcess) {
		t.Fatalf("retry within the claim timeout: %v, want checkout_in_progress", err)
	}
	r.clk.add(DefaultClaimTimeout + time.Second)
	o, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != at.orderID {
		t.Errorf("order %s, want the crashed attempt's planned id %s", o.ID, at.orderID)
	}
	if n := r.shop.TP.Calls()["authorize"]; n != 1 {
		t.Errorf("provider authorisations = %d, want 1", n)
	}
	if lvl := r.level(t); lvl.OnHand != 5 || lvl.Reserved != 1 {
		t.Errorf("level after the retry: on_hand %d reserved %d, want 5 and 1 (the order's hold only)", lvl.OnHand, lvl.Reserved)
	}
}

// TestRetryOfACompletedCheckoutGetsItsOrder: a checkout that committed its
// order but whose answer was lost (the process died before storing it for
// the Idempotency-Key) is retried with the same key: the retry gets that
// order, not "cart completed"; another key still gets cart_completed.
func TestRetryOfACompletedCheckoutGetsItsOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	first, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{IdempotencyKey: "key-1"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{IdempotencyKey: "key-1"})
	if err != nil || again.ID != first.ID {
		t.Fatalf("retry with the same key: order %q, %v; want %s", again.ID, err, first.ID)
	}
	if _, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{IdempotencyKey: "key-2"}); !errors.Is(err, ErrCartClosed) {
		t.Fatalf("another key: %v, want cart_completed", err)
	}
	if _, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{}); !errors.Is(err, ErrCartClosed) {
		t.Fatalf("no key: %v, want cart_completed", err)
	}
	if n := r.shop.TP.Calls()["authorize"]; n != 1 {
		t.Errorf("provider authorisations = %d, want 1", n)
	}
}

// TestReconcileVoidsAnAbandonedAuthorisation: a checkout that died after the
// provider authorised, and whose shopper never came back, is found by the
// reconciliation job once the claim timed out: the authorisation is voided
// (and recorded), the stock released and the cart reopened; a new checkout
// of it is a new order with a new authorisation.
func TestReconcileVoidsAnAbandonedAuthorisation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	at, authz := r.crashAfterAuthorize(t)
	if n, err := r.chk.ReconcileAbandoned(ctx); err != nil || n != 0 {
		t.Fatalf("reconcile before the claim timeout: %d, %v; want nothing done", n, err)
	}
	r.clk.add(DefaultClaimTimeout + time.Second)
	if n, err := r.chk.ReconcileAbandoned(ctx); err != nil || n != 1 {
		t.Fatalf("reconcile: %d, %v; want 1 cart reopened", n, err)
	}
	if calls := r.shop.TP.Calls(); calls["void"] != 1 {
		t.Errorf("provider calls = %v, want the authorisation voided", calls)
	}
	recs, err := r.shop.Pay.Reconciliations(ctx, at.orderID)
	if err != nil || len(recs) != 1 || recs[0].Action != payments.ReconcileVoided ||
		recs[0].ProviderRef != authz.Result.ProviderRef || recs[0].Amount != at.pc.totals.Total {
		t.Errorf("reconciliations = %+v, %v", recs, err)
	}
	if l := r.level(t); l.Reserved != 0 {
		t.Errorf("reserved = %d, want 0", l.Reserved)
	}
	c, err := r.chk.Cart(ctx, r.guest, r.cart)
	if err != nil || c.Status != CartOpen {
		t.Fatalf("cart: %s, %v; want open", c.Status, err)
	}
	if n, err := r.chk.ReconcileAbandoned(ctx); err != nil || n != 0 {
		t.Errorf("second run: %d, %v; want nothing", n, err)
	}
	o, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if o.ID == at.orderID || r.shop.TP.Calls()["authorize"] != 2 {
		t.Errorf("new checkout: order %s (abandoned %s), authorisations %d", o.ID, at.orderID, r.shop.TP.Calls()["authorize"])
	}
}

// TestReconcileWaitsForTheShopperAfterATimeout: a provider timeout leaves
// the cart for the shopper's retry; the job leaves it alone until the claim
// timeout, then voids what the provider made.
func TestReconcileWaitsForTheShopperAfterATimeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	tp := payments.NewTestProvider("whsec_lost")
	svc := payments.NewService(r.shop.DB, payments.WithProvider(&lostAnswer{TestProvider: tp}))
	r.chk.pay = svc
	if _, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{}); err == nil {
		t.Fatal("checkout with a lost provider answer succeeded")
	}
	r.clk.add(unknownRetry + time.Second) // a retry could take it now; the job may not
	if n, err := r.chk.ReconcileAbandoned(ctx); err != nil || n != 0 {
		t.Fatalf("reconcile soon after the timeout: %d, %v; want nothing", n, err)
	}
	r.clk.add(DefaultClaimTimeout)
	if n, err := r.chk.ReconcileAbandoned(ctx); err != nil || n != 1 {
		t.Fatalf("reconcile after the claim timeout: %d, %v", n, err)
	}
	if calls := tp.Calls(); calls["authorize"] != 1 || calls["void"] != 1 {
		t.Errorf("provider calls = %v, want the lost authorisation voided", calls)
	}
}

// TestTakeoverThatCannotPlaceGivesThePaymentBack: a retry takes over a
// crashed checkout whose cart can no longer be bought (its product was
// withdrawn meanwhile): the crashed attempt's authorisation is voided, its
// stock released and the cart reopened, so nothing is left dangling.
func TestTakeoverThatCannotPlaceGivesThePaymentBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	r.crashAfterAuthorize(t)
	if err := r.shop.DB.Conn(ctx).Exec(`UPDATE products SET status = 'draft'`).Error; err != nil {
		t.Fatal(err)
	}
	r.shop.Cat.Invalidate()
	r.clk.add(DefaultClaimTimeout + time.Second)
	if _, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{}); !errors.Is(err, ErrCartNotReady) {
		t.Fatalf("retry: %v, want cart_incomplete", err)
	}
	if calls := r.shop.TP.Calls(); calls["authorize"] != 1 || calls["void"] != 1 {
		t.Errorf("provider calls = %v, want the crashed authorisation voided", calls)
	}
	if l := r.level(t); l.Reserved != 0 {
		t.Errorf("reserved = %d, want 0", l.Reserved)
	}
	if c, err := r.chk.Cart(ctx, r.guest, r.cart); err != nil || c.Status != CartOpen {
		t.Errorf("cart: %s, %v; want open", c.Status, err)
	}
}

// TestStalledAttemptCannotCompleteATakenOverCart: an attempt that stalled
// past the claim timeout and was taken over can neither complete nor
// reopen the cart, and leaves the newer attempt's order and payment alone.
func TestStalledAttemptCannotCompleteATakenOverCart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	stalled, authz := r.crashAfterAuthorize(t)
	r.clk.add(DefaultClaimTimeout + time.Second)
	o, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.chk.place(ctx, r.guest, stalled, authz, Meta{}); !errors.Is(err, errSuperseded) {
		t.Fatalf("stalled attempt placing: %v, want superseded", err)
	}
	if err := r.chk.unclaim(ctx, stalled); err != nil {
		t.Fatal(err)
	}
	c, err := r.chk.Cart(ctx, r.guest, r.cart)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != CartCompleted || c.OrderID == nil || *c.OrderID != o.ID {
		t.Errorf("cart after the stalled attempt: status %s order %v", c.Status, c.OrderID)
	}
	ps, err := r.shop.Pay.ForOrder(ctx, o.ID)
	if err != nil || len(ps) != 1 || ps[0].Status != payments.StatusAuthorized {
		t.Errorf("payments of the order: %+v, %v", ps, err)
	}
}

func (r *recovery) level(t *testing.T) inventory.Level {
	t.Helper()
	var l struct{ OnHand, Reserved int64 }
	if err := r.shop.DB.Conn(context.Background()).Raw(`SELECT on_hand, reserved FROM stock_levels
		WHERE variant_id = ? AND warehouse_id = ?`, r.v, r.wh).Scan(&l).Error; err != nil {
		t.Fatal(err)
	}
	return inventory.Level{OnHand: l.OnHand, Reserved: l.Reserved}
}

// lostAnswer is the test provider whose first authorisation succeeds at the
// provider but whose answer never arrives (a timeout).
type lostAnswer struct {
	*payments.TestProvider
	mu   sync.Mutex
	lost bool
}

func (p *lostAnswer) Authorize(ctx context.Context, in payments.AuthorizeRequest) (payments.Result, error) {
	r, err := p.TestProvider.Authorize(ctx, in)
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.lost {
		p.lost = true
		return payments.Result{}, errors.New("provider timeout")
	}
	return r, err
}

// TestProviderTimeoutIsRetriedWithTheSameAuthorisation: when the provider
// authorised but its answer was lost, the checkout fails without holding
// stock, and the retry (after a few seconds) places the order on that
// authorisation instead of making a second one.
func TestProviderTimeoutIsRetriedWithTheSameAuthorisation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	tp := payments.NewTestProvider("whsec_lost")
	r.chk.pay = payments.NewService(r.shop.DB, payments.WithProvider(&lostAnswer{TestProvider: tp}))

	if _, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{}); err == nil {
		t.Fatal("checkout with a lost provider answer succeeded")
	}
	if l := r.level(t); l.Reserved != 0 {
		t.Errorf("reserved after the failed attempt = %d, want 0", l.Reserved)
	}
	_, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{})
	if e, ok := errs.As(err); !ok || e.Code != "checkout_in_progress" || e.RetryAfter < 1 {
		t.Fatalf("immediate retry: %v, want checkout_in_progress with Retry-After", err)
	}
	r.clk.add(unknownRetry + time.Second)
	o, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if n := tp.Calls()["authorize"]; n != 1 {
		t.Errorf("provider authorisations = %d, want 1 (the retry must replay the first)", n)
	}
	if o.PaymentStatus != "authorized" || r.level(t).Reserved != 1 {
		t.Errorf("order %s payment, reserved %d", o.PaymentStatus, r.level(t).Reserved)
	}
}

// failingOrders refuses to write orders, as a database error would.
type failingOrders struct{ Orders }

func (failingOrders) Create(context.Context, orders.NewOrder) (orders.Order, error) {
	return orders.Order{}, errors.New("disk full")
}

// TestFailedCheckoutRefundsACapturedPayment: with capture at checkout, a
// checkout that fails after the capture (here the order cannot be written)
// refunds the shopper at the provider and gives the stock back.
func TestFailedCheckoutRefundsACapturedPayment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	r.chk.captureNow = true
	r.chk.orders = failingOrders{r.chk.orders}
	if _, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{}); err == nil {
		t.Fatal("checkout succeeded without its order")
	}
	calls := r.shop.TP.Calls()
	if calls["authorize"] != 1 || calls["refund"] != 1 || calls["void"] != 0 {
		t.Errorf("provider calls = %v, want one captured payment refunded", calls)
	}
	if l := r.level(t); l.Reserved != 0 {
		t.Errorf("reserved = %d, want 0", l.Reserved)
	}
	c, err := r.chk.Cart(ctx, r.guest, r.cart)
	if err != nil || c.Status != CartOpen {
		t.Errorf("cart after the failure: %s, %v", c.Status, err)
	}
}

// earlyWebhook is the test provider whose async authorisation is confirmed
// by a webhook that arrives before checkout has written the order.
type earlyWebhook struct {
	*payments.TestProvider
	svc *payments.Service
}

func (p *earlyWebhook) Authorize(ctx context.Context, in payments.AuthorizeRequest) (payments.Result, error) {
	r, err := p.TestProvider.Authorize(ctx, in)
	if err != nil {
		return r, err
	}
	body := p.WebhookBody("evt_early", "payment.succeeded", r.ProviderRef, in.Amount)
	h := http.Header{}
	h.Set(payments.TestSignatureHeader, p.SignWebhook(body, time.Now()))
	if err := p.svc.HandleWebhook(ctx, "test", h, body); err != nil {
		return r, err
	}
	return r, nil
}

// TestWebhookBeforeTheOrderKeepsItsStock: an async payment confirmed by a
// webhook that raced ahead of the order confirms the order, and the order's
// stock is held for good, not until the pending deadline.
func TestWebhookBeforeTheOrderKeepsItsStock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	ew := &earlyWebhook{TestProvider: payments.NewTestProvider("whsec_early")}
	ew.svc = payments.NewService(r.shop.DB, payments.WithProvider(ew))
	ew.svc.OnStatusChange(r.shop.Orders.OnPayment)
	r.chk.pay = ew.svc
	async := CheckoutInput{Payment: PaymentInput{Provider: "test", Method: "bnpl", Token: "tok_async"}}
	o, err := r.chk.Checkout(ctx, r.guest, r.cart, async, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != orders.StatusConfirmed || o.ExpiresAt != nil {
		t.Errorf("order as returned: %s, expires %v; want confirmed without a deadline", o.Status, o.ExpiresAt)
	}
	var expires []time.Time
	if err := r.shop.DB.Conn(ctx).Raw(`SELECT expires_at FROM reservations WHERE reference = ? AND status = 'active'`,
		o.ID).Scan(&expires).Error; err != nil {
		t.Fatal(err)
	}
	if len(expires) != 1 || expires[0].Before(time.Now().AddDate(1, 0, 0)) {
		t.Errorf("the order's stock is held until %v, want for good", expires)
	}
}
