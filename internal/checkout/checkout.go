package checkout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"storekeep/internal/inventory"
	"storekeep/internal/orders"
	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/opmetrics"
)

// Checkout timing.
const (
	// holdTTL covers the payment call: stock reserved for a checkout that
	// dies before writing its order comes back after this.
	holdTTL = 15 * time.Minute
	// unknownRetry is how soon a checkout whose payment outcome is unknown
	// (the provider did not answer) may be retried: the retry keeps the
	// planned order id, so the provider sees the same authorisation key.
	unknownRetry = 5 * time.Second
	// DefaultClaimTimeout: a cart left "completing" by a crashed process can
	// be checked out again after this (WithClaimTimeout).
	DefaultClaimTimeout = 2 * time.Minute
)

// forever is the expiry of a reservation that belongs to a confirmed order:
// it is committed by fulfilment or released by cancellation, never by time.
var forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// CheckoutInput is the checkout request body: how the shopper pays.
type CheckoutInput struct {
	Payment PaymentInput `json:"payment" validate:"required"`
} // @name CheckoutRequest

// PaymentInput names the provider, the method and the provider's token.
type PaymentInput struct {
	Provider string `json:"provider,omitempty" validate:"required_without=SessionID,max=40" example:"test"`
	Method   string `json:"method,omitempty" validate:"required_without=SessionID,max=40" enums:"card,paypal,apple_pay,bnpl" example:"card"`
	Token    string `json:"token,omitempty" validate:"required_without=SessionID,max=255" example:"tok_visa"`
	// SessionID pays with a payment session the app confirmed with the
	// provider's SDK (sessions.go); provider, method and token are then
	// the session's.
	SessionID string `json:"session_id,omitempty" validate:"omitempty,max=64" example:"psess_06h1wbq28dxanf5st2bqp8yfxm"`
	// ReturnURL is where a redirect or 3-D Secure page sends the shopper
	// back: https, or an app scheme on STOREKEEP_PAYMENT_RETURN_URLS.
	ReturnURL string `json:"return_url,omitempty" validate:"omitempty,max=2048" example:"https://shop.example/checkout/return"`
} // @name CheckoutPayment

// Errors of checkout.
var (
	ErrPaymentDeclined   = errs.New(errs.PaymentFailed, "payment_declined", "the payment was declined")
	ErrCheckoutInProcess = errs.New(errs.Conflict, "checkout_in_progress", "this cart is being checked out by another request")
	ErrCartNotReady      = errs.New(errs.Unprocessable, "cart_incomplete", "the cart cannot be checked out yet")
)

