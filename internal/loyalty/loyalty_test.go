package loyalty

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/money"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func eur(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: "EUR"} }

func newSvc(t *testing.T) (*Service, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)}
	s := NewService(dbtest.New(t), WithClock(c.now))
	_, err := s.PutProgram(t.Context(), ProgramInput{EarnPerUnit: 1, RedeemValue: eur(1), ExpiryDays: 30,
		Tiers: []Tier{{Key: "bronze", Name: "Bronze", MinSpend12m: eur(0)},
			{Key: "silver", Name: "Silver", MinSpend12m: eur(20000), Perks: Perks{EarnMultiplier: 1.5}},
			{Key: "gold", Name: "Gold", MinSpend12m: eur(100000), Perks: Perks{EarnMultiplier: 2}}}})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// checkLedger: the ledger sums to the balance.
func checkLedger(t *testing.T, s *Service, cus string, want int64) {
	t.Helper()
	var sum int64
	if err := s.db.Conn(t.Context()).Model(&ledgerRow{}).Select("COALESCE(SUM(points), 0)").
		Where("customer_id = ?", cus).Scan(&sum).Error; err != nil {
		t.Fatal(err)
	}
	bal, _, err := s.Balance(t.Context(), cus)
	if err != nil {
		t.Fatal(err)
	}
	if sum != bal || bal != want {
		t.Fatalf("ledger sum = %d, balance = %d, want both %d", sum, bal, want)
	}
}

func order(id, cus string, net, tax, total int64, inclusive bool) orderFacts {
	o := orderFacts{ID: id, CustomerID: &cus, Currency: "EUR", TaxInclusive: inclusive, Total: eur(total)}
	o.Items = append(o.Items, struct {
		Subtotal      money.Amount `json:"subtotal"`
		DiscountTotal money.Amount `json:"discount_total"`
		TaxTotal      money.Amount `json:"tax_total"`
	}{Subtotal: eur(net + 1000), DiscountTotal: eur(1000), TaxTotal: eur(tax)})
	return o
}

