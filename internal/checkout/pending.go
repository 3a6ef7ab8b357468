package checkout

import (
	"context"
	"math"
	"time"

	"storekeep/internal/orders"
	"storekeep/internal/platform/errs"
)

// An order whose payment waits for the provider (tok_async, a bank
// redirect) holds its stock until it is paid or expires. Unbounded, that is
// a way to empty the shop without paying: the number of unpaid pending
// orders is capped per client address, per e-mail and per customer, and
// the hold lasts only as long as the provider needs (PendingPolicy.Hold).

// PendingPolicy bounds orders awaiting their payment (docs/checkout.md).
type PendingPolicy struct {
	// Hold is how long a pending order keeps its stock before it is
	// canceled unless paid.
	Hold time.Duration
	// PerIP, PerEmail and PerCustomer cap the unpaid pending orders of one
	// client address, e-mail and customer account; 0 means no cap.
	PerIP, PerEmail, PerCustomer int
}

// DefaultPendingPolicy is the policy unless configured otherwise.
var DefaultPendingPolicy = PendingPolicy{Hold: 15 * time.Minute, PerIP: 5, PerEmail: 3, PerCustomer: 3}

// ErrTooManyPending refuses a checkout whose payment would wait while the
// client already has as many unpaid orders as the policy allows.
var ErrTooManyPending = errs.New(errs.TooMany, "too_many_pending_orders",
	"too many orders are waiting for their payment; pay or let one expire first")

// WithPendingPolicy sets the pending-order policy. The zero policy keeps
// DefaultPendingPolicy; otherwise a zero Hold keeps the default hold and a
// zero cap is no cap.
func WithPendingPolicy(p PendingPolicy) Option {
	return func(s *Service) {
		if p == (PendingPolicy{}) {
			p = DefaultPendingPolicy
		}
		if p.Hold <= 0 {
			p.Hold = DefaultPendingPolicy.Hold
		}
		s.pending = p
	}
}

// WithClaimTimeout sets how long a cart stays claimed by a checkout attempt
// before a retry or the reconciliation job may take it over (default
// DefaultClaimTimeout). It must outlast a checkout's longest run (the
// request timeout) to avoid needless takeovers; any value is safe.
func WithClaimTimeout(d time.Duration) Option {
	return func(s *Service) {
		if d > 0 {
			s.claimTimeout = d
		}
	}
}

// checkPendingCap runs in place's transaction before a pending order is
// created: it serialises checkouts of the same client (db.LockKeys) and
// refuses one more pending order over a cap, with Retry-After until the
// client's first pending order expires.
func (s *Service) checkPendingCap(ctx context.Context, ip, email, customerID string) error {
	type dim struct {
		by, value string
		limit     int
	}
	var dims []dim
	for _, d := range []dim{{orders.PendingByClientIP, ip, s.pending.PerIP},
		{orders.PendingByEmail, email, s.pending.PerEmail}, {orders.PendingByCustomer, customerID, s.pending.PerCustomer}} {
		if d.value != "" && d.limit > 0 {
			dims = append(dims, d)
		}
	}
	keys := make([]string, len(dims))
	for i, d := range dims {
		keys[i] = "pending:" + d.by + ":" + d.value
	}
	if err := s.db.LockKeys(ctx, keys...); err != nil {
		return err
	}
	for _, d := range dims {
		n, err := s.orders.CountPending(ctx, d.by, d.value)
		if err != nil {
			return err
		}
		w, err := s.countWaiting(ctx, d.by, d.value) // payments waiting for the shopper (actions.go)
		if err != nil {
			return err
		}
		n.Count += w.Count
		if w.FirstExpiresAt != nil && (n.FirstExpiresAt == nil || w.FirstExpiresAt.Before(*n.FirstExpiresAt)) {
			n.FirstExpiresAt = w.FirstExpiresAt
		}
		if n.Count < int64(d.limit) {
			continue
		}
		e := *ErrTooManyPending
		e.RetryAfter = int(s.pending.Hold.Seconds())
		if n.FirstExpiresAt != nil {
			e.RetryAfter = int(math.Ceil(n.FirstExpiresAt.Sub(s.now()).Seconds()))
		}
		e.RetryAfter = max(e.RetryAfter, 1)
		return &e
	}
	return nil
}
