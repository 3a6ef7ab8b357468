package checkout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/inventory"
	"storekeep/internal/orders"
	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// Payments that need the shopper (docs/checkout.md). When the provider
// answers an authorisation with requires_action (3-D Secure, a PayPal or
// Klarna redirect), checkout places no order yet: the attempt hands the
// cart to a payment action (a checkout_payment_actions row whose id becomes
// the cart's claim token) and answers 202 with the next action. The stock
// stays reserved until the action expires (WithPaymentActions). Then one of
// three things ends it, each through the same guarded update of the cart's
// claim token, so exactly one of them acts:
//
//   - the app calls checkout again (resumeAction): the provider is asked
//     where the payment stands, and the order placed, or the checkout
//     failed (stock released, cart open again), or the 202 repeated;
//   - the provider's webhook says the payment succeeded or failed
//     (onUnclaimedEvent, in the webhook's transaction): same outcomes;
//   - nobody: the expiry job (ExpireActions) gives the provider's payment
//     back (payments.SettleOrphan: void, or refund what was captured),
//     releases the stock and reopens the cart.
//
// The cart's claimed_at is set so that claimed_at + claim timeout is the
// action's expiry: the crash recovery (recovery.go) leaves a live action
// alone and treats an expired one like an abandoned checkout.

// Payment action statuses.
const (
	ActionWaiting   = "requires_action"
	ActionCompleted = "completed"
	ActionFailed    = "failed"
	ActionExpired   = "expired"
)

// DefaultActionTimeout is how long a payment waiting for the shopper keeps
// the cart's stock (STOREKEEP_PAYMENT_ACTION_TIMEOUT).
const DefaultActionTimeout = 15 * time.Minute

// actionPrefix is the id prefix of payment actions, which are also the
// claim tokens of the carts they hold.
const actionPrefix = "pact"

// Errors of payment actions.
var (
	// ErrAuthenticationFailed: the shopper failed 3-D Secure or cancelled
	// the redirect; the stock went back and the cart is open again.
	ErrAuthenticationFailed = errs.New(errs.PaymentFailed, "payment_declined",
		"the payment was not authenticated; the cart is open again")
	// ErrPaymentAmountChanged: the cart's total no longer matches what the
	// shopper authorised; the payment is given back.
	ErrPaymentAmountChanged = errs.New(errs.Conflict, "payment_amount_changed",
		"the cart's total changed after the payment was started; the payment was cancelled, check out again")
)

// actionRow is the checkout_payment_actions table.
type actionRow struct {
	ID, CartID, OrderID, ReservationID string
	Provider, Method, ProviderRef      string
	Status                             string
	Amount                             int64
	Currency                           string
	NextActionType, NextActionURL      string
	ClientSecret, ReturnURL            string
	CustomerID                         *string
	ClientIP, Locale                   string
	SessionID, AnonymousID             string
	ExpiresAt, CreatedAt, UpdatedAt    time.Time
}

func (actionRow) TableName() string { return "checkout_payment_actions" }

// PaymentAction is checkout's 202 answer: the payment needs the shopper.
type PaymentAction struct {
	Status string `json:"status" binding:"required" enums:"requires_action" example:"requires_action"`
	// NextAction says what the app does: open URL (redirect_to_url), or
	// give client_secret to the provider's SDK (use_sdk).
	NextAction payments.NextAction `json:"next_action" binding:"required"`
	// PaymentID identifies this waiting payment.
	PaymentID string `json:"payment_id" binding:"required" example:"pact_06h1wbq28dxanf5st2bqp8yfxm"`
	Provider  string `json:"provider" binding:"required" example:"test"`
	// ProviderRef is the payment at the provider (a Stripe PaymentIntent id).
	ProviderRef string       `json:"provider_ref" binding:"required" example:"pi_3Nx"`
	Amount      money.Amount `json:"amount" binding:"required"`
	// ExpiresAt is when the stock goes back if the payment is not finished.
	ExpiresAt time.Time `json:"expires_at" binding:"required" format:"date-time" example:"2025-01-31T12:15:00Z"`
} // @name CheckoutRequiresAction