// Checkout turns the cart into an order. The steps, and why in this order:
//
//  1. in one transaction: claim the cart (open -> completing, guarded),
//     re-price it, check it is complete, and reserve the stock for the
//     order id chosen now. A second checkout of the same cart stops here
//     with 409 checkout_in_progress, a short one with 409
//     insufficient_stock, and either way nothing is left behind. (Claim and
//     reservation commit together because commits are what bound checkout
//     throughput: docs/benchmarks.md.)
//  2. authorise the payment with the provider, with NO transaction open and
//     a provider idempotency key derived from the order id: 402 on decline;
//  3. in ONE transaction: mark the cart completed, create the order, record
//     the payment, redeem the promotions (usage limits enforced here,
//     atomically), keep the reservation for the order, outbox order.created.
//
// Any failure after step 1 undoes what was done: the authorisation is
// voided, the reservation released and the cart reopened, so a failed
// checkout leaves no order, no reservation and no consumed promotion.
func (s *Service) Checkout(ctx context.Context, actor auth.Actor, cartID string, in CheckoutInput, meta Meta) (_ orders.Order, err error) {
	defer func() { opmetrics.Checkout(err) }()
	if in.Payment, meta, err = s.resolveSession(ctx, actor, cartID, in.Payment, meta); err != nil {
		return orders.Order{}, err
	}
	if err := checkPayment(in.Payment); err != nil {
		return orders.Order{}, err
	}
	if _, err := s.pay.Provider(in.Payment.Provider); err != nil {
		return orders.Order{}, withField(err, "payment.provider")
	}
	if actor.Kind == auth.Customer {
		// Access tokens outlive a closed account by up to their TTL; paying
		// checks the account is still open.
		if _, err := s.customers.CustomerEmail(ctx, actor.ID); err != nil {
			return orders.Order{}, err
		}
	}
	lim := declineLimits(cartID, meta)
	if err := s.checkLimits(ctx, lim); err != nil {
		return orders.Order{}, err
	}
	if o, done, err := s.beforeClaim(ctx, actor, cartID, in, meta); done {
		return o, err // a payment that waited for the shopper (actions.go)
	}
	at, err := s.claim(ctx, actor, cartID, in.Payment.Provider, meta)
	if err != nil {
		return orders.Order{}, err
	}
	if at.placed != nil {
		return *at.placed, nil // a retry of a checkout that completed: its order
	}
	pc, res, orderID := at.pc, at.res, at.orderID
	undo := func(cause error) (orders.Order, error) {
		if err := s.unclaim(context.WithoutCancel(ctx), at); err != nil {
			s.log.ErrorContext(ctx, "reopen cart after failed checkout", "cart_id", cartID, "err", err)
		}
		return orders.Order{}, cause
	}
	release := func() {
		if _, err := s.inv.Release(context.WithoutCancel(ctx), res.ID); err != nil {
			s.log.ErrorContext(ctx, "release stock after failed checkout", "reservation_id", res.ID, "err", err)
		}
	}

	if pc.totals.Total.Minor == 0 {
		// Nothing to pay (a 100 % code with free shipping, free samples):
		// no provider call and no payment; the order is paid as placed.
		o, err := s.place(ctx, actor, at, payments.Authorization{Result: payments.Result{Status: payments.StatusCaptured}}, meta)
		if errors.Is(err, errSuperseded) {
			release()
			return orders.Order{}, ErrCheckoutInProcess
		}
		if err != nil {
			release()
			return undo(err)
		}
		return o, nil
	}

	authz, err := s.authorize(ctx, in.Payment, payments.AuthorizeInput{Provider: in.Payment.Provider, Method: in.Payment.Method,
		Token: in.Payment.Token, Amount: pc.totals.Total, Reference: orderID,
		IdempotencyKey: "order:" + orderID + ":authorize", Capture: s.captureNow, ReturnURL: in.Payment.ReturnURL})
	if err != nil {
		// The provider may have authorised (a timeout, a lost answer): the
		// cart stays claimed under this order id so that the retry asks the
		// provider with the same key and gets that authorisation back
		// instead of making a second one. Only a retry can tell.
		release()
		if serr := s.suspend(context.WithoutCancel(ctx), at); serr != nil {
			s.log.ErrorContext(ctx, "suspend checkout after a provider error", "cart_id", cartID, "err", serr)
		}
		return orders.Order{}, err
	}
	if authz.Result.Declined() {
		release()
		s.countFailure(ctx, lim)
		detail := "the payment was declined"
		if authz.Result.DeclineCode != "" {
			detail += " (" + authz.Result.DeclineCode + ")"
		}
		return undo(ErrPaymentDeclined.WithDetail("%s", detail))
	}
	if authz.Result.Status == payments.StatusRequiresAction {
		return orders.Order{}, s.awaitAction(ctx, at, authz, in.Payment, meta)
	}

	o, err := s.place(ctx, actor, at, authz, meta)
	if errors.Is(err, errSuperseded) {
		// A newer attempt took the cart over (this one stalled past the
		// claim timeout). It uses the same order id, hence the same
		// provider authorisation: only this attempt's stock goes back.
		release()
		return orders.Order{}, ErrCheckoutInProcess
	}
	if err != nil {
		s.voidAuthorization(ctx, authz, orderID)
		release()
		return undo(err)
	}
	return o, nil
}

