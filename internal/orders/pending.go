package orders

import (
	"context"
	"fmt"
	"time"
)

// Who an unpaid pending order is counted against (CountPending).
const (
	PendingByClientIP = "client_ip"
	PendingByEmail    = "email"
	PendingByCustomer = "customer_id"
)

// PendingCount is how many orders of one client wait for their payment, and
// when the first of them expires (frees its place) if it is not paid.
type PendingCount struct {
	Count          int64
	FirstExpiresAt *time.Time
}

// CountPending counts the pending orders (payment not yet confirmed) whose
// by column (PendingByClientIP, PendingByEmail, PendingByCustomer) is
// value. Paying or expiring an order moves it out of pending, which frees
// its place. Run it in the transaction that may add one, after locking the
// same key (db.LockKeys), so concurrent checkouts count each other.
func (s *Service) CountPending(ctx context.Context, by, value string) (PendingCount, error) {
	switch by {
	case PendingByClientIP, PendingByEmail, PendingByCustomer:
	default:
		return PendingCount{}, fmt.Errorf("orders: count pending by %q", by)
	}
	// The rows themselves, not an aggregate: SQLite returns MIN() of a
	// timestamp as text. A client has a handful of pending orders at most.
	var expiries []*time.Time
	err := s.db.Conn(ctx).Model(&orderRow{}).Where("status = ? AND "+by+" = ?", StatusPending, value).
		Order("expires_at").Limit(1000).Pluck("expires_at", &expiries).Error
	if err != nil {
		return PendingCount{}, fmt.Errorf("count pending orders: %w", err)
	}
	pc := PendingCount{Count: int64(len(expiries))}
	if len(expiries) > 0 {
		pc.FirstExpiresAt = expiries[0]
	}
	return pc, nil
}
