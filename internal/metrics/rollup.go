package metrics

import (
	"context"
	"fmt"
	"slices"
	"time"

	"storekeep/internal/platform/db"
)

// Rollups (docs/kpis.md, "Rollups"): per UTC hour, what the report adds
// up (kpi_order_hours, kpi_hours; migration 00021). They are derived data:
// rebuildHours recomputes a range of hours from the base tables, CatchUp
// rebuilds the hours whose rows changed since its last run, Rebuild all of
// them (nightly, to correct any drift). Every step is idempotent.

// rollupMargin is how far before its last start CatchUp looks again, for
// rows written by transactions that committed after that start.
const rollupMargin = 10 * time.Minute

// rollupChunk is how many hours one rebuild transaction covers.
const rollupChunk = 7 * 24

type orderHourRow struct {
	Hour                time.Time
	Currency            string
	Orders              int64
	Canceled            int64
	Revenue             int64
	CustomerRevenue     int64
	CustomerFirstOrders int64
	Refunds             int64
}

type hourRow struct {
	Hour         time.Time
	NewCustomers int64
	Carts        int64
	CartsOrdered int64
	Sessions     int64
	Converted    int64
	Bounced      int64
}

func hourOf(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }

// rebuildHours recomputes the rollups of the UTC hours [a, b) (a and b on
// hour boundaries) in one transaction.
func (k *KPIs) rebuildHours(ctx context.Context, a, b time.Time) error {
	a, b = a.UTC(), b.UTC()
	orderHours := map[[2]string]*orderHourRow{}
	oh := func(t time.Time, cur string) *orderHourRow {
		h := hourOf(t)
		key := [2]string{h.Format(time.RFC3339), cur}
		r := orderHours[key]
		if r == nil {
			r = &orderHourRow{Hour: h, Currency: cur}
			orderHours[key] = r
		}
		return r
	}
	hours := map[time.Time]*hourRow{}
	hr := func(t time.Time) *hourRow {
		h := hourOf(t)
		r := hours[h]
		if r == nil {
			r = &hourRow{Hour: h}
			hours[h] = r
		}
		return r
	}
	conn := k.db.Conn(ctx)
	var orders []struct {
		CustomerID           *string
		Currency, Status     string
		Total                int64
		CreatedAt            time.Time
		FirstAny, FirstInCur int
	}
	// An order is a customer's first (in any currency, or in its currency)
	// when no earlier one exists; ties go by id.
	if err := conn.Raw(`SELECT o.customer_id, o.currency, o.status, o.total, o.created_at,
		CASE WHEN o.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders p WHERE p.customer_id = o.customer_id
			AND (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.id < o.id))) THEN 1 ELSE 0 END AS first_any,
		CASE WHEN o.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders p WHERE p.customer_id = o.customer_id
			AND p.currency = o.currency
			AND (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.id < o.id))) THEN 1 ELSE 0 END AS first_in_cur
		FROM orders o WHERE o.created_at >= ? AND o.created_at < ?`, a, b).Scan(&orders).Error; err != nil {
		return fmt.Errorf("rollup orders: %w", err)
	}
	for _, o := range orders {
		r := oh(o.CreatedAt, o.Currency)
		if o.Status == "canceled" {
			r.Canceled++
		} else {
			r.Orders++
			r.Revenue += o.Total
			if o.CustomerID != nil {
				r.CustomerRevenue += o.Total
			}
		}
		r.CustomerFirstOrders += int64(o.FirstInCur)
		if o.FirstAny == 1 {
			hr(o.CreatedAt).NewCustomers++
		}
	}
	var refunds []struct {
		Currency  string
		Amount    int64
		CreatedAt time.Time
	}
	if err := conn.Raw(`SELECT currency, amount, created_at FROM order_refunds WHERE created_at >= ? AND created_at < ?`,
		a, b).Scan(&refunds).Error; err != nil {
		return fmt.Errorf("rollup refunds: %w", err)
	}
	for _, r := range refunds {
		oh(r.CreatedAt, r.Currency).Refunds += r.Amount
	}
	var carts []struct {
		CreatedAt time.Time
		Ordered   int
	}
	if err := conn.Raw(`SELECT c.created_at,
		CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.cart_id = c.id) THEN 1 ELSE 0 END AS ordered
		FROM carts c WHERE c.created_at >= ? AND c.created_at < ?
		AND EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_id = c.id)`, a, b).Scan(&carts).Error; err != nil {
		return fmt.Errorf("rollup carts: %w", err)
	}
	for _, c := range carts {
		r := hr(c.CreatedAt)
		r.Carts++
		r.CartsOrdered += int64(c.Ordered)
	}
	var purged []struct {
		CreatedHour    time.Time
		CartsWithItems int64
	}
	if err := conn.Raw(`SELECT created_hour, carts_with_items FROM cart_purge_counts WHERE created_hour >= ? AND created_hour < ?`,
		a, b).Scan(&purged).Error; err != nil {
		return fmt.Errorf("rollup purged carts: %w", err)
	}
	for _, p := range purged {
		hr(p.CreatedHour).Carts += p.CartsWithItems
	}
	sessions, err := k.sessionsTouching(ctx, a, b)
	if err != nil {
		return err
	}
	for _, s := range sessions {
		if s.first.Before(a) || !s.first.Before(b) {
			continue // another hour's session
		}
		r := hr(s.first)
		r.Sessions++
		if s.converted {
			r.Converted++
		}
		if s.bounced() {
			r.Bounced++
		}
	}
	uRows, err := k.userHours(ctx, a, b)
	if err != nil {
		return err
	}
	ohRows := make([]orderHourRow, 0, len(orderHours))
	for _, r := range orderHours {
		ohRows = append(ohRows, *r)
	}
	hRows := make([]hourRow, 0, len(hours))
	for _, r := range hours {
		hRows = append(hRows, *r)
	}
	return k.db.WithTx(ctx, func(ctx context.Context) error {
		conn := k.db.Conn(ctx)
		if k.db.Dialect() == db.Postgres {
			// One rebuild at a time: two would insert the same keys.
			if err := conn.Exec(`SELECT pg_advisory_xact_lock(727021)`).Error; err != nil {
				return fmt.Errorf("rollup lock: %w", err)
			}
		}
		for _, t := range []string{"kpi_order_hours", "kpi_hours", "kpi_user_hours"} {
			if err := conn.Exec(`DELETE FROM `+t+` WHERE hour >= ? AND hour < ?`, a, b).Error; err != nil {
				return fmt.Errorf("rollup clear %s: %w", t, err)
			}
		}
		for chunk := range slices.Chunk(ohRows, 500) {
			if err := conn.Table("kpi_order_hours").Create(chunk).Error; err != nil {
				return fmt.Errorf("rollup write order hours: %w", err)
			}
		}
		for chunk := range slices.Chunk(hRows, 500) {
			if err := conn.Table("kpi_hours").Create(chunk).Error; err != nil {
				return fmt.Errorf("rollup write hours: %w", err)
			}
		}
		for chunk := range slices.Chunk(uRows, 500) {
			if err := conn.Table("kpi_user_hours").Create(chunk).Error; err != nil {
				return fmt.Errorf("rollup write user hours: %w", err)
			}
		}
		return nil
	})
}