func (a actionRow) view(na *payments.NextAction) PaymentAction {
	next := payments.NextAction{Type: a.NextActionType, URL: a.NextActionURL, ClientSecret: a.ClientSecret}
	if na != nil {
		next = *na
	}
	return PaymentAction{Status: ActionWaiting, NextAction: next, PaymentID: a.ID, Provider: a.Provider,
		ProviderRef: a.ProviderRef, Amount: money.Amount{Minor: a.Amount, Currency: a.Currency}, ExpiresAt: a.ExpiresAt.UTC()}
}

// ActionRequired is what Checkout returns, in place of an error, when the
// payment needs the shopper: not a failure (the handler answers 202 with
// Action), but no order either.
type ActionRequired struct{ Action PaymentAction }

func (e *ActionRequired) Error() string { return "checkout: the payment requires the shopper's action" }

// RequiresAction marks the outcome for the checkout metrics.
func (e *ActionRequired) RequiresAction() bool { return true }

// WithPaymentActions sets how long a payment waiting for the shopper holds
// the cart's stock (0: DefaultActionTimeout), how long a payment session
// can be checked out with (0: DefaultSessionTTL) and the custom app schemes
// (or scheme://prefix entries) a return_url may use besides https.
func WithPaymentActions(timeout, sessionTTL time.Duration, returnURLs []string) Option {
	return func(s *Service) {
		if timeout > 0 {
			s.actions.timeout = timeout
		}
		if sessionTTL > 0 {
			s.actions.sessionTTL = sessionTTL
		}
		s.actions.returnURLs = returnURLs
	}
}

// actionPolicy is WithPaymentActions' settings.
type actionPolicy struct {
	timeout, sessionTTL time.Duration
	returnURLs          []string
}

func (s *Service) actionTimeout() time.Duration {
	if s.actions.timeout > 0 {
		return s.actions.timeout
	}
	return DefaultActionTimeout
}

// beforeClaim runs before a checkout claims its cart: it refuses a
// return_url off the allow-list (nothing charged), and, when the cart is
// held by a payment action (or was completed by one), finishes that instead
// (done). An expired action is ended here and the checkout goes on as new.
func (s *Service) beforeClaim(ctx context.Context, actor auth.Actor, cartID string, in CheckoutInput,
	meta Meta) (orders.Order, bool, error) {
	if u := in.Payment.ReturnURL; u != "" {
		if err := payments.CheckReturnURL(u, s.actions.returnURLs, "payment.return_url"); err != nil {
			return orders.Order{}, true, err
		}
	}
	return s.resumeAction(ctx, actor, cartID, meta)
}

// awaitAction hands the attempt's cart to a new payment action and returns
// *ActionRequired; on failure the authorisation is given back and the cart
// reopened.
func (s *Service) awaitAction(ctx context.Context, at attempt, authz payments.Authorization, in PaymentInput,
	meta Meta) error {
	ctx = context.WithoutCancel(ctx)
	now := s.now()
	na := authz.Result.NextAction
	if na == nil {
		na = &payments.NextAction{}
	}
	a := actionRow{ID: id.New(actionPrefix), CartID: at.cartID, OrderID: at.orderID, ReservationID: at.res.ID,
		Provider: authz.Provider, Method: authz.Method, ProviderRef: authz.Result.ProviderRef, Status: ActionWaiting,
		Amount: authz.Amount.Minor, Currency: authz.Amount.Currency, NextActionType: na.Type, NextActionURL: na.URL,
		ClientSecret: na.ClientSecret, ReturnURL: in.ReturnURL, CustomerID: at.pc.row.CustomerID, ClientIP: meta.IP,
		Locale: meta.Locale, SessionID: firstNonEmpty(meta.SessionID, at.pc.row.SessionID),
		AnonymousID: firstNonEmpty(meta.AnonymousID, at.pc.row.AnonymousID),
		ExpiresAt:   now.Add(s.actionTimeout()), CreatedAt: now, UpdatedAt: now}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		// A takeover of a crashed attempt pays under the same order id and
		// gets the same provider payment back: the action is that one's.
		var prev actionRow
		err := s.db.Conn(ctx).Where("provider = ? AND provider_ref = ?", a.Provider, a.ProviderRef).Take(&prev).Error
		switch {
		case err == nil:
			a.ID, a.CreatedAt = prev.ID, prev.CreatedAt
			err = s.db.Conn(ctx).Save(&a).Error
		case errors.Is(err, gorm.ErrRecordNotFound):
			// Stock held without money: capped with the pending orders.
			if err := s.checkPendingCap(ctx, meta.IP, at.pc.row.Email, deref(at.pc.row.CustomerID)); err != nil {
				return err
			}
			err = s.db.Conn(ctx).Create(&a).Error
		}
		if err != nil {
			return fmt.Errorf("record payment action: %w", err)
		}
		if err := s.passClaim(ctx, at.cartID, at.token, a.ID, a.ExpiresAt.Add(-s.claimTimeout)); err != nil {
			return err
		}
		return s.inv.Hold(ctx, at.res.ID, a.ExpiresAt)
	})
	if err != nil {
		if _, rerr := s.inv.Release(ctx, at.res.ID); rerr != nil {
			s.log.ErrorContext(ctx, "release stock after a failed payment action", "reservation_id", at.res.ID, "err", rerr)
		}
		if errors.Is(err, errSuperseded) {
			return ErrCheckoutInProcess
		}
		s.voidAuthorization(ctx, authz, at.orderID)
		if uerr := s.unclaim(ctx, at); uerr != nil {
			s.log.ErrorContext(ctx, "reopen cart after a failed payment action", "cart_id", at.cartID, "err", uerr)
		}
		return err
	}
	return &ActionRequired{Action: a.view(authz.Result.NextAction)}
}

