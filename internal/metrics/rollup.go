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

// rollupTables are the hourly rollups (migrations 00021, 00022, 00024).
var rollupTables = []string{"kpi_order_hours", "kpi_hours", "kpi_product_hours", "kpi_stock_hours",
	"kpi_customer_hours", "kpi_user_hours"}

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
// hour boundaries) in one transaction. relink also links again the first
// later rows of the presence rollups (rollup_presence.go); a full rebuild,
// going through the hours in order, does without.
func (k *KPIs) rebuildHours(ctx context.Context, a, b time.Time, relink bool) error {
	a, b = a.UTC(), b.UTC()
	r, err := k.hourRollups(ctx, a, b)
	if err != nil {
		return err
	}
	return k.db.WithTx(ctx, func(ctx context.Context) error {
		conn := k.db.Conn(ctx)
		if k.db.Dialect() == db.Postgres {
			// One rebuild at a time: two would insert the same keys.
			if err := conn.Exec(`SELECT pg_advisory_xact_lock(727021)`).Error; err != nil {
				return fmt.Errorf("rollup lock: %w", err)
			}
		}
		for _, t := range []struct {
			name string
			rows any
			n    int
		}{{"kpi_order_hours", r.orders, len(r.orders)}, {"kpi_hours", r.hours, len(r.hours)},
			{"kpi_product_hours", r.products, len(r.products)}, {"kpi_stock_hours", r.stock, len(r.stock)}} {
			if err := conn.Exec(`DELETE FROM `+t.name+` WHERE hour >= ? AND hour < ?`, a, b).Error; err != nil {
				return fmt.Errorf("rollup clear %s: %w", t.name, err)
			}
			if t.n == 0 {
				continue
			}
			if err := conn.Table(t.name).CreateInBatches(t.rows, 75).Error; err != nil {
				return fmt.Errorf("rollup write %s: %w", t.name, err)
			}
		}
		if err := writePresence(ctx, conn, customerPresence, a, b, r.customers, relink); err != nil {
			return err
		}
		return writePresence(ctx, conn, userPresence, a, b, r.users, relink)
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
		`SELECT created_at AS at FROM order_refunds ORDER BY created_at LIMIT 1`,
		`SELECT created_at AS at FROM stock_movements ORDER BY created_at LIMIT 1`} {
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
	for _, t := range rollupTables {
		if err := k.db.Conn(ctx).Exec(`DELETE FROM `+t+` WHERE hour < ?`, from).Error; err != nil {
			return fmt.Errorf("rollup clear %s: %w", t, err)
		}
	}
	// Rows past the current hour (clients' clocks) are rebuilt too.
	for a := from; a.Before(end.Add(48 * time.Hour)); a = a.Add(rollupChunk * time.Hour) {
		if err := k.rebuildHours(ctx, a, a.Add(rollupChunk*time.Hour), false); err != nil {
			return err
		}
	}
	return k.markChecked(ctx, start)
}

// CatchUp rebuilds the hours that rows changed since its last run touch:
// orders (their hour, the hours of their session and of their customer's
// orders), refunds, carts, stock movements, the sessions of new events
// and, for an anonymous shopper newly seen with a customer, the hours of
// all their events. The first run is a Rebuild.
func (k *KPIs) CatchUp(ctx context.Context) error {
	_, err := k.catchUp(ctx, true)
	return err
}

// catchUp is CatchUp; when the rollups were never built and build is
// false it does nothing and returns false (a report then computes from
// the base tables rather than wait for a full rebuild).
func (k *KPIs) catchUp(ctx context.Context, build bool) (bool, error) {
	start := k.clock()
	var state []struct{ CheckedAt time.Time }
	if err := k.db.Conn(ctx).Raw(`SELECT checked_at FROM kpi_rollup_state WHERE name = 'kpi'`).Scan(&state).Error; err != nil {
		return false, fmt.Errorf("rollup state: %w", err)
	}
	if len(state) == 0 {
		if !build {
			return false, nil
		}
		return true, k.Rebuild(ctx)
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
		return false, fmt.Errorf("rollup changed orders: %w", err)
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
			return false, fmt.Errorf("rollup customer hours: %w", err)
		}
		for _, t := range ts {
			dirty[hourOf(t.CreatedAt)] = true
		}
	}
	for _, q := range []string{`SELECT created_at AS at FROM order_refunds WHERE created_at >= ?`,
		`SELECT created_at AS at FROM carts WHERE updated_at >= ?`,
		`SELECT created_at AS at FROM stock_movements WHERE created_at >= ?`} {
		var ts []struct{ At time.Time }
		if err := conn.Raw(q, since).Scan(&ts).Error; err != nil {
			return false, fmt.Errorf("rollup changed rows: %w", err)
		}
		for _, t := range ts {
			dirty[hourOf(t.At)] = true
		}
	}
	var evs []kpiEventRow
	// No DISTINCT (the sorts below remove repeats): with it SQLite walks the
	// whole session index instead of the few rows received since.
	if err := conn.Raw(`SELECT session_id, anonymous_id, customer_id FROM metric_events WHERE received_at >= ?`, since).
		Scan(&evs).Error; err != nil {
		return false, fmt.Errorf("rollup new events: %w", err)
	}
	var linked []string
	for _, e := range evs {
		sessions = append(sessions, e.SessionID)
		if e.CustomerID != nil {
			linked = append(linked, e.AnonymousID)
		}
	}
	// An anonymous id seen with a customer makes all its events that
	// customer's (kpi_user_hours).
	slices.Sort(linked)
	for chunk := range slices.Chunk(slices.Compact(linked), 500) {
		var ts []struct{ OccurredAt time.Time }
		if err := conn.Raw(`SELECT occurred_at FROM metric_events WHERE anonymous_id IN ?`, chunk).Scan(&ts).Error; err != nil {
			return false, fmt.Errorf("rollup shopper hours: %w", err)
		}
		for _, t := range ts {
			dirty[hourOf(t.OccurredAt)] = true
		}
	}
	slices.Sort(sessions)
	// Every hour a touched session has an event in: its first event may
	// have moved.
	for chunk := range slices.Chunk(slices.Compact(sessions), 500) {
		var ts []struct{ OccurredAt time.Time }
		if err := conn.Raw(`SELECT occurred_at FROM metric_events WHERE session_id IN ?`, chunk).Scan(&ts).Error; err != nil {
			return false, fmt.Errorf("rollup session hours: %w", err)
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
		if err := k.rebuildHours(ctx, hours[i], hours[j-1].Add(time.Hour), true); err != nil {
			return false, err
		}
		i = j
	}
	return true, k.markChecked(ctx, start)
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
