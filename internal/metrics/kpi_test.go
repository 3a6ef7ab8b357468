package metrics_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/metrics"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
	"storekeep/internal/support"
)

// kpiFixture writes rows straight into the tables the KPIs read.
type kpiFixture struct {
	t *testing.T
	d *db.DB
	n int
}

func (f *kpiFixture) exec(q string, args ...any) {
	f.t.Helper()
	if err := f.d.Conn(context.Background()).Exec(q, args...).Error; err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *kpiFixture) next(prefix string) string {
	f.n++
	return fmt.Sprintf("%s%d", prefix, f.n)
}

var kpiEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (f *kpiFixture) customer(id, channel string) {
	var ch any
	if channel != "" {
		ch = channel
	}
	f.exec(`INSERT INTO customers (id, email, password_hash, first_name, last_name, acquisition_channel, created_at, updated_at)
		VALUES (?, ?, 'x', 'A', 'B', ?, ?, ?)`, id, strings.ToLower(id)+"@example.com", ch, kpiEpoch, kpiEpoch)
}

// order inserts an order; customer "" is a guest.
func (f *kpiFixture) order(id, customer, currency, status string, total int64, session, cart string, at time.Time) {
	var c any
	if customer != "" {
		c = customer
	}
	if cart == "" {
		cart = "cart-" + id
	}
	f.exec(`INSERT INTO orders (id, number, cart_id, customer_id, email, currency, status, payment_status, fulfillment_status,
		shipping_address, billing_address, subtotal, discount_total, shipping_total, shipping_discount, shipping_tax,
		tax_total, total, tax_inclusive, session_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'x@example.com', ?, ?, 'captured', 'unfulfilled', '{}', '{}', ?, 0, 0, 0, 0, 0, ?, ?, ?, ?, ?)`,
		id, "N-"+id, cart, c, currency, status, total, total, false, session, at, at)
}

func (f *kpiFixture) item(order, variant, product string, qty, canceled, total int64) {
	f.exec(`INSERT INTO order_items (id, order_id, position, variant_id, product_id, sku, title, quantity, unit_price,
		subtotal, discount_total, tax_total, total, canceled_quantity)
		VALUES (?, ?, 0, ?, ?, 'sku', 'item', ?, 0, ?, 0, 0, ?, ?)`, f.next("oi"), order, variant, product, qty, total, total, canceled)
}

// event inserts a storefront event; customer may be "".
func (f *kpiFixture) event(typ, anon, session, customer, utm string, at time.Time) {
	var c, u any
	if customer != "" {
		c = customer
	}
	if utm != "" {
		u = utm
	}
	f.exec(`INSERT INTO metric_events (type, anonymous_id, session_id, customer_id, utm_source, occurred_at, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, typ, anon, session, c, u, at, at)
}

func (f *kpiFixture) cart(id, customer string, items bool, at time.Time) {
	var c any
	if customer != "" {
		c = customer
	}
	f.exec(`INSERT INTO carts (id, customer_id, currency, created_at, updated_at) VALUES (?, ?, 'EUR', ?, ?)`, id, c, at, at)
	if items {
		f.exec(`INSERT INTO cart_items (id, cart_id, variant_id, quantity, unit_price, created_at, updated_at)
			VALUES (?, ?, 'v1', 1, 100, ?, ?)`, f.next("ci"), id, at, at)
	}
}

func (f *kpiFixture) spend(channel, currency string, amount int64, start, end string) {
	day := func(s string) time.Time {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			f.t.Fatal(err)
		}
		return t
	}
	f.exec(`INSERT INTO marketing_spend (id, channel, period_start, period_end, amount, currency, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.next("sp"), channel, day(start), day(end), amount, currency, kpiEpoch, kpiEpoch)
}

func (f *kpiFixture) move(variant, kind string, delta int64, at time.Time) {
	f.exec(`INSERT INTO stock_movements (id, variant_id, warehouse_id, delta, kind, created_at) VALUES (?, ?, 'w1', ?, ?, ?)`,
		f.next("mv"), variant, delta, kind, at)
}

// fakeSupport answers every period with its length in hours as the CSAT,
// so the test sees which periods the report asked for.
type fakeSupport struct{}

func (fakeSupport) Metrics(_ context.Context, from, to time.Time) (support.Metrics, error) {
	h := to.Sub(from).Hours()
	return support.Metrics{From: from, To: to, Summary: support.Stats{CSAT: &h}}, nil
}

func utc(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, time.UTC) }