// passClaim moves the cart's claim from token from to token to, with
// claimed_at; errSuperseded when from no longer holds it.
func (s *Service) passClaim(ctx context.Context, cartID, from, to string, claimedAt time.Time) error {
	res := s.db.Conn(ctx).Model(&cartRow{}).Where("id = ? AND status = ? AND claim_token = ?", cartID, CartCompleting, from).
		Updates(map[string]any{"claim_token": to, "claimed_at": claimedAt})
	if res.Error != nil {
		return fmt.Errorf("pass cart claim: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return errSuperseded
	}
	return nil
}

// resumeAction finishes the payment action holding the cart, if any (see
// beforeClaim). done is false when there is none (or it just expired).
func (s *Service) resumeAction(ctx context.Context, actor auth.Actor, cartID string, meta Meta) (orders.Order, bool, error) {
	var (
		a       actionRow
		r       cartRow
		placed  *orders.Order
		expired bool
	)
	at := attempt{cartID: cartID, token: id.New("claim"), key: keyHash(meta.IdempotencyKey)}
	// The common case, an open cart, costs one read and no transaction.
	if r, err := s.cartFor(ctx, actor, cartID); err != nil || r.Status == CartOpen {
		return orders.Order{}, err != nil, err
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.cartFor(ctx, actor, cartID); err != nil {
			return err
		}
		if r.Status == CartCompleted && r.OrderID != nil {
			// Completed by an action (its webhook came first): its order.
			err := s.db.Conn(ctx).Where("cart_id = ? AND order_id = ? AND status = ?", cartID, *r.OrderID, ActionCompleted).
				Take(&a).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("load payment action: %w", err)
			}
			o, err := s.orders.ByID(ctx, *r.OrderID)
			placed = &o
			return err
		}
		if r.Status != CartCompleting || r.ClaimToken == nil || !id.Valid(actionPrefix, *r.ClaimToken) {
			return nil
		}
		if err := s.db.Conn(ctx).Where("id = ?", *r.ClaimToken).Take(&a).Error; err != nil {
			return fmt.Errorf("load payment action: %w", err)
		}
		if !s.now().Before(a.ExpiresAt) {
			expired = true
			return nil
		}
		if err := s.passClaim(ctx, cartID, a.ID, at.token, s.now()); err != nil {
			e := *ErrCheckoutInProcess
			e.RetryAfter = 1
			return &e
		}
		return nil
	})
	switch {
	case err != nil:
		if errors.Is(err, ErrCheckoutInProcess) {
			// The webhook may have completed the cart meanwhile.
			if o, done, _ := s.completedByAction(ctx, actor, cartID); done {
				return o, true, nil
			}
		}
		return orders.Order{}, true, err
	case placed != nil:
		return *placed, true, nil
	case expired:
		if err := s.expireAction(ctx, a); err != nil {
			return orders.Order{}, true, err
		}
		return orders.Order{}, false, nil
	case a.ID == "":
		return orders.Order{}, false, nil
	}
	return s.finishAction(ctx, actor, at, a, meta)
}

