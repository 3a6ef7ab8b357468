package orders

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/customers"
	"storekeep/internal/platform/money"
)

var _ customers.OrderHistory = (*Service)(nil)

// CustomerOrderStats counts a customer's orders and sums their lifetime
// spend per currency: the totals of orders that were not canceled (the same
// rule as the customer_lifetime_value KPI), for the staff view of a customer.
func (s *Service) CustomerOrderStats(ctx context.Context, customerID string) (customers.OrderStats, error) {
	out := customers.OrderStats{LifetimeSpend: []money.Amount{}}
	var rows []struct {
		Currency string
		N        int64
		Spend    int64
	}
	// MAX(created_at) comes back as text on SQLite, so it is read from the
	// newest order below instead of scanned here.
	err := s.db.Conn(ctx).Raw(`SELECT currency, COUNT(*) AS n,
			COALESCE(SUM(CASE WHEN status <> 'canceled' THEN total ELSE 0 END), 0) AS spend
		FROM orders WHERE customer_id = ? GROUP BY currency ORDER BY currency`, customerID).Scan(&rows).Error
	if err != nil {
		return out, fmt.Errorf("customer order stats: %w", err)
	}
	for _, r := range rows {
		out.OrderCount += r.N
		out.LifetimeSpend = append(out.LifetimeSpend, money.Amount{Minor: r.Spend, Currency: r.Currency})
	}
	if out.OrderCount > 0 {
		var last orderRow
		if err := s.db.Conn(ctx).Select("id", "created_at").Where("customer_id = ?", customerID).
			Order("id DESC").Take(&last).Error; err != nil {
			return out, fmt.Errorf("customer last order: %w", err)
		}
		t := last.CreatedAt.UTC().Truncate(time.Microsecond)
		out.LastOrderAt = &t
	}
	return out, nil
}

// CustomerTotals is what automations ask about a customer's orders.
type CustomerTotals struct {
	// OrderCount counts the orders that are not canceled.
	OrderCount int64
	// Spent sums those orders' totals, one amount per currency.
	Spent []money.Amount
}

// CustomerTotals counts the customer's orders that are not canceled
// (pending, confirmed or completed, whatever their payment or fulfilment)
// and sums their totals per currency. With upToOrderID set, only the orders
// placed up to and including that one count (ids are time-ordered), so "the
// customer's first order" stays true of that order after later ones.
func (s *Service) CustomerTotals(ctx context.Context, customerID, upToOrderID string) (CustomerTotals, error) {
	out := CustomerTotals{Spent: []money.Amount{}}
	q := s.db.Conn(ctx).Model(&orderRow{}).Select("currency, COUNT(*) AS n, COALESCE(SUM(total), 0) AS spent").
		Where("customer_id = ? AND status <> ?", customerID, StatusCanceled).Group("currency").Order("currency")
	if upToOrderID != "" {
		q = q.Where("id <= ?", upToOrderID)
	}
	var rows []struct {
		Currency string
		N        int64
		Spent    int64
	}
	if err := q.Scan(&rows).Error; err != nil {
		return out, fmt.Errorf("customer totals: %w", err)
	}
	for _, r := range rows {
		out.OrderCount += r.N
		out.Spent = append(out.Spent, money.Amount{Minor: r.Spent, Currency: r.Currency})
	}
	return out, nil
}