// attempt is one checkout's hold on a cart: its claim token, the order id
// it will create (reused from a crashed attempt, so the provider sees the
// same authorisation key), the priced cart and the reservation.
type attempt struct {
	cartID, token, orderID string
	// key is the hash of the request's Idempotency-Key (nil without one);
	// provider the payment provider it pays with.
	key      *string
	provider string
	pc       pricedCart
	res      inventory.Reservation
	// placed is set when the cart already became an order under this
	// attempt's Idempotency-Key: the answer of a checkout that completed
	// but whose response was lost (a crash after the commit).
	placed *orders.Order
}

// errSuperseded: the cart's claim token is no longer this attempt's.
var errSuperseded = errors.New("checkout attempt superseded")

// errStaleClaim: the cart is held by an attempt past the claim timeout,
// which claim takes over in its own transaction first (takeOver).
var errStaleClaim = errors.New("checkout claim is stale")

// claim takes the cart for one checkout attempt, prices it and reserves
// its stock, in one transaction. A cart that became an order under the
// same Idempotency-Key answers with that order (the crashed request's
// answer). A cart left "completing" past the claim timeout (its process
// crashed or stalled) is taken over first (takeOver): the new attempt keeps
// the planned order id, so the provider authorisation, keyed by it, is the
// crashed attempt's and not a second one, and the crashed attempt's hold is
// released so the units are not held twice.
func (s *Service) claim(ctx context.Context, actor auth.Actor, cartID, provider string, meta Meta) (attempt, error) {
	at := attempt{cartID: cartID, token: id.New("claim"), key: keyHash(meta.IdempotencyKey), provider: provider,
		orderID: meta.orderID}
	err := s.claimTx(ctx, actor, &at, false)
	if errors.Is(err, errStaleClaim) {
		if err = s.takeOver(ctx, actor, &at); err == nil {
			if err = s.claimTx(ctx, actor, &at, true); err != nil {
				s.abandon(ctx, at, err)
			}
		}
	}
	return at, err
}

// claimTx is claim's transaction; tookOver says the cart is already held
// under at.token (takeOver ran).
func (s *Service) claimTx(ctx context.Context, actor auth.Actor, at *attempt, tookOver bool) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.cartFor(ctx, actor, at.cartID)
		if err != nil {
			return err
		}
		now := s.now()
		stale := r.Status == CartCompleting && r.ClaimedAt != nil && !now.Before(s.retryableAt(r))
		switch {
		case r.Status == CartCompleted && r.OrderID != nil && at.key != nil && r.ClaimKey != nil && *r.ClaimKey == *at.key:
			o, err := s.orders.ByID(ctx, *r.OrderID)
			at.placed = &o
			return err
		case stale && !tookOver:
			return errStaleClaim
		}
		if !tookOver && at.orderID == "" { // a payment session plans its own
			at.orderID = id.New("order")
		}
		guard := s.db.Conn(ctx).Model(&cartRow{}).Where("id = ? AND status = ?", at.cartID, CartOpen)
		if tookOver {
			guard = s.db.Conn(ctx).Model(&cartRow{}).Where("id = ? AND status = ? AND claim_token = ?",
				at.cartID, CartCompleting, at.token)
		}
		upd := guard.Updates(map[string]any{"status": CartCompleting, "claimed_at": now, "claim_token": at.token,
			"order_id": at.orderID, "claim_key": at.key, "claim_provider": at.provider})
		if upd.Error != nil {
			return fmt.Errorf("claim cart: %w", upd.Error)
		}
		if upd.RowsAffected == 0 {
			if r.Status == CartCompleting {
				e := *ErrCheckoutInProcess
				e.RetryAfter = 1
				if r.ClaimedAt != nil {
					e.RetryAfter = max(1, int(s.retryableAt(r).Sub(now).Seconds())+1)
				}
				return &e
			}
			return ErrCartClosed
		}
		// Price the cart as it is under the claim: on PostgreSQL the read
		// above may predate a change that committed while we waited.
		if r, err = s.cartFor(ctx, actor, at.cartID); err != nil {
			return err
		}
		if at.pc, err = s.price(ctx, r, nil); err != nil {
			return err
		}
		if err := at.pc.ready(); err != nil {
			return err
		}
		// Only the cart's channel's warehouses, in its priority order.
		from, err := s.reserveFrom(ctx, r.SalesChannelID)
		if err != nil {
			return err
		}
		at.res, err = s.inv.Reserve(ctx, inventory.ReserveInput{Reference: at.orderID, Lines: at.pc.stockLines(),
			TTL: holdTTL, WarehouseIDs: from})
		return err
	})
}