// completedByAction returns the order a payment action completed the cart with.
func (s *Service) completedByAction(ctx context.Context, actor auth.Actor, cartID string) (orders.Order, bool, error) {
	r, err := s.cartFor(ctx, actor, cartID)
	if err != nil || r.Status != CartCompleted || r.OrderID == nil {
		return orders.Order{}, false, err
	}
	var n int64
	if err := s.db.Conn(ctx).Model(&actionRow{}).Where("cart_id = ? AND order_id = ? AND status = ?", cartID,
		*r.OrderID, ActionCompleted).Count(&n).Error; err != nil || n == 0 {
		return orders.Order{}, false, err
	}
	o, err := s.orders.ByID(ctx, *r.OrderID)
	return o, err == nil, err
}

// finishAction asks the provider where the action's payment stands, the
// cart being held by at, and acts on it.
func (s *Service) finishAction(ctx context.Context, actor auth.Actor, at attempt, a actionRow, meta Meta) (orders.Order, bool, error) {
	ctx = context.WithoutCancel(ctx)
	giveBack := func() {
		if err := s.passClaim(ctx, at.cartID, at.token, a.ID, a.ExpiresAt.Add(-s.claimTimeout)); err != nil {
			s.log.ErrorContext(ctx, "hand the cart back to its payment action", "cart_id", at.cartID, "err", err)
		}
	}
	res, err := s.pay.Refresh(ctx, a.Provider, a.ProviderRef)
	if err != nil {
		giveBack()
		return orders.Order{}, true, err
	}
	at.orderID, at.provider, at.res = a.OrderID, a.Provider, inventory.Reservation{ID: a.ReservationID}
	switch res.Status {
	case payments.StatusRequiresAction:
		giveBack()
		return orders.Order{}, true, &ActionRequired{Action: a.view(res.NextAction)}
	case payments.StatusAuthorized, payments.StatusCaptured, payments.StatusPending:
	default: // failed, voided
		if err := s.failAction(ctx, a, at.token); err != nil {
			return orders.Order{}, true, err
		}
		return orders.Order{}, true, ErrAuthenticationFailed.WithDetail("the payment was not authenticated (%s)",
			firstNonEmpty(res.DeclineCode, string(res.Status)))
	}
	authz := payments.Authorization{Provider: a.Provider, Method: a.Method,
		Amount: money.Amount{Minor: a.Amount, Currency: a.Currency}, Result: res}
	var o orders.Order
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		// Ended first: a pending order's cap must not count this action.
		if err := s.endAction(ctx, a.ID, ActionCompleted); err != nil {
			return err
		}
		var err error
		o, err = s.placeAction(ctx, actor, at, a, authz, meta)
		return err
	})
	if errors.Is(err, errSuperseded) {
		return orders.Order{}, true, ErrCheckoutInProcess
	}
	if err != nil {
		s.voidAuthorization(ctx, authz, a.OrderID)
		if ferr := s.failAction(ctx, a, at.token); ferr != nil {
			s.log.ErrorContext(ctx, "end a payment action whose order failed", "cart_id", at.cartID, "err", ferr)
		}
		return orders.Order{}, true, err
	}
	return o, true, nil
}

// placeAction prices the cart held by at and places its order with authz,
// in ctx's transaction; the total must still be what the shopper authorised.
func (s *Service) placeAction(ctx context.Context, actor auth.Actor, at attempt, a actionRow,
	authz payments.Authorization, meta Meta) (orders.Order, error) {
	var r cartRow
	if err := s.db.Conn(ctx).Where("id = ?", at.cartID).Take(&r).Error; err != nil {
		return orders.Order{}, fmt.Errorf("load cart: %w", err)
	}
	var err error
	if at.pc, err = s.price(ctx, r, nil); err != nil {
		return orders.Order{}, err
	}
	if err := at.pc.ready(); err != nil {
		return orders.Order{}, err
	}
	if at.pc.totals.Total.Minor != a.Amount || at.pc.totals.Total.Currency != a.Currency {
		return orders.Order{}, ErrPaymentAmountChanged
	}
	meta.SessionID, meta.AnonymousID = firstNonEmpty(meta.SessionID, a.SessionID), firstNonEmpty(meta.AnonymousID, a.AnonymousID)
	meta.IP, meta.Locale = firstNonEmpty(meta.IP, a.ClientIP), firstNonEmpty(meta.Locale, a.Locale)
	return s.place(ctx, actor, at, authz, meta)
}

