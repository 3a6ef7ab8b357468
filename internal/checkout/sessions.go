package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// Payment sessions (docs/checkout.md): the app asks for the provider's
// payment first (CreatePaymentSession: a Stripe PaymentIntent for the
// cart's total), confirms it with the provider's SDK, then checks out with
// {payment: {session_id}}. Checkout then asks the provider where the
// payment stands instead of authorising: confirmed, the order is placed;
// still waiting, the answer is 202 requires_action like any payment that
// needs the shopper (actions.go). The session plans the order id, which is
// the provider's reference, so the crash recovery and the expiry find its
// payment as they find a checkout's.
//
// The amount is the cart's total when the session was made. A cart that
// changed since (an item, a code, the shipping) cannot be paid with it:
// checkout answers 409 payment_session_stale and the app makes a new
// session, so the amount paid is always the order's total.

// Session statuses.
const (
	SessionOpen      = "open"
	SessionCompleted = "completed"
	SessionExpired   = "expired"
)

// DefaultSessionTTL is how long a session can be checked out with; after
// that the expiry job gives back whatever its payment became.
const DefaultSessionTTL = time.Hour

// Errors of payment sessions.
var (
	ErrSessionNotFound = errs.New(errs.NotFound, "not_found", "no such payment session for this cart")
	// ErrSessionStale: the cart changed after the session was made.
	ErrSessionStale = errs.New(errs.Conflict, "payment_session_stale",
		"the cart changed after the payment session was created; create a new payment session")
	// ErrSessionClosed: the session's order was placed, or it expired.
	ErrSessionClosed = errs.New(errs.Conflict, "payment_session_closed",
		"the payment session is no longer open; create a new payment session")
)

// sessionRow is the checkout_payment_sessions table.
type sessionRow struct {
	ID, CartID, OrderID             string
	Provider, Method, ProviderRef   string
	Status                          string
	Amount                          int64
	Currency                        string
	ClientSecret                    string
	NextActionType, NextActionURL   string
	ReturnURL                       string
	ExpiresAt, CreatedAt, UpdatedAt time.Time
}

func (sessionRow) TableName() string { return "checkout_payment_sessions" }

// SessionInput creates a payment session.
type SessionInput struct {
	Provider string `json:"provider" validate:"required,max=40" example:"stripe"`
	Method   string `json:"method" validate:"required,max=40" enums:"card,paypal,apple_pay,bnpl" example:"apple_pay"`
	// ReturnURL is where a redirect sends the shopper back: https, or an
	// app scheme on STOREKEEP_PAYMENT_RETURN_URLS.
	ReturnURL string `json:"return_url,omitempty" validate:"omitempty,max=2048" example:"myshop://checkout/return"`
} // @name PaymentSessionInput

// PaymentSession is a payment the app confirms with the provider's SDK.
type PaymentSession struct {
	ID       string `json:"id" binding:"required" example:"psess_06h1wbq28dxanf5st2bqp8yfxm"`
	Provider string `json:"provider" binding:"required" example:"stripe"`
	Method   string `json:"method" binding:"required" enums:"card,paypal,apple_pay,bnpl" example:"apple_pay"`
	// Status is requires_action until checked out (confirm it with the
	// SDK, then check out), completed once its order is placed, expired
	// after its hour.
	Status string       `json:"status" binding:"required" enums:"requires_action,completed,expired" example:"requires_action"`
	Amount money.Amount `json:"amount" binding:"required"`
	// ClientSecret is what the provider's SDK confirms the payment with.
	ClientSecret string `json:"client_secret,omitempty" example:"pi_3Nx_secret_9f2"`
	// ProviderRef is the payment at the provider (a PaymentIntent id).
	ProviderRef string               `json:"provider_ref" binding:"required" example:"pi_3Nx"`
	NextAction  *payments.NextAction `json:"next_action,omitempty"`
	ExpiresAt   time.Time            `json:"expires_at" binding:"required" format:"date-time" example:"2025-01-31T13:00:00Z"`
} // @name PaymentSession