func TestEarnReverseExpire(t *testing.T) {
	t.Parallel()
	s, c := newSvc(t)
	ctx := t.Context()
	// 120.00 EUR inclusive of 20.00 tax: basis 100.00 -> 100 points (Bronze).
	if err := s.Earn(ctx, order("order_1", "cus_a", 12000, 2000, 12590, true)); err != nil {
		t.Fatal(err)
	}
	if err := s.Earn(ctx, order("order_1", "cus_a", 12000, 2000, 12590, true)); err != nil {
		t.Fatal(err) // once per order
	}
	checkLedger(t, s, "cus_a", 100)
	// A partial refund of half the order's total takes back 50 points.
	if err := s.Reverse(ctx, "rfd_1", "order_1", 6295); err != nil {
		t.Fatal(err)
	}
	if err := s.Reverse(ctx, "rfd_1", "order_1", 6295); err != nil {
		t.Fatal(err)
	}
	checkLedger(t, s, "cus_a", 50)
	// Exclusive tax: basis is the net 200.00 -> spend 250 -> Silver, x1.5 = 300.
	c.add(24 * time.Hour)
	if err := s.Earn(ctx, order("order_2", "cus_a", 20000, 4000, 24000, false)); err != nil {
		t.Fatal(err)
	}
	checkLedger(t, s, "cus_a", 350)
	if _, tier, _ := s.Balance(ctx, "cus_a"); tier != "silver" {
		t.Fatalf("tier = %q, want silver", tier)
	}
	var changes int64
	s.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM events WHERE type = 'loyalty.tier_changed'`).Scan(&changes)
	if changes != 2 { // none -> bronze, bronze -> silver
		t.Errorf("tier_changed events = %d, want 2", changes)
	}
	// Spend 80: consumes the oldest credit first (order_1's 50 left, then 30 of order_2's).
	if err := s.Spend(ctx, "cus_a", "order_3", 80); err != nil {
		t.Fatal(err)
	}
	checkLedger(t, s, "cus_a", 270)
	// Day 30 after order_1: order_1's credit is due, but fully consumed.
	c.add(29 * 24 * time.Hour)
	if n, err := s.Expire(ctx); err != nil || n != 0 {
		t.Fatalf("expire = %d, %v; want 0 (the oldest credit was spent)", n, err)
	}
	// Day 31 after order_2: its 270 unspent points expire.
	c.add(2 * 24 * time.Hour)
	if n, err := s.Expire(ctx); err != nil || n != 270 {
		t.Fatalf("expire = %d, %v; want 270", n, err)
	}
	if n, _ := s.Expire(ctx); n != 0 {
		t.Fatalf("second expire = %d, want 0", n)
	}
	checkLedger(t, s, "cus_a", 0)
	// A year later the window rolls: back to Bronze.
	c.add(366 * 24 * time.Hour)
	if _, err := s.RecomputeAllTiers(ctx); err != nil {
		t.Fatal(err)
	}
	if _, tier, _ := s.Balance(ctx, "cus_a"); tier != "bronze" {
		t.Fatalf("tier after a year = %q, want bronze", tier)
	}
}

func TestAdjustBadInput(t *testing.T) {
	t.Parallel()
	s, _ := newSvc(t)
	ctx := t.Context()
	if _, err := s.Adjust(ctx, "cus_b", AdjustInput{Points: 100, Reason: "welcome"}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []AdjustInput{{Points: 0, Reason: "x"}, {Points: 5}, {Points: -101, Reason: "too many"}} {
		if _, err := s.Adjust(ctx, "cus_b", in); err == nil {
			t.Errorf("adjust %+v: no error", in)
		}
	}
	checkLedger(t, s, "cus_b", 100)
	if err := s.Award(ctx, "cus_b", 10, "run_1:0", "automation"); err != nil {
		t.Fatal(err)
	}
	if err := s.Award(ctx, "cus_b", 10, "run_1:0", "automation"); err != nil {
		t.Fatal(err)
	}
	checkLedger(t, s, "cus_b", 110)
}

// TestParallelSpend: 20 spends of 100 racing for 500 points -> exactly 5.
func TestParallelSpend(t *testing.T) {
	t.Parallel()
	s, _ := newSvc(t)
	ctx := t.Context()
	if _, err := s.Adjust(ctx, "cus_c", AdjustInput{Points: 500, Reason: "seed"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, short := 0, 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.db.WithTx(context.Background(), func(ctx context.Context) error {
				return s.Spend(ctx, "cus_c", "order_p"+string(rune('a'+i)), 100)
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrInsufficientPoints):
				short++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 5 || short != 15 {
		t.Fatalf("ok = %d, short = %d; want 5 and 15", ok, short)
	}
	checkLedger(t, s, "cus_c", 0)
}

type fakeGroups struct {
	mu     sync.Mutex
	member map[string]bool
}

func (f *fakeGroups) Join(_ context.Context, g, c string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.member[g+"/"+c] = true
	return nil
}

func (f *fakeGroups) Leave(_ context.Context, g, c string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.member, g+"/"+c)
	return nil
}

// TestTierGroups: entering Silver joins its group, dropping out leaves it.
func TestTierGroups(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)}
	g := &fakeGroups{member: map[string]bool{}}
	s := NewService(dbtest.New(t), WithClock(c.now), WithGroups(g))
	ctx := t.Context()
	silver := "cgrp_silver"
	if _, err := s.PutProgram(ctx, ProgramInput{EarnPerUnit: 1, RedeemValue: eur(1), Tiers: []Tier{
		{Key: "silver", Name: "Silver", MinSpend12m: eur(20000), Perks: Perks{GroupID: &silver}}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Earn(ctx, order("order_1", "cus_g", 30000, 0, 30000, false)); err != nil {
		t.Fatal(err)
	}
	if !g.member["cgrp_silver/cus_g"] {
		t.Fatalf("not in the Silver group: %v", g.member)
	}
	c.add(400 * 24 * time.Hour)
	if _, err := s.RecomputeAllTiers(ctx); err != nil {
		t.Fatal(err)
	}
	if g.member["cgrp_silver/cus_g"] {
		t.Fatalf("still in the Silver group after a year: %v", g.member)
	}
}