// suspend leaves the cart claimed under its planned order id but by no
// attempt, takeable by a retry after unknownRetry (retryableAt), and by the
// reconciliation job after the claim timeout.
func (s *Service) suspend(ctx context.Context, at attempt) error {
	return s.db.Conn(ctx).Model(&cartRow{}).Where("id = ? AND status = ? AND claim_token = ?", at.cartID, CartCompleting, at.token).
		Update("claim_token", nil).Error
}

// retryableAt is when a retry may take over r's claim: at once after the
// claim timeout, or unknownRetry after a suspended attempt (seize has the
// same rule in SQL).
func (s *Service) retryableAt(r cartRow) time.Time {
	if r.ClaimToken == nil {
		return r.ClaimedAt.Add(unknownRetry)
	}
	return r.ClaimedAt.Add(s.claimTimeout)
}

// unclaim reopens a cart whose checkout attempt failed, if the attempt
// still holds it. The planned order id goes: the next attempt is a new
// order with a new authorisation.
func (s *Service) unclaim(ctx context.Context, at attempt) error {
	return s.db.Conn(ctx).Model(&cartRow{}).Where("id = ? AND status = ? AND claim_token = ?", at.cartID, CartCompleting, at.token).
		Updates(map[string]any{"status": CartOpen, "claimed_at": nil, "claim_token": nil, "order_id": nil,
			"claim_key": nil, "claim_provider": nil}).Error
}

// ready refuses a cart that cannot become an order, naming every reason.
func (pc pricedCart) ready() error {
	var fe []errs.FieldError
	if len(pc.items) == 0 {
		fe = append(fe, errs.FieldError{Field: "items", Message: "the cart is empty"})
	}
	for i, it := range pc.items {
		if p, ok := pc.purch[it.VariantID]; !ok || !p.Published || !p.HasPrice || !p.OnChannel {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("items[%d]", i), Message: "is no longer for sale; remove it"})
		}
	}
	if pc.row.Email == "" {
		fe = append(fe, errs.FieldError{Field: "email", Message: "is required"})
	}
	if pc.row.ShippingAddress == nil {
		fe = append(fe, errs.FieldError{Field: "shipping_address", Message: "is required"})
	}
	if pc.region == nil {
		fe = append(fe, errs.FieldError{Field: "region_id", Message: "no region sells in this currency to this address"})
	}
	if pc.ship == nil || !pc.shippingOK {
		fe = append(fe, errs.FieldError{Field: "shipping_method", Message: "choose a shipping option"})
	}
	if len(fe) > 0 {
		return ErrCartNotReady.WithFields(fe...)
	}
	// A code that stopped applying is an error, not a silent price rise;
	// so are points that cannot be redeemed any more.
	for code, err := range pc.invalid {
		return onDiscount(err, code)
	}
	if pc.pointsErr != nil {
		return pc.pointsErr
	}
	if pc.points.Points > 0 && pc.totals.LoyaltyPoints != pc.points.Points {
		return ErrPointsOverSubtotal
	}
	return nil
}