func (r sessionRow) view() PaymentSession {
	st := r.Status
	if st == SessionOpen {
		st = string(payments.StatusRequiresAction)
	}
	out := PaymentSession{ID: r.ID, Provider: r.Provider, Method: r.Method, Status: st,
		Amount: money.Amount{Minor: r.Amount, Currency: r.Currency}, ClientSecret: r.ClientSecret,
		ProviderRef: r.ProviderRef, ExpiresAt: r.ExpiresAt.UTC()}
	if r.Status == SessionOpen && r.NextActionType != "" {
		out.NextAction = &payments.NextAction{Type: r.NextActionType, URL: r.NextActionURL, ClientSecret: r.ClientSecret}
	}
	return out
}

// CreatePaymentSession makes the provider's payment for the cart's total,
// for the app to confirm. The cart must be ready to check out (422
// cart_incomplete otherwise: its total is final only then). idemKey is the
// request's Idempotency-Key, if any: with it, a retry is the same request at
// the provider; the provider's key derives from the cart and it.
func (s *Service) CreatePaymentSession(ctx context.Context, actor auth.Actor, cartID string, in SessionInput,
	idemKey string) (PaymentSession, error) {
	if !payments.ValidMethod(in.Method) {
		return PaymentSession{}, payments.ErrUnknownMethod
	}
	if _, err := s.pay.Provider(in.Provider); err != nil {
		return PaymentSession{}, err
	}
	if in.ReturnURL != "" {
		if err := payments.CheckReturnURL(in.ReturnURL, s.actions.returnURLs, "return_url"); err != nil {
			return PaymentSession{}, err
		}
	}
	r, err := s.cartFor(ctx, actor, cartID)
	if err != nil {
		return PaymentSession{}, err
	}
	if r.Status != CartOpen {
		return PaymentSession{}, ErrCartClosed
	}
	pc, err := s.price(ctx, r, nil)
	if err != nil {
		return PaymentSession{}, err
	}
	if err := pc.ready(); err != nil {
		return PaymentSession{}, err
	}
	if pc.totals.Total.Minor <= 0 {
		return PaymentSession{}, ErrCartNotReady.WithDetail("the cart's total is 0: check out without a payment")
	}
	now := s.now()
	row := sessionRow{ID: id.New("psess"), CartID: cartID, OrderID: id.New("order"), Provider: in.Provider,
		Method: in.Method, Status: SessionOpen, Amount: pc.totals.Total.Minor, Currency: pc.totals.Total.Currency,
		ReturnURL: in.ReturnURL, ExpiresAt: now.Add(s.sessionTTL()), CreatedAt: now, UpdatedAt: now}
	key := "cart:" + cartID + ":session:" + row.ID
	if idemKey != "" {
		key = "cart:" + cartID + ":session-key:" + idemKey
	}
	authz, err := s.pay.CreateSession(ctx, payments.AuthorizeInput{Provider: in.Provider, Method: in.Method,
		Amount: pc.totals.Total, Reference: row.OrderID, IdempotencyKey: key, Capture: s.captureNow, ReturnURL: in.ReturnURL})
	if err != nil {
		return PaymentSession{}, err
	}
	row.ProviderRef = authz.Result.ProviderRef
	if na := authz.Result.NextAction; na != nil {
		row.ClientSecret, row.NextActionType, row.NextActionURL = na.ClientSecret, na.Type, na.URL
	}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return PaymentSession{}, fmt.Errorf("record payment session: %w", err)
	}
	return row.view(), nil
}

func (s *Service) sessionTTL() time.Duration {
	if s.actions.sessionTTL > 0 {
		return s.actions.sessionTTL
	}
	return DefaultSessionTTL
}

// session loads the cart's session id for actor (404 for another cart's
// or a cart the actor cannot open).
func (s *Service) session(ctx context.Context, actor auth.Actor, cartID, sessionID string) (sessionRow, cartRow, error) {
	r, err := s.cartFor(ctx, actor, cartID)
	if err != nil {
		return sessionRow{}, r, err
	}
	if !id.Valid("psess", sessionID) {
		return sessionRow{}, r, ErrSessionNotFound
	}
	var row sessionRow
	err = s.db.Conn(ctx).Where("id = ? AND cart_id = ?", sessionID, cartID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return sessionRow{}, r, ErrSessionNotFound
	}
	if err != nil {
		return sessionRow{}, r, fmt.Errorf("load payment session: %w", err)
	}
	return row, r, nil
}