// failAction ends an action whose payment failed: its stock goes back and
// the cart (held by token) opens again.
func (s *Service) failAction(ctx context.Context, a actionRow, token string) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.inv.ReleaseReference(ctx, a.OrderID); err != nil {
			return err
		}
		if err := s.unclaim(ctx, attempt{cartID: a.CartID, token: token}); err != nil {
			return err
		}
		return s.endAction(ctx, a.ID, ActionFailed)
	})
}

// endAction moves a waiting action to status.
func (s *Service) endAction(ctx context.Context, actionID, status string) error {
	return s.db.Conn(ctx).Model(&actionRow{}).Where("id = ? AND status = ?", actionID, ActionWaiting).
		Updates(map[string]any{"status": status, "updated_at": s.now()}).Error
}

// onUnclaimedEvent is the payments webhook hook (RegisterActionHooks): a
// verified event about a payment waiting for the shopper places the order
// (succeeded or authorised) or fails the checkout, in the webhook's
// transaction. It stands aside (handled false: the event is kept as
// unknown_payment) when a checkout call holds the cart at that moment
// (that call asks the provider itself and records the event with the
// payment), when the action is over or expired (the expiry gives the
// payment back), or when the event's amount is not the action's.
func (s *Service) onUnclaimedEvent(ctx context.Context, provider string, ev payments.WebhookEvent) (*string, bool, error) {
	var a actionRow
	err := s.db.Conn(ctx).Where("provider = ? AND provider_ref = ?", provider, ev.ProviderRef).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load payment action: %w", err)
	}
	if a.Status != ActionWaiting || !s.now().Before(a.ExpiresAt) {
		s.log.WarnContext(ctx, "payment event for a finished payment action", "action_id", a.ID, "status", a.Status,
			"event_id", ev.ID, "event_status", ev.Status)
		return nil, false, nil
	}
	switch ev.Status {
	case payments.StatusFailed:
		if err := s.failAction(ctx, a, a.ID); err != nil {
			return nil, false, err
		}
		return nil, true, nil
	case payments.StatusAuthorized, payments.StatusCaptured:
	default:
		return nil, false, nil
	}
	if ev.Amount.Minor != a.Amount || ev.Amount.Currency != a.Currency {
		s.log.WarnContext(ctx, "payment_amount_mismatch", "action_id", a.ID, "event_id", ev.ID,
			"event_amount", ev.Amount.Minor, "event_currency", ev.Amount.Currency, "amount", a.Amount, "currency", a.Currency)
		return nil, false, nil
	}
	actor := auth.Actor{Kind: auth.Guest}
	if a.CustomerID != nil {
		actor = auth.Actor{Kind: auth.Customer, ID: *a.CustomerID}
	}
	at := attempt{cartID: a.CartID, token: a.ID, orderID: a.OrderID, provider: a.Provider,
		res: inventory.Reservation{ID: a.ReservationID}}
	authz := payments.Authorization{Provider: a.Provider, Method: a.Method,
		Amount: money.Amount{Minor: a.Amount, Currency: a.Currency},
		Result: payments.Result{ProviderRef: a.ProviderRef, Status: ev.Status}}
	// A savepoint, so that an order refused for a business reason (a code
	// used up meanwhile) leaves the webhook's own record intact.
	var o orders.Order
	err = s.db.Conn(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		o, err = s.placeAction(ctx, actor, at, a, authz, Meta{})
		if err != nil {
			return err
		}
		return s.endAction(ctx, a.ID, ActionCompleted)
	})
	var de *errs.Error
	switch {
	case errors.Is(err, errSuperseded):
		return nil, false, nil
	case errors.As(err, &de):
		s.log.WarnContext(ctx, "a payment action's order could not be placed; its payment is given back at expiry",
			"action_id", a.ID, "code", de.Code)
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	var pid string
	if err := s.db.Conn(ctx).Table("payments").Select("id").Where("order_id = ?", o.ID).Limit(1).Scan(&pid).Error; err != nil {
		return nil, false, fmt.Errorf("load payment: %w", err)
	}
	return &pid, true, nil
}

// ExpireActions ends the payment actions past their expiry (the job runs
// it every minute) and reports how many it ended.
func (s *Service) ExpireActions(ctx context.Context) (int, error) {
	n, err := s.expireWaiting(ctx)
	closed, serr := s.expireSessions(ctx)
	return n + closed, errors.Join(err, serr)
}

