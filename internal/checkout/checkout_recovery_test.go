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
	at, err := r.chk.claim(ctx, r.guest, r.cart)
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
// attempt's stock comes back when its reservation expires.
func TestCheckoutAfterACrashReusesTheAuthorisation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRecovery(t)
	at, _ := r.crashAfterAuthorize(t)

	if _, err := r.chk.Checkout(ctx, r.guest, r.cart, visa, Meta{}); !errors.Is(err, ErrCheckoutInProcess) {
		t.Fatalf("retry within the claim timeout: %v, want checkout_in_progress", err)
	}
	r.clk.add(claimTimeout + time.Second)
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
	// Two holds now (the dead attempt's and the order's); the dead one
	// expires, the order's does not.
	if _, err := r.shop.Inv.ReleaseExpired(ctx, time.Now().Add(holdTTL+time.Minute)); err != nil {
		t.Fatal(err)
	}
	lvl := r.level(t)
	if lvl.OnHand != 5 || lvl.Reserved != 1 {
		t.Errorf("level after expiry: on_hand %d reserved %d, want 5 and 1", lvl.OnHand, lvl.Reserved)
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
	r.clk.add(claimTimeout + time.Second)
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
