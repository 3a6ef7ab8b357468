package api_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/checkout"
)

// createCartFrom creates a guest cart from client ip.
func (s *shop) createCartFrom(ip string) *apitest.Response {
	return s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts", ClientIP: ip,
		Body: map[string]any{"currency": "EUR"}})
}

// TestCartCreationIsLimitedPerClient: with the default settings one client
// may create checkout.DefaultCartCreateLimit carts per 15 minutes; the next
// is 429 with Retry-After, while other clients still create carts.
func TestCartCreationIsLimitedPerClient(t *testing.T) {
	t.Parallel()
	s := newShop(t, 1, 0, apitest.WindowAligned)
	for i := range checkout.DefaultCartCreateLimit {
		if res := s.createCartFrom("127.0.3.2"); res.Status != http.StatusCreated {
			t.Fatalf("cart %d: status %d, want 201", i+1, res.Status)
		}
	}
	before := s.h.RowCounts(t, "carts")
	res := s.createCartFrom("127.0.3.2")
	res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 900 {
		t.Errorf("Retry-After = %q, want 1..900 seconds", res.Header.Get("Retry-After"))
	}
	if d := cmp.Diff(before, s.h.RowCounts(t, "carts")); d != "" {
		t.Errorf("a refused creation wrote a cart (-before +after):\n%s", d)
	}
	s.createCartFrom("127.0.3.3").Expect(t, http.StatusCreated)
}

// TestCartCreationLimitIsASetting: the limit follows the server's options.
func TestCartCreationLimitIsASetting(t *testing.T) {
	t.Parallel()
	s := newShop(t, 1, 0, apitest.WindowAligned, func(o *api.Options) { o.Carts.CreateLimit = 3 })
	for range 3 {
		s.createCartFrom("127.0.3.2").Expect(t, http.StatusCreated)
	}
	s.createCartFrom("127.0.3.2").ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
}

// purgeCount is a row of cart_purge_counts.
type purgeCount struct {
	CreatedHour    time.Time
	Currency       string
	Carts          int64
	CartsWithItems int64
	ItemsSubtotal  int64
}

// TestAbandonedGuestCartsArePurged runs the cleanup job through the server's
// job runner over carts of every kind: only open guest carts untouched for
// longer than the TTL go, with their lines and codes, and their counts are
// kept per creation hour and currency; a second run changes nothing.
func TestAbandonedGuestCartsArePurged(t *testing.T) {
	t.Parallel()
	s := newShop(t, 100, 100)
	s.admin(http.MethodPost, "/v1/admin/regions", map[string]any{"name": "US", "currency": "USD",
		"country_codes": []string{"US"}, "tax_rate": 0, "tax_inclusive": false}).Expect(t, http.StatusCreated)
	old := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	idle := func(p *shopper, created time.Time) {
		t.Helper()
		if err := s.h.DB.Conn(t.Context()).Exec(`UPDATE carts SET created_at = ?, updated_at = ? WHERE id = ?`,
			created, created.Add(5*time.Minute), p.cart.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	// Abandoned guest carts: they go.
	empty := s.guest()
	empty.newCart()
	idle(empty, old.Add(20*time.Minute))
	full := s.guestWith(s.small, 2)
	full.add(s.large, 1)
	full.step(http.MethodPost, "/v1/store/carts/"+full.cart.ID+"/discounts", map[string]any{"code": "WELCOME15"}, http.StatusOK)
	idle(full, old.Add(50*time.Minute))
	later := s.guestWith(s.small, 1)
	idle(later, old.Add(65*time.Minute))
	dollars := s.guest()
	dollars.step(http.MethodPost, "/v1/store/carts", map[string]any{"currency": "USD"}, http.StatusCreated)
	idle(dollars, old.Add(40*time.Minute))
	gone := []*shopper{empty, full, later, dollars}

	// Carts that stay: young, touched lately, a customer's, completed, merged.
	young := s.guestWith(s.small, 1)
	touched := s.guestWith(s.small, 1)
	if err := s.h.DB.Conn(t.Context()).Exec(`UPDATE carts SET created_at = ?, updated_at = ? WHERE id = ?`,
		old, time.Now().UTC().Add(-time.Hour), touched.cart.ID).Error; err != nil {
		t.Fatal(err)
	}
	paid := s.guestWith(s.small, 1)
	paid.ready()
	paid.placeOrder("purge-paid")
	idle(paid, old)
	mine := s.customer()
	mine.newCart()
	mine.add(s.small, 1)
	merged := s.guest()
	merged.newCart()
	merged.add(s.large, 1)
	mine.do(http.MethodPost, "/v1/store/carts/"+merged.cart.ID+"/customer", nil).Expect(t, http.StatusOK)
	idle(merged, old)
	idle(mine, old)
	kept := []*shopper{young, touched, mine, paid, merged}

	runPurge(t, s, 1)
	want := []purgeCount{
		{CreatedHour: old, Currency: "EUR", Carts: 2, CartsWithItems: 1, ItemsSubtotal: 2*1200 + 2000},
		{CreatedHour: old, Currency: "USD", Carts: 1},
		{CreatedHour: old.Add(time.Hour), Currency: "EUR", Carts: 1, CartsWithItems: 1, ItemsSubtotal: 1200},
	}
	check := func() {
		t.Helper()
		if d := cmp.Diff(want, purgeCounts(t, s)); d != "" {
			t.Errorf("cart_purge_counts (-want +got):\n%s", d)
		}
		for _, p := range gone {
			if n := cartRows(t, s, p.cart.ID); n != [3]int64{} {
				t.Errorf("abandoned cart %s: rows (carts, items, codes) = %v, want none", p.cart.ID, n)
			}
		}
		for _, p := range kept {
			if n := cartRows(t, s, p.cart.ID); n[0] != 1 {
				t.Errorf("cart %s was deleted", p.cart.ID)
			}
		}
	}
	check()
	runPurge(t, s, 2)
	check()
}

// runPurge runs the server's job runner until the cleanup job has completed
// n times (the first run is the periodic one at start, later ones are
// enqueued here).
func runPurge(t *testing.T, s *shop, n int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	runner := s.h.Server.Jobs
	if n > 1 {
		if err := runner.Enqueue(ctx, checkout.PurgeGuestCartsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = runner.Stop(stop)
		})
	}
	for {
		if err := runner.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		var done int64
		if err := s.h.DB.Conn(ctx).Raw(`SELECT count(*) FROM river_job WHERE kind = ? AND state = 'completed'`,
			checkout.PurgeGuestCartsArgs{}.Kind()).Scan(&done).Error; err != nil {
			t.Fatal(err)
		}
		if done >= n {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the cleanup job completed %d times, want %d", done, n)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func purgeCounts(t *testing.T, s *shop) []purgeCount {
	t.Helper()
	var out []purgeCount
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT created_hour, currency, carts, carts_with_items, items_subtotal
FROM cart_purge_counts ORDER BY created_hour, currency`).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	for i := range out {
		out[i].CreatedHour = out[i].CreatedHour.UTC()
	}
	return out
}

// cartRows counts a cart's rows in carts, cart_items and cart_discounts.
func cartRows(t *testing.T, s *shop, cartID string) [3]int64 {
	t.Helper()
	var n [3]int64
	for i, q := range []string{`SELECT count(*) FROM carts WHERE id = ?`, `SELECT count(*) FROM cart_items WHERE cart_id = ?`,
		`SELECT count(*) FROM cart_discounts WHERE cart_id = ?`} {
		if err := s.h.DB.Conn(t.Context()).Raw(q, cartID).Scan(&n[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	return n
}