// Rebuild recomputes every hour from the first order, cart or event up to
// the end of the current hour, a week per transaction, and marks the
// rollups checked as of its start.
func (k *KPIs) Rebuild(ctx context.Context) error {
	start := k.clock()
	var firsts []struct{ At *time.Time }
	for _, q := range []string{`SELECT created_at AS at FROM orders ORDER BY created_at LIMIT 1`,
		`SELECT created_at AS at FROM carts ORDER BY created_at LIMIT 1`,
		`SELECT created_hour AS at FROM cart_purge_counts ORDER BY created_hour LIMIT 1`,
		`SELECT occurred_at AS at FROM metric_events ORDER BY occurred_at LIMIT 1`,
		`SELECT created_at AS at FROM order_refunds ORDER BY created_at LIMIT 1`} {
		var row []struct{ At *time.Time }
		if err := k.db.Conn(ctx).Raw(q).Scan(&row).Error; err != nil {
			return fmt.Errorf("rollup first row: %w", err)
		}
		firsts = append(firsts, row...)
	}
	end := hourOf(start).Add(time.Hour)
	from := end
	for _, f := range firsts {
		if f.At != nil && hourOf(*f.At).Before(from) {
			from = hourOf(*f.At)
		}
	}
	// Rows past the current hour (clients' clocks) are rebuilt too.
	if err := k.db.Conn(ctx).Exec(`DELETE FROM kpi_order_hours WHERE hour < ?`, from).Error; err != nil {
		return fmt.Errorf("rollup clear: %w", err)
	}
	if err := k.db.Conn(ctx).Exec(`DELETE FROM kpi_hours WHERE hour < ?`, from).Error; err != nil {
		return fmt.Errorf("rollup clear: %w", err)
	}
	if err := k.db.Conn(ctx).Exec(`DELETE FROM kpi_user_hours WHERE hour < ?`, from).Error; err != nil {
		return fmt.Errorf("rollup clear: %w", err)
	}
	for a := from; a.Before(end.Add(48 * time.Hour)); a = a.Add(rollupChunk * time.Hour) {
		if err := k.rebuildHours(ctx, a, a.Add(rollupChunk*time.Hour)); err != nil {
			return err
		}
	}
	return k.markChecked(ctx, start)
}