// resolveSession turns a checkout's {session_id} into the session's
// provider and method, and plans the session's order id for the claim. It
// refuses, before anything is held, a session of another cart (404), one
// that is over (409 payment_session_closed) or one whose amount is no longer
// the cart's total (409 payment_session_stale).
func (s *Service) resolveSession(ctx context.Context, actor auth.Actor, cartID string, p PaymentInput,
	meta Meta) (PaymentInput, Meta, error) {
	if p.SessionID == "" {
		return p, meta, nil
	}
	row, r, err := s.session(ctx, actor, cartID, p.SessionID)
	if err != nil {
		return p, meta, err
	}
	p.Provider, p.Method, p.Token = row.Provider, row.Method, "session:"+row.ID
	if p.ReturnURL == "" {
		p.ReturnURL = row.ReturnURL
	}
	if r.Status != CartOpen {
		return p, meta, nil // resumed or answered by the payment action, or cart_completed
	}
	if row.Status != SessionOpen || !s.now().Before(row.ExpiresAt) {
		return p, meta, ErrSessionClosed
	}
	pc, err := s.price(ctx, r, nil)
	if err != nil {
		return p, meta, err
	}
	if pc.totals.Total.Minor != row.Amount || pc.totals.Total.Currency != row.Currency {
		return p, meta, ErrSessionStale.WithDetail("the session is for %d %s, the cart's total is now %d %s",
			row.Amount, row.Currency, pc.totals.Total.Minor, pc.totals.Total.Currency)
	}
	meta.orderID = row.OrderID
	return p, meta, nil
}

// authorize is checkout's payment step: the provider's authorisation, or,
// for a session, where the session's payment stands (a session not yet
// confirmed comes back requires_action, with its client secret).
func (s *Service) authorize(ctx context.Context, p PaymentInput, in payments.AuthorizeInput) (payments.Authorization, error) {
	if p.SessionID == "" {
		return s.pay.Authorize(ctx, in)
	}
	var row sessionRow
	if err := s.db.Conn(ctx).Where("id = ?", p.SessionID).Take(&row).Error; err != nil {
		return payments.Authorization{}, fmt.Errorf("load payment session: %w", err)
	}
	if row.OrderID != in.Reference || row.Amount != in.Amount.Minor || row.Currency != in.Amount.Currency {
		// The cart changed between the check before the claim and the claim.
		return payments.Authorization{}, ErrSessionStale
	}
	res, err := s.pay.Refresh(ctx, row.Provider, row.ProviderRef)
	if err != nil {
		return payments.Authorization{}, err
	}
	return payments.Authorization{Provider: row.Provider, Method: row.Method, Amount: in.Amount, Result: res}, nil
}

// expireSessions ends open sessions past their expiry: a session whose
// order was placed is marked completed; otherwise whatever its payment
// became at the provider is given back (payments.SettleOrphan: voided, or
// refunded) and it is marked expired. A session whose cart is being
// checked out under its order id is left for the next run.
func (s *Service) expireSessions(ctx context.Context) (int, error) {
	var rows []sessionRow
	if err := s.db.Conn(ctx).Where("status = ? AND expires_at <= ?", SessionOpen, s.now()).
		Order("expires_at, id").Limit(reconcileBatch).Find(&rows).Error; err != nil {
		return 0, fmt.Errorf("find expired payment sessions: %w", err)
	}
	n := 0
	var errAll error
	for _, row := range rows {
		var c cartRow
		if err := s.db.Conn(ctx).Where("id = ?", row.CartID).Take(&c).Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			errAll = errors.Join(errAll, err)
			continue
		}
		status := SessionExpired
		switch {
		case c.Status == CartCompleted && deref(c.OrderID) == row.OrderID:
			status = SessionCompleted
		case c.Status == CartCompleting && deref(c.OrderID) == row.OrderID:
			continue // being checked out, or waiting for the shopper
		default:
			if _, err := s.pay.SettleOrphan(ctx, row.Provider, row.OrderID); err != nil {
				errAll = errors.Join(errAll, err)
				continue
			}
		}
		if err := s.db.Conn(ctx).Model(&sessionRow{}).Where("id = ? AND status = ?", row.ID, SessionOpen).
			Updates(map[string]any{"status": status, "updated_at": s.now()}).Error; err != nil {
			errAll = errors.Join(errAll, err)
			continue
		}
		s.log.InfoContext(ctx, "closed a payment session", "session_id", row.ID, "cart_id", row.CartID, "status", status)
		n++
	}
	return n, errAll
}