func f64(v float64) *float64 { return &v }

func eur(v int64) money.Amount { return money.Amount{Minor: v, Currency: "EUR"} }
func usd(v int64) money.Amount { return money.Amount{Minor: v, Currency: "USD"} }

// seedKPIs builds the hand-made data set TestKPIsByHand works out. Times
// are UTC; the report runs in Europe/Paris (UTC+1 in early March), from
// 2 March 00:00 Paris (1 March 23:00 UTC) to 4 March 00:00 Paris
// (3 March 23:00 UTC): day 1 is [1 Mar 23:00Z, 2 Mar 23:00Z), day 2
// [2 Mar 23:00Z, 3 Mar 23:00Z).
func seedKPIs(t *testing.T) *db.DB {
	d := dbtest.New(t)
	f := &kpiFixture{t: t, d: d}
	f.customer("A", "google")
	f.customer("B", "newsletter")
	f.customer("C", "google")
	f.customer("D", "")
	f.exec(`INSERT INTO customer_groups (id, name, created_at, updated_at) VALUES ('g1', 'VIP', ?, ?)`, kpiEpoch, kpiEpoch)
	for _, c := range []string{"B", "D"} {
		f.exec(`INSERT INTO customer_group_members (group_id, customer_id, created_at) VALUES ('g1', ?, ?)`, c, kpiEpoch)
	}
	f.exec(`INSERT INTO products (id, handle, title, created_at, updated_at) VALUES ('p1', 'p1', 'Soap', ?, ?), ('p2', 'p2', 'Cream', ?, ?)`,
		kpiEpoch, kpiEpoch, kpiEpoch, kpiEpoch)
	f.exec(`INSERT INTO variants (id, product_id, sku, title, cost_amount, cost_currency, created_at, updated_at) VALUES
		('v1', 'p1', 's1', 'v1', 400, 'EUR', ?, ?), ('v2', 'p2', 's2', 'v2', 1000, 'EUR', ?, ?), ('v3', 'p1', 's3', 'v3', NULL, NULL, ?, ?)`,
		kpiEpoch, kpiEpoch, kpiEpoch, kpiEpoch, kpiEpoch, kpiEpoch)
	f.exec(`INSERT INTO warehouses (id, code, name, country_code, created_at, updated_at) VALUES ('w1', 'W1', 'Main', 'FR', ?, ?)`, kpiEpoch, kpiEpoch)
	f.exec(`INSERT INTO stock_levels (variant_id, warehouse_id, on_hand, reserved, reorder_point, updated_at) VALUES
		('v1', 'w1', 10, 0, 2, ?), ('v2', 'w1', 5, 1, 5, ?), ('v3', 'w1', 100, 0, 0, ?)`, kpiEpoch, kpiEpoch, kpiEpoch)

	// Orders. o0, o1: before the period; o6: exactly at to (outside).
	f.order("o0", "A", "EUR", "completed", 5000, "", "", time.Date(2026, 2, 20, 10, 0, 0, 0, time.UTC))
	f.order("o1", "B", "EUR", "confirmed", 3000, "", "", utc(1, 22, 30))     // 23:30 Paris on 1 March: previous period
	f.order("o2", "A", "EUR", "confirmed", 2000, "s1", "k1", utc(1, 23, 30)) // 00:30 Paris on 2 March: day 1
	f.order("o3", "C", "USD", "completed", 1500, "s2", "k2", utc(2, 12, 0))
	f.order("o4", "C", "EUR", "canceled", 9999, "s9", "k5", utc(3, 10, 0)) // canceled, still an order of s9
	f.order("o5", "", "EUR", "confirmed", 1001, "s4", "k6", utc(3, 22, 59))
	f.order("o6", "D", "EUR", "confirmed", 4000, "", "", utc(3, 23, 0))
	f.order("o7", "B", "EUR", "confirmed", 2500, "", "", utc(3, 8, 0))
	f.item("o2", "v1", "p1", 2, 0, 2000)
	f.item("o3", "v2", "p2", 1, 0, 1500)
	f.item("o4", "v1", "p1", 5, 0, 9999)
	f.item("o5", "v3", "p1", 1, 0, 1001)
	f.item("o7", "v2", "p2", 4, 1, 2500)
	f.exec(`INSERT INTO order_refunds (id, order_id, payment_id, currency, amount, idempotency_key, created_at) VALUES
		('r1', 'o3', 'pay', 'USD', 500, 'k', ?), ('r2', 'o0', 'pay', 'EUR', 700, 'k', ?)`, utc(3, 9, 0), utc(1, 12, 0))

	// Events.
	f.event("page_view", "a6", "s6", "", "", utc(1, 22, 59)) // before from
	f.event("session_start", "a1", "s1", "A", "", utc(1, 23, 10))
	f.event("page_view", "a1", "s1", "A", "", utc(1, 23, 11))
	f.event("product_view", "a1", "s1", "A", "", utc(1, 23, 12))
	f.event("add_to_cart", "a1", "s1", "A", "", utc(1, 23, 13))
	f.event("checkout_start", "a1", "s1", "A", "", utc(1, 23, 14))
	f.event("page_view", "a2", "s2", "", "", utc(2, 11, 0))
	f.event("checkout_start", "a2", "s2", "C", "", utc(2, 11, 50)) // a2 is C
	f.event("page_view", "a3", "s3", "", "google", utc(2, 15, 0))  // bounce; a3 came from google
	f.event("session_start", "a4", "s4", "", "", utc(2, 22, 50))
	f.event("page_view", "a4", "s4", "", "", utc(2, 22, 55))
	f.event("page_view", "a4", "s4", "", "", utc(2, 23, 5)) // day 2, same session (of day 1)
	f.event("session_start", "a3", "s9", "", "", utc(3, 9, 0))
	f.event("product_view", "a3", "s9", "", "", utc(3, 9, 1))
	f.event("page_view", "a7", "s8", "A", "", utc(3, 12, 0)) // A on another device
	f.event("page_view", "a7", "s8", "A", "", utc(3, 12, 1))
	f.event("search", "a7", "s8", "A", "", utc(3, 12, 2))
	f.event("page_view", "a5", "s5", "", "", time.Date(2026, 3, 3, 22, 59, 59, 0, time.UTC)) // bounce
	f.event("page_view", "a8", "s7", "", "", utc(3, 23, 0))                                  // at to

	// Carts: k4 has no item; k7 is before from.
	f.cart("k1", "A", true, utc(1, 23, 5))
	f.cart("k2", "C", true, utc(2, 11, 30))
	f.cart("k3", "", true, utc(2, 14, 0))
	f.cart("k4", "", false, utc(3, 10, 0))
	f.cart("k5", "C", true, utc(3, 9, 0))
	f.cart("k6", "", true, utc(3, 22, 0))
	f.cart("k7", "", true, utc(1, 22, 0))
	f.exec(`INSERT INTO cart_purge_counts (created_hour, currency, carts, carts_with_items, items_subtotal) VALUES
		(?, 'EUR', 5, 4, 900), (?, 'EUR', 4, 4, 800)`, utc(2, 10, 0), utc(1, 22, 0))

	// Spend (dates in the report's zone).
	f.spend("google", "EUR", 3000, "2026-03-01", "2026-03-03")
	f.spend("newsletter", "EUR", 700, "2026-02-25", "2026-03-02")
	f.spend("google", "USD", 1000, "2026-03-03", "2026-03-12")

	// The stock ledger.
	f.move("v1", "sale", -2, utc(2, 12, 0))
	f.move("v1", "receipt", 4, utc(3, 8, 0))
	f.move("v2", "sale", -1, utc(3, 10, 0))
	f.move("v3", "sale", -50, utc(2, 12, 0)) // no cost: not in the cost basis
	f.move("v2", "sale", -3, utc(3, 23, 30)) // after to
	return d
}

