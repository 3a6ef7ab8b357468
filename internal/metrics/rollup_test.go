package metrics_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/metrics"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/jobs"
)

// randomShop fills a fresh database with a random shop over two weeks of
// March 2026: customers, orders (some canceled, two currencies, some of
// them guests') with lines of three products (one of them deleted since),
// sessions of events, carts, deleted-cart counts, refunds and a stock
// ledger of variants with and without a cost.
func randomShop(t *testing.T, f *kpiFixture, rng *rand.Rand) (orders []string, sessions []string) {
	t.Helper()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func() time.Time { return start.Add(time.Duration(rng.Int64N(int64(14 * 24 * time.Hour)))) }
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	customers := []string{""}
	for i := range 6 {
		id := fmt.Sprintf("c%d", i)
		f.customer(id, pick([]string{"", "google", "mail"}))
		customers = append(customers, id)
	}
	f.exec(`INSERT INTO products (id, handle, title, created_at, updated_at) VALUES ('p1', 'p1', 'Soap', ?, ?),
		('p2', 'p2', 'Cream', ?, ?)`, kpiEpoch, kpiEpoch, kpiEpoch, kpiEpoch)
	f.exec(`INSERT INTO variants (id, product_id, sku, title, cost_amount, cost_currency, created_at, updated_at) VALUES
		('v1', 'p1', 's1', 'v1', 120, 'EUR', ?, ?), ('v2', 'p2', 's2', 'v2', 300, 'EUR', ?, ?), ('v3', 'p2', 's3', 'v3', NULL, NULL, ?, ?)`,
		kpiEpoch, kpiEpoch, kpiEpoch, kpiEpoch, kpiEpoch, kpiEpoch)
	f.exec(`INSERT INTO warehouses (id, code, name, country_code, created_at, updated_at) VALUES ('w1', 'W1', 'Main', 'FR', ?, ?)`,
		kpiEpoch, kpiEpoch)
	f.exec(`INSERT INTO stock_levels (variant_id, warehouse_id, on_hand, reserved, reorder_point, updated_at) VALUES
		('v1', 'w1', 40, 0, 0, ?), ('v2', 'w1', 25, 0, 0, ?), ('v3', 'w1', 9, 0, 0, ?)`, kpiEpoch, kpiEpoch, kpiEpoch)
	variants := []string{"v1", "v2", "v3"}
	for range 30 {
		kind, delta := "sale", -1-rng.Int64N(4)
		if rng.IntN(4) == 0 {
			kind, delta = pick([]string{"receipt", "adjustment", "return_restock"}), 1+rng.Int64N(10)
		}
		f.move(pick(variants), kind, delta, at())
	}
	for i := range 30 {
		sessions = append(sessions, fmt.Sprintf("s%d", i))
	}
	var carts []string
	for i := range 25 {
		id := fmt.Sprintf("k%d", i)
		f.cart(id, pick(customers), rng.IntN(4) > 0, at())
		carts = append(carts, id)
	}
	for i := range 40 {
		id := fmt.Sprintf("o%d", i)
		status := pick([]string{"confirmed", "confirmed", "completed", "canceled"})
		session := ""
		if rng.IntN(3) > 0 {
			session = pick(sessions)
		}
		cart := ""
		if i < len(carts) && rng.IntN(2) == 0 {
			cart = carts[i]
		}
		f.order(id, pick(customers), pick([]string{"EUR", "USD"}), status, rng.Int64N(10000), session, cart, at())
		orders = append(orders, id)
		// "p-gone" was deleted: its lines keep their titles.
		for range rng.IntN(3) {
			qty := 1 + rng.Int64N(3)
			p := pick([]string{"p1", "p2", "p2", "p-gone"})
			f.exec(`INSERT INTO order_items (id, order_id, position, variant_id, product_id, sku, title, quantity, unit_price,
				subtotal, discount_total, tax_total, total, canceled_quantity) VALUES (?, ?, 0, 'v1', ?, 'sku', ?, ?, 0, 0, 0, 0, ?, ?)`,
				f.next("oi"), id, p, pick([]string{"Old " + p, "Older " + p}), qty, qty*rng.Int64N(900), rng.Int64N(qty+1))
		}
	}
	for _, s := range sessions {
		anon, cust := "a-"+s, ""
		if rng.IntN(3) == 0 {
			cust = pick(customers)
		}
		for range 1 + rng.IntN(6) {
			typ := pick([]string{"session_start", "page_view", "page_view", "product_view", "add_to_cart", "checkout_start", "search"})
			f.event(typ, anon, s, cust, pick([]string{"", "google"}), at())
		}
	}
	for i := range 5 {
		f.exec(`INSERT INTO cart_purge_counts (created_hour, currency, carts, carts_with_items, items_subtotal) VALUES (?, ?, 3, ?, 0)`,
			at().Truncate(time.Hour), fmt.Sprintf("C%d", i), rng.IntN(4))
	}
	for i := range 6 {
		f.exec(`INSERT INTO order_refunds (id, order_id, payment_id, currency, amount, idempotency_key, created_at)
			VALUES (?, ?, 'pay', ?, ?, ?, ?)`, fmt.Sprintf("r%d", i), pick(orders), pick([]string{"EUR", "USD"}),
			1+rng.Int64N(500), fmt.Sprintf("k%d", i), at())
	}
	return orders, sessions
}

