package customers

import (
	"context"
	"fmt"
	"testing"
	"time"

	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// benchOrders is a constant order history: the benchmark measures the
// customers side (facts, rules, memberships), not the orders domain's query.
type benchOrders struct{}

func (benchOrders) CustomerOrderStats(context.Context, string) (OrderStats, error) {
	t := time.Now().UTC()
	return OrderStats{OrderCount: 3, LifetimeSpend: []money.Amount{{Minor: 9000, Currency: "EUR"}}, LastOrderAt: &t}, nil
}

// BenchmarkSegments compares a preview over 2 000 customers with the
// recompute of one customer (what each order or profile change costs).
func BenchmarkSegments(b *testing.B) {
	const n = 2000
	s := NewService(dbtest.New(b), nil, nil, nil)
	s.SetOrderHistory(benchOrders{})
	ctx := b.Context()
	now := s.clock()
	rows := make([]Customer, n)
	addrs := make([]Address, n)
	for i := range rows {
		rows[i] = Customer{ID: id.New("cus"), Email: fmt.Sprintf("c%d@example.com", i), PasswordHash: "x",
			FirstName: "C", LastName: "B", Locale: "en", CreatedAt: now, UpdatedAt: now}
		addrs[i] = Address{ID: id.New("addr"), CustomerID: rows[i].ID, FirstName: "C", LastName: "B", Line1: "1 rue",
			City: "Paris", PostalCode: "75001", CountryCode: []string{"FR", "BE", "DE"}[i%3], IsDefaultShipping: true,
			IsDefaultBilling: true, CreatedAt: now, UpdatedAt: now}
	}
	if err := s.db.Conn(ctx).CreateInBatches(rows, 200).Error; err != nil {
		b.Fatal(err)
	}
	if err := s.db.Conn(ctx).CreateInBatches(addrs, 200).Error; err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i += 2 {
		if err := s.db.Conn(ctx).Exec(`UPDATE customers SET skin_profile = '{"skin_type":"dry"}' WHERE id = ?`, rows[i].ID).Error; err != nil {
			b.Fatal(err)
		}
	}
	rules := []Rule{{"skin_type", "eq", "dry"}, {"country", "in", []any{"FR", "BE"}},
		{"total_spent", "gte", map[string]any{"amount": float64(5000), "currency": "EUR"}}}
	manager := support
	manager.Role = "manager"
	if _, err := s.CreateGroup(ctx, manager, GroupInput{Name: "Bench", Rules: rules}); err != nil {
		b.Fatal(err)
	}
	b.Run("recompute_one_customer", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if err := s.RecomputeCustomer(ctx, rows[i%n].ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("preview_2000_customers", func(b *testing.B) {
		for b.Loop() {
			p, err := s.PreviewSegment(ctx, support, PreviewInput{Rules: rules})
			if err != nil || p.Size != 667 {
				b.Fatalf("preview = %d, %v", p.Size, err)
			}
		}
	})
}