var (
	paris   = mustZone("Europe/Paris")
	kpiFrom = time.Date(2026, 3, 2, 0, 0, 0, 0, paris)
	kpiTo   = time.Date(2026, 3, 4, 0, 0, 0, 0, paris)
)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// TestKPIsByHand checks every figure of the hand-made data set; each
// expected value is worked out in the comment next to it.
func TestKPIsByHand(t *testing.T) {
	t.Parallel()
	d := seedKPIs(t)
	k := metrics.NewKPIs(d, fakeSupport{})
	rep, err := k.Report(t.Context(), metrics.KPIQuery{From: kpiFrom, To: kpiTo, Interval: "day", TimeZone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	day1 := metrics.Figures{
		// s1, s2, s3, s4 (s4's first event is at 22:50Z); s6 is before from.
		Sessions: 4,
		// s1 (o2), s2 (o3), s4 (o5) have orders.
		ConversionRate: f64(3.0 / 4),
		// s3: one page_view and nothing else. s4 has two page views.
		BounceRate: f64(1.0 / 4),
		// A (a1), C (a2 is linked to C by its checkout_start), a3, a4.
		UniqueUsers: 4,
		// o2 (EUR 2000), o3 (USD 1500); o1 is 23:30 Paris on 1 March.
		Orders: 2, CanceledOrders: 0,
		Revenue: []money.Amount{eur(2000), usd(1500)}, AverageOrderValue: []money.Amount{eur(2000), usd(1500)},
		Refunds: []money.Amount{},
		// C's first order is o3; A's and B's were earlier.
		NewCustomers: 1,
		// google EUR 3000 over 3 days: 1000 for 2 March; newsletter EUR 700
		// over 6 days: 116.67; together 1116.67.
		MarketingSpend: []money.Amount{eur(1117)}, CustomerAcquisitionCost: []money.Amount{eur(1117)},
		// Previous day [28 Feb 23:00Z, 1 Mar 23:00Z): B (o1); B did not order on day 1.
		CustomerRetentionRate: f64(0),
		// At 2 Mar 23:00Z: EUR A 5000+2000, B 3000 -> 10000/2; USD C 1500.
		CustomerLifetimeValue: []money.Amount{eur(5000), usd(1500)},
		// k1, k2, k3 and 4 purged carts with items (10:00Z); k1 and k2 were ordered.
		Carts: 7, CartAbandonmentRate: f64(1 - 2.0/7),
		// Cost basis (v1 400, v2 1000; v3 has none). Now 10*400 + 5*1000 = 9000.
		// At from: undo v1 -2, +4, v2 -1, -3 -> 9000 - (-800 + 1600 - 1000 - 3000) = 12200.
		// At day 2's start: 9000 - (1600 - 1000 - 3000) = 11400. COGS: 2*400.
		InventoryTurnover: f64(800 / ((12200.0 + 11400.0) / 2)), InventoryTurnoverBasis: "cost",
		CSAT: f64(24),
	}
	day2 := metrics.Figures{
		// s5, s8, s9 (s4 belongs to day 1); s7 is at to.
		// s9 has o4: canceled, but an order (the definition counts any order).
		Sessions: 3, ConversionRate: f64(1.0 / 3),
		// s5 only: s8 has two page views, s9 a product view.
		BounceRate: f64(1.0 / 3),
		// a4 (its 23:05Z page view), a5, A (a7), a3.
		UniqueUsers: 4,
		// o7 (EUR 2500), o5 (EUR 1001 at 23:59 Paris); o4 canceled; o6 at to.
		Orders: 2, CanceledOrders: 1,
		Revenue: []money.Amount{eur(3501)}, AverageOrderValue: []money.Amount{eur(1751)}, // 1750.5 rounds up
		Refunds:      []money.Amount{usd(500)},
		NewCustomers: 0,
		// google EUR 1000 for 3 March; google USD 1000 over 10 days: 100.
		MarketingSpend: []money.Amount{eur(1000), usd(100)}, CustomerAcquisitionCost: nil,
		// Day 1's customers A and C; C ordered (o4, canceled, is still an order).
		CustomerRetentionRate: f64(1.0 / 2),
		// At to: EUR A 7000, B 5500, C 0 (only o4, canceled) -> 12500/3 = 4166.67; USD C 1500.
		CustomerLifetimeValue: []money.Amount{eur(4167), usd(1500)},
		// k5 (ordered, o4), k6 (ordered, o5); k4 has no item.
		Carts: 2, CartAbandonmentRate: f64(0),
		// At to: 9000 - (-3000) = 12000. COGS: v2 1*1000.
		InventoryTurnover: f64(1000 / ((11400.0 + 12000.0) / 2)), InventoryTurnoverBasis: "cost",
		CSAT: f64(24),
	}
	summary := metrics.Figures{
		Sessions: 7, ConversionRate: f64(4.0 / 7), BounceRate: f64(2.0 / 7),
		// A, C, a3, a4, a5.
		UniqueUsers: 5,
		Orders:      4, CanceledOrders: 1,
		// EUR 2000 + 1001 + 2500 over 3 orders = 1833.67.
		Revenue: []money.Amount{eur(5501), usd(1500)}, AverageOrderValue: []money.Amount{eur(1834), usd(1500)},
		Refunds: []money.Amount{usd(500)}, NewCustomers: 1,
		// EUR 2000 + 116.67 = 2116.67; USD 100. One new customer.
		MarketingSpend: []money.Amount{eur(2117), usd(100)}, CustomerAcquisitionCost: []money.Amount{eur(2117), usd(100)},
		// Previous two days [27 Feb 23:00Z, 1 Mar 23:00Z): B (o1), who ordered again (o7).
		CustomerRetentionRate: f64(1),
		CustomerLifetimeValue: []money.Amount{eur(4167), usd(1500)},
		// 5 carts + 4 purged on day 1 (the 22:00Z purge hour is before from); 4 ordered.
		Carts: 9, CartAbandonmentRate: f64(1 - 4.0/9),
		// COGS 800 + 1000 over (12200 + 12000) / 2.
		InventoryTurnover: f64(1800 / ((12200.0 + 12000.0) / 2)), InventoryTurnoverBasis: "cost",
		CSAT: f64(48),
	}
	want := metrics.KPIReport{Interval: "day", TimeZone: "Europe/Paris",
		Summary: metrics.KPISummary{From: utc(1, 23, 0), To: utc(3, 23, 0), Figures: summary,
			// p2: 1 + (4 - 1 canceled) units; p1: 2 + 1 (o4 is canceled).
			TopProducts: []metrics.TopProduct{
				{ProductID: "p2", Title: "Cream", Units: 4, Revenue: []money.Amount{eur(2500), usd(1500)}},
				{ProductID: "p1", Title: "Soap", Units: 3, Revenue: []money.Amount{eur(3001)}},
			},
			// v2: 5 - 1 reserved = 4 <= 5.
			LowStockCount: 1},
		Series: []metrics.KPIBucket{
			{Start: utc(1, 23, 0), End: utc(2, 23, 0), Figures: day1},
			{Start: utc(2, 23, 0), End: utc(3, 23, 0), Figures: day2},
		},
	}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	// The same from the hourly rollups, once built.
	rk := metrics.NewKPIs(d, fakeSupport{}, metrics.WithRollups())
	if err := rk.CatchUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	rolled, err := rk.Report(t.Context(),
		metrics.KPIQuery{From: kpiFrom, To: kpiTo, Interval: "day", TimeZone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, rolled); diff != "" {
		t.Errorf("report from the rollups (-want +got):\n%s", diff)
	}
}

// TestKPIFilters: the same data per channel, customer group and currency.
func TestKPIFilters(t *testing.T) {
	t.Parallel()
	d := seedKPIs(t)
	k := metrics.NewKPIs(d, nil)
	run := func(q metrics.KPIQuery) metrics.Figures {
		t.Helper()
		q.From, q.To, q.Interval, q.TimeZone = kpiFrom, kpiTo, "month", "Europe/Paris"
		rep, err := k.Report(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Series) != 1 {
			t.Fatalf("series: %d buckets, want 1", len(rep.Series))
		}
		if diff := cmp.Diff(rep.Summary.Figures, rep.Series[0].Figures); diff != "" {
			t.Errorf("a one-bucket series differs from the summary:\n%s", diff)
		}
		return rep.Summary.Figures
	}
	type got struct {
		Sessions, Orders, NewCustomers, Carts int
		Conversion, Abandonment               *float64
		Revenue, Spend, CAC, CLV              []money.Amount
	}
	pick := func(f metrics.Figures) got {
		return got{f.Sessions, f.Orders, f.NewCustomers, f.Carts, f.ConversionRate, f.CartAbandonmentRate,
			f.Revenue, f.MarketingSpend, f.CustomerAcquisitionCost, f.CustomerLifetimeValue}
	}
	// google: customers A and C, anonymous a3 (first event from google).
	// Sessions s1, s2, s3, s8, s9; s1, s2 and s9 converted. Orders o2, o3 (o4
	// canceled). Carts k1, k2, k5, all ordered; purged guest carts are out.
	// Spend: google only. CLV: A 7000 and C 0 in EUR; C 1500 in USD.
	want := got{5, 2, 1, 3, f64(3.0 / 5), f64(0), []money.Amount{eur(2000), usd(1500)},
		[]money.Amount{eur(2000), usd(100)}, []money.Amount{eur(2000), usd(100)}, []money.Amount{eur(3500), usd(1500)}}
	if diff := cmp.Diff(want, pick(run(metrics.KPIQuery{Channel: "google"}))); diff != "" {
		t.Errorf("channel google (-want +got):\n%s", diff)
	}
	// Group g1: B and D. No events, no carts. Orders: o7 (o6 is at to).
	// No new customer; all spend. CLV: B 5500 (D's first order is at to).
	want = got{0, 1, 0, 0, nil, nil, []money.Amount{eur(2500)},
		[]money.Amount{eur(2117), usd(100)}, nil, []money.Amount{eur(5500)}}
	if diff := cmp.Diff(want, pick(run(metrics.KPIQuery{CustomerGroup: "g1"}))); diff != "" {
		t.Errorf("customer group (-want +got):\n%s", diff)
	}
	// USD: o3 only; USD spend; CLV of C in USD. Sessions and carts are
	// not money and stay whole.
	want = got{7, 1, 1, 9, f64(4.0 / 7), f64(1 - 4.0/9), []money.Amount{usd(1500)},
		[]money.Amount{usd(100)}, []money.Amount{usd(100)}, []money.Amount{usd(1500)}}
	if diff := cmp.Diff(want, pick(run(metrics.KPIQuery{Currency: "USD"}))); diff != "" {
		t.Errorf("currency USD (-want +got):\n%s", diff)
	}
	// Top products keep the filtered customers' orders only: google has
	// o2 (p1) and o3 (p2, USD), o4 is canceled; g1 has o7 (p2, 1 of 4
	// units canceled).
	for _, c := range []struct {
		q    metrics.KPIQuery
		want []metrics.TopProduct
	}{
		{metrics.KPIQuery{Channel: "google"}, []metrics.TopProduct{
			{ProductID: "p1", Title: "Soap", Units: 2, Revenue: []money.Amount{eur(2000)}},
			{ProductID: "p2", Title: "Cream", Units: 1, Revenue: []money.Amount{usd(1500)}}}},
		{metrics.KPIQuery{CustomerGroup: "g1"}, []metrics.TopProduct{
			{ProductID: "p2", Title: "Cream", Units: 3, Revenue: []money.Amount{eur(2500)}}}},
	} {
		c.q.From, c.q.To, c.q.Interval, c.q.TimeZone = kpiFrom, kpiTo, "month", "Europe/Paris"
		rep, err := k.Report(t.Context(), c.q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.want, rep.Summary.TopProducts); diff != "" {
			t.Errorf("top products of %+v (-want +got):\n%s", c.q, diff)
		}
	}
}

// TestKPIZeroDenominators: an empty shop answers nulls, not zeros or NaN.
func TestKPIZeroDenominators(t *testing.T) {
	t.Parallel()
	k := metrics.NewKPIs(dbtest.New(t), nil)
	rep, err := k.Report(t.Context(), metrics.KPIQuery{From: utc(1, 0, 0), To: utc(2, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Summary.Figures
	for name, v := range map[string]*float64{"conversion": f.ConversionRate, "bounce": f.BounceRate,
		"retention": f.CustomerRetentionRate, "abandonment": f.CartAbandonmentRate, "turnover": f.InventoryTurnover,
		"csat": f.CSAT} {
		if v != nil {
			t.Errorf("%s = %v, want null", name, *v)
		}
	}
	if f.CustomerAcquisitionCost != nil || len(f.AverageOrderValue) != 0 || len(f.CustomerLifetimeValue) != 0 {
		t.Errorf("money without denominators: %+v", f)
	}
	if f.InventoryTurnoverBasis != "units" || rep.Interval != "day" || rep.TimeZone != "UTC" || len(rep.Series) != 1 {
		t.Errorf("defaults: %+v", rep)
	}
}

// TestKPIQueryValidation: bad input names its field.
func TestKPIQueryValidation(t *testing.T) {
	t.Parallel()
	k := metrics.NewKPIs(dbtest.New(t), nil)
	from := utc(1, 0, 0)
	for name, q := range map[string]metrics.KPIQuery{
		"from":      {From: from, To: from},
		"to":        {From: from, To: from.AddDate(2, 0, 1)},
		"interval":  {From: from, To: from.AddDate(0, 0, 1), Interval: "year"},
		"currency":  {From: from, To: from.AddDate(0, 0, 1), Currency: "XXZ"},
		"time_zone": {From: from, To: from.AddDate(0, 0, 1), TimeZone: "Mars/Olympus"},
	} {
		_, err := k.Report(t.Context(), q)
		if err == nil || !containsField(err, name) {
			t.Errorf("%s: err = %v, want a validation error on %s", name, err, name)
		}
	}
	if _, err := k.Report(t.Context(), metrics.KPIQuery{From: from, To: from.AddDate(2, 0, 0), Interval: "month"}); err != nil {
		t.Errorf("two years exactly: %v", err)
	}
}

func containsField(err error, field string) bool {
	e, ok := errs.As(err)
	if !ok {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// TestFunnelByHand: the sessions of the hand-made data set at each step.
func TestFunnelByHand(t *testing.T) {
	t.Parallel()
	d := seedKPIs(t)
	f := &kpiFixture{t: t, d: d}
	f.event("product_view", "a5", "s5", "", "", utc(3, 12, 0))
	f.event("add_to_cart", "a7", "s8", "A", "", utc(3, 12, 3))
	k := metrics.NewKPIs(d, nil)
	got, err := k.Funnel(t.Context(), kpiFrom, kpiTo, "")
	if err != nil {
		t.Fatal(err)
	}
	// Sessions s1, s2, s3, s4, s5, s8, s9 (s6 and s7 are outside). An
	// order counts as every step: s1 (o2), s2 (o3), s4 (o5), s9 (o4,
	// canceled). Besides them s5 viewed a product and s8 added to cart;
	// s3 only viewed a page.
	step := func(name string, n, drop int, rate *float64) metrics.FunnelStep {
		return metrics.FunnelStep{Step: name, Sessions: n, Drop: drop, DropRate: rate}
	}
	want := metrics.Funnel{From: utc(1, 23, 0), To: utc(3, 23, 0), Steps: []metrics.FunnelStep{
		step("sessions", 7, 0, nil),
		step("product_views", 6, 1, f64(1.0/7)),  // all but s3
		step("add_to_cart", 5, 1, f64(1.0/6)),    // not s5
		step("checkout_start", 4, 1, f64(1.0/5)), // not s8
		step("orders", 4, 0, f64(0)),
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("funnel (-want +got):\n%s", diff)
	}
	if _, err := k.Funnel(t.Context(), kpiTo, kpiFrom, ""); !containsField(err, "from") {
		t.Errorf("from after to: %v", err)
	}
}
