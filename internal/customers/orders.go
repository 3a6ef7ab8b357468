package customers

import (
	"context"
	"time"

	"storekeep/internal/platform/money"
)

// OrderStats is what the orders domain knows about one customer's orders.
type OrderStats struct {
	// OrderCount counts the customer's orders.
	OrderCount int64
	// LifetimeSpend is one sum per currency the customer ordered in.
	LifetimeSpend []money.Amount
	// LastOrderAt is when the latest order was placed; nil without orders.
	LastOrderAt *time.Time
}

// OrderHistory is the orders domain as the staff view of a customer needs
// it. The orders package implements it; it is declared here, by its
// consumer, so customers does not import orders.
type OrderHistory interface {
	CustomerOrderStats(ctx context.Context, customerID string) (OrderStats, error)
}

// SetOrderHistory wires the orders domain in at start-up (orders are built
// after customers). Until it is called, or with nil, every customer shows
// zero orders.
func (s *Service) SetOrderHistory(h OrderHistory) { s.orders = h }

// orderStats asks the wired OrderHistory, or answers zero stats.
func (s *Service) orderStats(ctx context.Context, customerID string) (OrderStats, error) {
	if s.orders == nil {
		return OrderStats{LifetimeSpend: []money.Amount{}}, nil
	}
	st, err := s.orders.CustomerOrderStats(ctx, customerID)
	if err != nil {
		return OrderStats{}, err
	}
	if st.LifetimeSpend == nil {
		st.LifetimeSpend = []money.Amount{}
	}
	return st, nil
}