// stockLines are the cart's lines as a reservation.
func (pc pricedCart) stockLines() []inventory.Line {
	out := make([]inventory.Line, len(pc.items))
	for i, it := range pc.items {
		out[i] = inventory.Line{VariantID: it.VariantID, Quantity: it.Quantity}
	}
	return out
}

// place writes the outcome of a paid checkout in one transaction.
func (s *Service) place(ctx context.Context, actor auth.Actor, at attempt, authz payments.Authorization,
	meta Meta) (orders.Order, error) {
	pc, orderID, reservationID := at.pc, at.orderID, at.res.ID
	var o orders.Order
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		now := s.now()
		res := s.db.Conn(ctx).Model(&cartRow{}).
			Where("id = ? AND status = ? AND claim_token = ?", pc.row.ID, CartCompleting, at.token).
			Updates(map[string]any{"status": CartCompleted, "order_id": orderID, "completed_at": now, "updated_at": now,
				"claim_token": nil})
		if res.Error != nil {
			return fmt.Errorf("complete cart: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return errSuperseded
		}
		in, err := pc.newOrder(orderID, reservationID, authz, meta, actor)
		if err != nil {
			return err
		}
		if in.Locale == "" && in.CustomerID != nil && s.customers != nil {
			// The request named no language: the customer's own (an
			// account gone meanwhile leaves the default).
			in.Locale, err = s.customers.CustomerLocale(ctx, *in.CustomerID)
			if err != nil && !errors.Is(err, errs.ErrNotFound) {
				return err
			}
		}
		hold := forever
		if in.PaymentStatus == orders.PaymentPending {
			if err := s.checkPendingCap(ctx, meta.IP, pc.row.Email, deref(pc.row.CustomerID)); err != nil {
				return err
			}
			until := now.Add(s.pending.Hold)
			in.ExpiresAt, hold = &until, until
		}
		if _, err = s.orders.Create(ctx, in); err != nil {
			return err
		}
		// Promotions are locked in id order, whatever order the cart applied
		// them in, so two checkouts with the same codes cannot deadlock.
		promos := slices.Clone(pc.promos)
		slices.SortFunc(promos, func(a, b Promotion) int { return strings.Compare(a.ID, b.ID) })
		for _, p := range promos {
			if err := s.Redeem(ctx, p.ID, deref(pc.row.CustomerID), pc.row.Email, orderID); err != nil {
				return onDiscount(err, p.Code)
			}
		}
		if pc.totals.LoyaltyPoints > 0 {
			if err := s.spendPoints(ctx, pc, orderID); err != nil {
				return err
			}
		}
		// Hold before recording the payment: Record applies a provider
		// webhook that arrived early, whose hook confirms the order and
		// holds its stock for good; that must not be undone by this hold.
		if err := s.inv.Hold(ctx, reservationID, hold); err != nil {
			return err
		}
		if authz.Provider != "" { // "": a free order, no payment
			if _, err := s.pay.Record(ctx, orderID, authz); err != nil {
				return err
			}
		}
		o, err = s.orders.ByID(ctx, orderID) // as the early webhook left it
		return err
	})
	return o, err
}

