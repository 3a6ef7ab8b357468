package checkout

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"storekeep/internal/inventory"
	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
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