// TestRollupsAgreeWithDirect: on random shops, the report read from the
// rollups equals the one computed from the base tables, for random periods,
// intervals and time zones, before and after changes the incremental run
// must pick up (a cancellation, a late order converting an old session,
// late events, an anonymous shopper logging in, a refund, a new cart).
func TestRollupsAgreeWithDirect(t *testing.T) {
	t.Parallel()
	zones := []string{"UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"}
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 2026))
			d := dbtest.New(t)
			f := &kpiFixture{t: t, d: d}
			orders, sessions := randomShop(t, f, rng)
			direct := metrics.NewKPIs(d, nil)
			rolled := metrics.NewKPIs(d, nil, metrics.WithRollups())
			compare := func(round string) {
				t.Helper()
				for i := range 6 {
					zone := zones[rng.IntN(len(zones))]
					loc := mustZone(zone)
					from := time.Date(2026, 2, 27+rng.IntN(10), rng.IntN(24), 0, 0, 0, loc)
					to := from.Add(time.Duration(1+rng.IntN(20*24)) * time.Hour)
					q := metrics.KPIQuery{From: from, To: to, TimeZone: zone,
						Interval: []string{"day", "week", "month"}[rng.IntN(3)]}
					if i == 5 {
						q.Currency = "USD"
					}
					want, err := direct.Report(t.Context(), q)
					if err != nil {
						t.Fatal(err)
					}
					got, err := rolled.Report(t.Context(), q)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("%s, query %+v: rollups differ (-direct +rollups):\n%s", round, q, diff)
					}
				}
			}
			// Until the rollups are built (by the job), a report computes
			// without them rather than wait for a full rebuild.
			compare("before any build")
			var built int64
			if err := d.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM kpi_rollup_state`).Scan(&built).Error; err != nil || built != 0 {
				t.Fatalf("a report built the rollups (%d state rows, %v)", built, err)
			}
			if err := rolled.CatchUp(t.Context()); err != nil {
				t.Fatal(err)
			}
			compare("first build")

			now := time.Now().UTC()
			old := time.Date(2026, 3, 5, 10, 30, 0, 0, time.UTC)
			f.exec(`UPDATE orders SET status = 'canceled', updated_at = ? WHERE id = ?`, now, orders[0])
			f.exec(`UPDATE orders SET status = 'confirmed', updated_at = ? WHERE id = ? AND status = 'canceled'`, now, orders[1])
			f.order("late", "c1", "EUR", "confirmed", 4321, sessions[2], "", old)
			f.exec(`UPDATE orders SET updated_at = ? WHERE id = 'late'`, now)
			f.exec(`INSERT INTO metric_events (type, anonymous_id, session_id, occurred_at, received_at) VALUES ('page_view', ?, ?, ?, ?)`,
				"a-"+sessions[3], sessions[3], time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC), now)
			f.exec(`INSERT INTO order_refunds (id, order_id, payment_id, currency, amount, idempotency_key, created_at)
				VALUES ('r-late', ?, 'pay', 'EUR', 77, 'late', ?)`, orders[3], now.Add(-time.Hour))
			// A shopper anonymous so far logs in: their earlier events
			// count as the customer's from now on.
			for i, at := range []time.Time{old.Add(-30 * time.Hour), old.Add(-29 * time.Hour), old.Add(20 * time.Hour)} {
				var cust any
				if i == 2 {
					cust = "c4"
				}
				f.exec(`INSERT INTO metric_events (type, anonymous_id, session_id, customer_id, occurred_at, received_at)
					VALUES ('page_view', 'a-login', ?, ?, ?, ?)`, fmt.Sprintf("s-login%d", i), cust, at, now)
			}
			// A shopper seen before only anonymously signs in on another
			// device session: their old sessions are the customer's too.
			f.exec(`INSERT INTO metric_events (type, anonymous_id, session_id, customer_id, occurred_at, received_at)
				VALUES ('page_view', ?, 's-link', 'c5', ?, ?)`, "a-"+sessions[4], old.Add(3*24*time.Hour), now)
			f.cart("k-late", "c2", true, old)
			f.exec(`UPDATE carts SET updated_at = ? WHERE id = 'k-late'`, now)
			// Stock moves now (received late in the ledger, kept by the
			// rollups by their time), a new cost and a renamed product are
			// read as they are when the report runs.
			f.exec(`INSERT INTO stock_movements (id, variant_id, warehouse_id, delta, kind, created_at)
				VALUES ('mv-late', 'v2', 'w1', -2, 'sale', ?)`, now.Add(-time.Minute))
			f.exec(`UPDATE variants SET cost_amount = 150 WHERE id = 'v1'`)
			f.exec(`UPDATE products SET title = 'Body soap' WHERE id = 'p1'`)
			// A returning customer's late order moves their previous order
			// for retention; a canceled line of an old order.
			f.order("late2", "c3", "USD", "canceled", 99, "", "", old.Add(-50*time.Hour))
			f.exec(`UPDATE orders SET updated_at = ? WHERE id = 'late2'`, now)
			f.exec(`UPDATE order_items SET canceled_quantity = quantity WHERE order_id = ?`, orders[5])
			f.exec(`UPDATE orders SET updated_at = ? WHERE id = ?`, now, orders[5])
			compare("after changes")

			if err := rolled.Rebuild(t.Context()); err != nil {
				t.Fatal(err)
			}
			compare("after a full rebuild")
		})
	}
}

// TestRollupJobs: the catch-up job, run by the job runner, builds the
// rollups of the hand-made data set.
func TestRollupJobs(t *testing.T) {
	t.Parallel()
	d := seedKPIs(t)
	r := jobs.New(d, jobs.Options{PollInterval: 20 * time.Millisecond})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	metrics.RegisterRollupJobs(r, metrics.NewKPIs(d, nil))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := r.Enqueue(ctx, metrics.RollupCatchUpArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	var got struct{ Sessions, Carts, NewCustomers int64 }
	if err := d.Conn(ctx).Raw(`SELECT SUM(sessions) AS sessions, SUM(carts) AS carts, SUM(new_customers) AS new_customers
		FROM kpi_hours`).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	// Every session of seedKPIs (s1..s9), every cart with items (k1, k2,
	// k3, k5, k6, k7 and 8 deleted ones), every customer with an order (A,
	// B, C, D).
	if got.Sessions != 9 || got.Carts != 14 || got.NewCustomers != 4 {
		t.Errorf("rollups = %+v, want 9 sessions, 14 carts, 4 new customers", got)
	}
}