// newOrder freezes the priced cart into the order's input.
func (pc pricedCart) newOrder(orderID, reservationID string, authz payments.Authorization, meta Meta, actor auth.Actor) (orders.NewOrder, error) {
	r, t := pc.row, pc.totals
	ship, err := decodeAddress(r.ShippingAddress)
	if err != nil {
		return orders.NewOrder{}, err
	}
	bill, err := decodeAddress(r.BillingAddress)
	if err != nil {
		return orders.NewOrder{}, err
	}
	if bill == nil {
		bill = ship
	}
	in := orders.NewOrder{ID: orderID, CartID: r.ID, SalesChannelID: r.SalesChannelID, CustomerID: r.CustomerID, Email: r.Email, Currency: r.Currency,
		RegionID: r.RegionID, ShippingAddress: *ship, BillingAddress: *bill, ShippingOptionID: &pc.ship.ID,
		ShippingMethod: pc.ship.Name, Subtotal: t.Subtotal.Minor, DiscountTotal: t.DiscountTotal.Minor,
		ShippingTotal: t.Shipping.Minor, ShippingDiscount: t.ShippingDiscount.Minor, ShippingTax: t.ShippingTax.Minor,
		TaxTotal: t.TaxTotal.Minor, Total: t.Total.Minor, TaxInclusive: t.TaxInclusive, ReservationID: reservationID,
		SessionID: firstNonEmpty(meta.SessionID, r.SessionID), AnonymousID: firstNonEmpty(meta.AnonymousID, r.AnonymousID),
		ClientIP: meta.IP, Locale: meta.Locale,
		PaymentStatus: string(authz.Result.Status), Actor: actorName(actor)}
	if pc.region != nil {
		in.TaxName, in.TaxRate = pc.region.Name, pc.region.TaxRate
	}
	for i, it := range pc.items {
		p, lt := pc.purch[it.VariantID], t.Lines[i]
		in.Items = append(in.Items, orders.NewItem{VariantID: it.VariantID, ProductID: p.ProductID, SKU: p.SKU,
			Title: p.Title, Quantity: it.Quantity, UnitPrice: it.UnitPrice, Subtotal: lt.Subtotal.Minor,
			DiscountTotal: lt.Discount.Minor, TaxTotal: lt.Tax.Minor, Total: lt.Total.Minor})
	}
	for _, d := range t.Discounts {
		in.Discounts = append(in.Discounts, orders.NewDiscount{PromotionID: d.Promotion.ID, Code: d.Promotion.Code,
			Type: d.Promotion.Type, Amount: d.Amount.Minor})
	}
	return in, nil
}

// voidAuthorization gives back a payment whose order could not be written
// (no payment row exists yet, so it goes to the provider directly): an
// authorisation is voided, and a payment already captured (capture at
// checkout) is refunded in full, so a failed checkout never keeps money.
func (s *Service) voidAuthorization(ctx context.Context, authz payments.Authorization, orderID string) {
	ctx = context.WithoutCancel(ctx)
	p, err := s.pay.Provider(authz.Provider)
	if err == nil {
		if authz.Result.Status == payments.StatusCaptured {
			_, err = p.Refund(ctx, authz.Result.ProviderRef, authz.Amount, "order:"+orderID+":refund-failed-checkout")
		} else {
			_, err = p.Void(ctx, authz.Result.ProviderRef, "order:"+orderID+":void")
		}
	}
	if err != nil {
		s.log.ErrorContext(ctx, "give back the payment of a failed checkout", "order_id", orderID,
			"provider_ref", authz.Result.ProviderRef, "status", authz.Result.Status, "err", err)
	}
}

func checkPayment(p PaymentInput) error {
	var fe []errs.FieldError
	if p.Provider == "" {
		fe = append(fe, errs.FieldError{Field: "payment.provider", Message: "is required"})
	}
	if p.Provider == payments.ManualName { // money taken by staff: not a shopper's way to pay
		fe = append(fe, errs.FieldError{Field: "payment.provider", Message: "manual payments are recorded by staff only"})
	}
	if !payments.ValidMethod(p.Method) {
		fe = append(fe, errs.FieldError{Field: "payment.method", Message: "must be one of card, paypal, apple_pay, bnpl"})
	}
	if p.Token == "" || len(p.Token) > 255 {
		fe = append(fe, errs.FieldError{Field: "payment.token", Message: "is required (at most 255 characters)"})
	}
	if len(fe) > 0 {
		return errs.ErrValidation.WithFields(fe...)
	}
	return nil
}

func actorName(a auth.Actor) string {
	if a.Kind == auth.Customer {
		return a.ID
	}
	return "guest"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