// CatchUp rebuilds the hours that rows changed since its last run touch:
// orders (their hour, and the hours of their session), refunds, carts and
// the sessions of new events. The first run is a Rebuild.
func (k *KPIs) CatchUp(ctx context.Context) error {
	start := k.clock()
	var state []struct{ CheckedAt time.Time }
	if err := k.db.Conn(ctx).Raw(`SELECT checked_at FROM kpi_rollup_state WHERE name = 'kpi'`).Scan(&state).Error; err != nil {
		return fmt.Errorf("rollup state: %w", err)
	}
	if len(state) == 0 {
		return k.Rebuild(ctx)
	}
	since := state[0].CheckedAt.Add(-rollupMargin)
	dirty := map[time.Time]bool{}
	conn := k.db.Conn(ctx)
	var orders []struct {
		CreatedAt  time.Time
		SessionID  string
		CustomerID *string
	}
	if err := conn.Raw(`SELECT created_at, session_id, customer_id FROM orders WHERE updated_at >= ?`, since).
		Scan(&orders).Error; err != nil {
		return fmt.Errorf("rollup changed orders: %w", err)
	}
	var sessions, customers []string
	for _, o := range orders {
		dirty[hourOf(o.CreatedAt)] = true
		if o.SessionID != "" {
			sessions = append(sessions, o.SessionID)
		}
		if o.CustomerID != nil {
			customers = append(customers, *o.CustomerID)
		}
	}
	// A new order may come before one that was its customer's first.
	slices.Sort(customers)
	for chunk := range slices.Chunk(slices.Compact(customers), 500) {
		var ts []struct{ CreatedAt time.Time }
		if err := conn.Raw(`SELECT created_at FROM orders WHERE customer_id IN ?`, chunk).Scan(&ts).Error; err != nil {
			return fmt.Errorf("rollup customer hours: %w", err)
		}
		for _, t := range ts {
			dirty[hourOf(t.CreatedAt)] = true
		}
	}
	for _, q := range []string{`SELECT created_at AS at FROM order_refunds WHERE created_at >= ?`,
		`SELECT created_at AS at FROM carts WHERE updated_at >= ?`} {
		var ts []struct{ At time.Time }
		if err := conn.Raw(q, since).Scan(&ts).Error; err != nil {
			return fmt.Errorf("rollup changed rows: %w", err)
		}
		for _, t := range ts {
			dirty[hourOf(t.At)] = true
		}
	}
	var evs []string
	// No DISTINCT (the sort below removes repeats): with it SQLite walks the
	// whole session index instead of the few rows received since.
	if err := conn.Raw(`SELECT session_id FROM metric_events WHERE received_at >= ?`, since).Scan(&evs).Error; err != nil {
		return fmt.Errorf("rollup new events: %w", err)
	}
	sessions = append(sessions, evs...)
	slices.Sort(sessions)
	// Every hour a touched session has an event in: its first event may
	// have moved.
	for chunk := range slices.Chunk(slices.Compact(sessions), 500) {
		var ts []struct{ OccurredAt time.Time }
		if err := conn.Raw(`SELECT occurred_at FROM metric_events WHERE session_id IN ?`, chunk).Scan(&ts).Error; err != nil {
			return fmt.Errorf("rollup session hours: %w", err)
		}
		for _, t := range ts {
			dirty[hourOf(t.OccurredAt)] = true
		}
	}
	hours := make([]time.Time, 0, len(dirty))
	for h := range dirty {
		hours = append(hours, h)
	}
	slices.SortFunc(hours, func(x, y time.Time) int { return x.Compare(y) })
	// Rebuild runs of consecutive hours together.
	for i := 0; i < len(hours); {
		j := i + 1
		for j < len(hours) && hours[j].Equal(hours[j-1].Add(time.Hour)) && j-i < rollupChunk {
			j++
		}
		if err := k.rebuildHours(ctx, hours[i], hours[j-1].Add(time.Hour)); err != nil {
			return err
		}
		i = j
	}
	return k.markChecked(ctx, start)
}

// markChecked records when the last run started (never moving it back:
// runs may overlap).
func (k *KPIs) markChecked(ctx context.Context, at time.Time) error {
	if err := k.db.Conn(ctx).Exec(`INSERT INTO kpi_rollup_state (name, checked_at) VALUES ('kpi', ?)
		ON CONFLICT (name) DO UPDATE SET checked_at = CASE WHEN excluded.checked_at > kpi_rollup_state.checked_at
			THEN excluded.checked_at ELSE kpi_rollup_state.checked_at END`, at.UTC()).Error; err != nil {
		return fmt.Errorf("rollup state: %w", err)
	}
	return nil
}