// expireWaiting ends the actions past their expiry.
func (s *Service) expireWaiting(ctx context.Context) (int, error) {
	var rows []actionRow
	if err := s.db.Conn(ctx).Where("status = ? AND expires_at <= ?", ActionWaiting, s.now()).
		Order("expires_at, id").Limit(reconcileBatch).Find(&rows).Error; err != nil {
		return 0, fmt.Errorf("find expired payment actions: %w", err)
	}
	n := 0
	var errAll error
	for _, a := range rows {
		if err := s.expireAction(ctx, a); err != nil {
			errAll = errors.Join(errAll, err)
			continue
		}
		n++
	}
	return n, errAll
}

// expireAction ends an unfinished action: it takes the cart back from the
// action (if the action still holds it), releases the stock, gives back
// whatever the provider made for the planned order id (voided, or refunded
// when it was captured meanwhile; nothing when an order claimed it), and
// reopens the cart. A provider that cannot be asked leaves it all for the
// next run.
func (s *Service) expireAction(ctx context.Context, a actionRow) error {
	ctx = context.WithoutCancel(ctx)
	token := id.New("claim")
	took := false
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		err := s.passClaim(ctx, a.CartID, a.ID, token, s.now())
		if errors.Is(err, errSuperseded) {
			return nil // a checkout call, the webhook or the crash recovery has the cart
		}
		if err != nil {
			return err
		}
		took = true
		_, err = s.inv.ReleaseReference(ctx, a.OrderID)
		return err
	})
	if err != nil {
		return err
	}
	if !took {
		var r cartRow
		if err := s.db.Conn(ctx).Where("id = ?", a.CartID).Take(&r).Error; err != nil {
			return fmt.Errorf("load cart: %w", err)
		}
		if r.Status == CartCompleting && deref(r.OrderID) == a.OrderID {
			return nil // someone is finishing it right now: look again next run
		}
	}
	recs, err := s.pay.SettleOrphan(ctx, a.Provider, a.OrderID)
	if err != nil {
		if took {
			if perr := s.passClaim(ctx, a.CartID, token, a.ID, a.ExpiresAt.Add(-s.claimTimeout)); perr != nil {
				err = errors.Join(err, perr)
			}
		}
		return err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if took {
			if err := s.unclaim(ctx, attempt{cartID: a.CartID, token: token}); err != nil {
				return err
			}
		}
		return s.endAction(ctx, a.ID, ActionExpired)
	})
	if err != nil {
		return err
	}
	done := make([]string, len(recs))
	for i, rec := range recs {
		done[i] = rec.Action
	}
	s.log.InfoContext(ctx, "expired a payment waiting for the shopper", "action_id", a.ID, "cart_id", a.CartID,
		"order_id", a.OrderID, "provider", a.Provider, "provider_ref", a.ProviderRef, "payment", strings.Join(done, ","))
	return nil
}

// countWaiting counts the live payment actions of one client (by is an
// orders.PendingBy* column: client_ip, customer_id, or the cart's e-mail)
// and their first expiry. They hold stock without money, like pending
// orders, and share their caps (checkPendingCap).
func (s *Service) countWaiting(ctx context.Context, by, value string) (orders.PendingCount, error) {
	q := s.db.Conn(ctx).Table("checkout_payment_actions AS a").
		Where("a.status = ? AND a.expires_at > ?", ActionWaiting, s.now())
	switch by {
	case orders.PendingByClientIP:
		q = q.Where("a.client_ip = ?", value)
	case orders.PendingByCustomer:
		q = q.Where("a.customer_id = ?", value)
	case orders.PendingByEmail:
		q = q.Joins("JOIN carts c ON c.id = a.cart_id").Where("c.email = ?", value)
	default:
		return orders.PendingCount{}, fmt.Errorf("checkout: count waiting payments by %q", by)
	}
	// The rows, not MIN(): SQLite returns an aggregate timestamp as text.
	var expiries []time.Time
	if err := q.Order("a.expires_at").Limit(1000).Pluck("a.expires_at", &expiries).Error; err != nil {
		return orders.PendingCount{}, fmt.Errorf("count waiting payments: %w", err)
	}
	pc := orders.PendingCount{Count: int64(len(expiries))}
	if len(expiries) > 0 {
		pc.FirstExpiresAt = &expiries[0]
	}
	return pc, nil
}
