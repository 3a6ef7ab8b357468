package metrics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/db"
)

// The synthetic data generator (storekeep seed --synthetic): a shop's worth
// of orders, storefront events, carts and marketing spend for benchmarks
// and demos, deterministic for a seed and an end date. Rows go in with COPY
// on PostgreSQL and batched multi-row inserts in one transaction on
// SQLite; the rollups are built at the end.

// SyntheticOptions sizes the data set.
type SyntheticOptions struct {
	Orders, Events, Days int
	Seed                 uint64
	// End is the (exclusive) end of the period, a UTC midnight.
	End time.Time
	// Catalog, when set, is what the orders buy (a shop's real variants);
	// without it the generator writes 50 products of its own.
	Catalog []SyntheticVariant
	// Experiment, when set, is written as a stopped experiment with
	// exposures in the sessions of its weeks.
	Experiment *SyntheticExperiment
	// SalesChannels, when set, take shares of the data from the default
	// web channel (which keeps the rest).
	SalesChannels []SyntheticChannel
}

// SyntheticChannel is a sales channel of a synthetic data set. The shares
// are fixed by index, not drawn, so the same seed gives the same orders
// and events with or without channels.
type SyntheticChannel struct {
	ID string
	// Percent of the shoppers (their sessions, events, carts and orders)
	// for a channel with a storefront; for an InStore channel (a point of
	// sale: no storefront events), of the orders without a session.
	Percent int
	InStore bool
}

// salesChannel picks the channel of item n among the channels whose
// InStore is inStore, by their shares (the default channel otherwise).
func (o SyntheticOptions) salesChannel(n int, inStore bool) string {
	bucket, upTo := (n*37)%100, 0
	for _, c := range o.SalesChannels {
		if c.InStore != inStore {
			continue
		}
		if upTo += c.Percent; bucket < upTo {
			return c.ID
		}
	}
	return channel.DefaultID
}

// SyntheticVariant is a variant the synthetic orders can buy.
type SyntheticVariant struct {
	ID, ProductID, SKU, Title string
	// Prices are in minor units by currency (EUR and USD are used).
	Prices map[string]int64
}

// SyntheticExperiment is the finished A/B test of a synthetic data set: a
// control and a treatment arm; exposed sessions that ordered land in the
// treatment a little more often, so its results show a lift.
type SyntheticExperiment struct {
	Key, Name, Control, Treatment string
}

// SyntheticResult counts what was written.
type SyntheticResult struct {
	Customers, Orders, Carts, Sessions, Events int
}

// syntheticChannels are the acquisition channels ("" is direct traffic).
var syntheticChannels = []string{"google", "facebook", "newsletter", "instagram", ""}

// weekdayWeight shapes the week: busier at the weekend.
var weekdayWeight = [7]float64{1.4, 0.8, 0.85, 0.9, 1.0, 1.15, 1.5} // Sunday first

// syntheticBatch is how many rows one insert statement (or COPY) carries.
const syntheticBatch = 5000

// Synthetic writes the data set. It refuses a database that already holds
// synthetic rows.
func Synthetic(ctx context.Context, d *db.DB, o SyntheticOptions) (SyntheticResult, error) {
	if o.Orders < 0 || o.Events < 0 || o.Days < 1 {
		return SyntheticResult{}, errors.New("synthetic: --orders and --events must be >= 0, --days >= 1")
	}
	var n int64
	if err := d.Conn(ctx).Raw(`SELECT COUNT(*) FROM customers WHERE id LIKE 'syn_%'`).Scan(&n).Error; err != nil {
		return SyntheticResult{}, err
	}
	if n > 0 {
		return SyntheticResult{}, errors.New("synthetic: the database already has synthetic data")
	}
	g := &synth{o: o, rng: rand.New(rand.NewPCG(o.Seed, 0x5eed)), start: o.End.AddDate(0, 0, -o.Days)}
	var w rowWriter
	var res SyntheticResult
	run := func(ctx context.Context) error {
		var err error
		res, err = g.write(ctx, w)
		return err
	}
	if d.Dialect() == db.Postgres {
		conn, err := d.SQL().Conn(ctx)
		if err != nil {
			return res, err
		}
		defer conn.Close()
		err = conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return errors.New("synthetic: not a pgx connection")
			}
			w = copyWriter{ctx: ctx, conn: c.Conn()}
			return run(ctx)
		})
		if err != nil {
			return res, err
		}
	} else {
		err := d.WithTx(ctx, func(ctx context.Context) error {
			// With SQLite's default 2 MB page cache, the index pages that
			// random keys touch leave the cache again and again, each time
			// written to the WAL anew: a bigger cache for this transaction
			// made the writes twice as fast (docs/benchmarks.md).
			conn := d.Conn(ctx)
			var old int64
			if err := conn.Raw(`PRAGMA cache_size`).Scan(&old).Error; err != nil {
				return err
			}
			if err := conn.Exec(`PRAGMA cache_size = -262144`).Error; err != nil { // 256 MiB
				return err
			}
			defer conn.Exec(fmt.Sprintf(`PRAGMA cache_size = %d`, old))
			w = insertWriter{ctx: ctx, d: d}
			return run(ctx)
		})
		if err != nil {
			return res, err
		}
	}
	if err := NewKPIs(d, nil).Rebuild(ctx); err != nil {
		return res, fmt.Errorf("synthetic: rollups: %w", err)
	}
	return res, nil
}

// rowWriter writes rows of one table.
type rowWriter interface {
	write(table string, cols []string, rows [][]any) error
}

type copyWriter struct {
	ctx  context.Context
	conn *pgx.Conn
}

func (w copyWriter) write(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	_, err := w.conn.CopyFrom(w.ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}

type insertWriter struct {
	ctx context.Context
	d   *db.DB
}

func (w insertWriter) write(table string, cols []string, rows [][]any) error {
	// The statements go straight to the driver (GORM's statement building
	// costs more than the insert here), about 600 parameters each: the
	// driver's binding slows down sharply with more.
	pool := w.d.Conn(w.ctx).Statement.ConnPool
	per := max(1, 600/len(cols))
	tuple := "(?" + strings.Repeat(",?", len(cols)-1) + ")"
	for len(rows) > 0 {
		n := min(per, len(rows))
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, n*len(cols))
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString(tuple)
			args = append(args, r...)
		}
		if _, err := pool.ExecContext(w.ctx, q.String(), args...); err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// synth generates the rows.
type synth struct {
	o     SyntheticOptions
	rng   *rand.Rand
	start time.Time
}

// at draws a time in the period with the weekly and daily shape.
func (g *synth) at() time.Time {
	for {
		day := g.rng.IntN(g.o.Days)
		t := g.start.AddDate(0, 0, day)
		if g.rng.Float64()*1.5 > weekdayWeight[t.Weekday()] {
			continue
		}
		// Daytime peaks: a sum of two uniforms centred on 15:00.
		h := 3 + (g.rng.Float64()+g.rng.Float64())*12
		return t.Add(time.Duration(h * float64(time.Hour))).Add(time.Duration(g.rng.IntN(3600)) * time.Second).Truncate(time.Second)
	}
}

func (g *synth) write(ctx context.Context, w rowWriter) (SyntheticResult, error) {
	var res SyntheticResult
	now := g.start
	catalog, err := g.catalog(w, now)
	if err != nil {
		return res, err
	}
	products := len(catalog)
	// The generator's own catalog has a stock ledger: a sale per completed
	// order and weekly receipts (a given catalog's shop keeps its own).
	var ledger *synthLedger
	if len(g.o.Catalog) == 0 {
		ledger = &synthLedger{start: g.start, end: g.o.End, sold: map[[2]int]int64{}}
	}
	// Customers: one for every three orders; a few buy often (repeat customers).
	res.Customers = max(1, g.o.Orders/3)
	var crows [][]any
	for i := range res.Customers {
		var ch any
		if c := syntheticChannels[g.rng.IntN(len(syntheticChannels))]; c != "" {
			ch = c
		}
		id := fmt.Sprintf("syn_c%d", i)
		crows = append(crows, []any{id, id + "@synthetic.example", "!", "Syn", fmt.Sprint(i), ch, now, now})
		if len(crows) == syntheticBatch {
			if err := w.write("customers", customerCols, crows); err != nil {
				return res, err
			}
			crows = crows[:0]
		}
	}
	if err := w.write("customers", customerCols, crows); err != nil {
		return res, err
	}
	// Sessions: events come in sessions of about five; orders take the
	// session ids of the first sessions (so about 1 in 3 to 1 in 10 sessions convert).
	res.Sessions = max(1, g.o.Events/5)
	ordered := map[int]bool{} // sessions with an order
	var orows, irows, krows, kirows, mrows [][]any
	flushOrders := func() error {
		for _, t := range []struct {
			name string
			cols []string
			rows *[][]any
		}{{"carts", cartCols, &krows}, {"orders", orderCols, &orows}, {"order_items", orderItemCols, &irows},
			{"cart_items", cartItemCols, &kirows}, {"stock_movements", movementCols, &mrows}} {
			if err := w.write(t.name, t.cols, *t.rows); err != nil {
				return err
			}
			*t.rows = (*t.rows)[:0]
		}
		return ctx.Err()
	}
	for i := range g.o.Orders {
		at := g.at()
		var cust any
		if g.rng.IntN(10) < 7 {
			// Skewed towards low numbers: repeat customers.
			cust = fmt.Sprintf("syn_c%d", int(math.Pow(g.rng.Float64(), 2)*float64(res.Customers)))
		}
		currency := "EUR"
		if g.rng.IntN(10) == 0 {
			currency = "USD"
		}
		status := "confirmed"
		switch r := g.rng.IntN(100); {
		case r < 5:
			status = "canceled"
		case r < 60:
			status = "completed"
		}
		qty := int64(1 + g.rng.IntN(3))
		p := g.rng.IntN(products)
		v := catalog[p]
		unit := v.Prices[currency]
		if unit == 0 {
			unit = v.Prices["EUR"]
		}
		total := unit * qty
		session := ""
		// An order is on its shopper's channel; one without a session may
		// be an in-store sale.
		sc := g.o.salesChannel(i, true)
		if g.rng.IntN(10) < 8 {
			s := g.rng.IntN(res.Sessions)
			session = fmt.Sprintf("syn_s%d", s)
			ordered[s] = true
			sc = g.o.salesChannel(s/2, false) // two sessions per shopper
		}
		id, cart := fmt.Sprintf("syn_o%d", i), fmt.Sprintf("syn_k%d", i)
		krows = append(krows, []any{cart, cust, currency, "completed", at.Add(-10 * time.Minute), at, sc})
		kirows = append(kirows, []any{"syn_ki" + fmt.Sprint(i), cart, v.ID, qty, unit, at, at})
		orows = append(orows, []any{id, fmt.Sprintf("SYN-%d", i), cart, cust, "synthetic@example.com", currency, status,
			"captured", "unfulfilled", "{}", "{}", total, int64(0), int64(0), int64(0), int64(0), int64(0), total, false,
			session, at, at, sc})
		irows = append(irows, []any{"syn_oi" + fmt.Sprint(i), id, 0, v.ID, v.ProductID, v.SKU, v.Title, qty, unit,
			total, int64(0), int64(0), total})
		if ledger != nil && status == "completed" {
			mrows = append(mrows, ledger.sale(p, v.ID, qty, at, id))
		}
		// As many abandoned carts as orders, with an item.
		ab := fmt.Sprintf("syn_ka%d", i)
		bt := g.at()
		krows = append(krows, []any{ab, nil, currency, "open", bt, bt, g.o.salesChannel(i, false)})
		kirows = append(kirows, []any{"syn_kia" + fmt.Sprint(i), ab, v.ID, int64(1), unit, bt, bt})
		if len(orows) == syntheticBatch {
			if err := flushOrders(); err != nil {
				return res, err
			}
		}
	}
	if err := flushOrders(); err != nil {
		return res, err
	}
	res.Orders, res.Carts = g.o.Orders, 2*g.o.Orders
	if ledger != nil {
		if err := ledger.stock(w, catalog, now); err != nil {
			return res, err
		}
	}
	// Events, session by session.
	types := []string{"page_view", "page_view", "product_view", "product_view", "add_to_cart", "search", "checkout_start"}
	var erows [][]any
	begun := make([]time.Time, res.Sessions) // when each session first started
	for s := 0; res.Events < g.o.Events; s = (s + 1) % res.Sessions {
		sid := fmt.Sprintf("syn_s%d", s)
		anon := fmt.Sprintf("syn_a%d", s/2) // two sessions per shopper
		var utm any
		if c := syntheticChannels[g.rng.IntN(len(syntheticChannels))]; c != "" {
			utm = c
		}
		t := g.at()
		if begun[s].IsZero() {
			begun[s] = t
		}
		n := min(1+g.rng.IntN(9), g.o.Events-res.Events)
		for j := range n {
			typ := "session_start"
			if j > 0 {
				typ = types[g.rng.IntN(len(types))]
			}
			erows = append(erows, []any{typ, anon, sid, utm, t, t, g.o.salesChannel(s/2, false)})
			t = t.Add(time.Duration(5+g.rng.IntN(120)) * time.Second)
		}
		res.Events += n
		if len(erows) >= syntheticBatch {
			if err := w.write("metric_events", eventCols, erows); err != nil {
				return res, err
			}
			erows = erows[:0]
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
	}
	if err := w.write("metric_events", eventCols, erows); err != nil {
		return res, err
	}
	if err := g.experiment(w, begun, ordered); err != nil {
		return res, err
	}
	// Spend: per channel and week.
	var srows [][]any
	for wk := 0; wk*7 < g.o.Days; wk++ {
		for i, ch := range syntheticChannels[:4] {
			s := g.start.AddDate(0, 0, wk*7)
			srows = append(srows, []any{fmt.Sprintf("syn_sp%d_%d", wk, i), ch, s, s.AddDate(0, 0, 6),
				int64(20000 + g.rng.IntN(30000)), "EUR", now, now})
		}
	}
	return res, w.write("marketing_spend", []string{"id", "channel", "period_start", "period_end", "amount", "currency",
		"created_at", "updated_at"}, srows)
}

// catalog returns the variants the orders buy: the given catalog, or 50
// products with one costed variant each, written here.
func (g *synth) catalog(w rowWriter, now time.Time) ([]SyntheticVariant, error) {
	if len(g.o.Catalog) > 0 {
		return g.o.Catalog, nil
	}
	var prows, vrows [][]any
	var out []SyntheticVariant
	for i := range 50 {
		id := fmt.Sprintf("syn_p%d", i)
		prows = append(prows, []any{id, id, fmt.Sprintf("Synthetic product %d", i), "published", now, now})
		vrows = append(vrows, []any{fmt.Sprintf("syn_v%d", i), id, fmt.Sprintf("SYN-%d", i), "Default",
			int64(200 + 50*i), "EUR", now, now})
		out = append(out, SyntheticVariant{ID: fmt.Sprintf("syn_v%d", i), ProductID: id, SKU: fmt.Sprintf("SYN-%d", i),
			Title: "Synthetic", Prices: map[string]int64{"EUR": int64(900 + 100*i)}})
	}
	if err := w.write("products", []string{"id", "handle", "title", "status", "created_at", "updated_at"}, prows); err != nil {
		return nil, err
	}
	if err := w.write("variants", []string{"id", "product_id", "sku", "title", "cost_amount", "cost_currency", "created_at",
		"updated_at"}, vrows); err != nil {
		return nil, err
	}
	err := w.write("warehouses", []string{"id", "code", "name", "country_code", "created_at", "updated_at"},
		[][]any{{syntheticWarehouse, "SYN", "Synthetic warehouse", "FR", now, now}})
	return out, err
}

// syntheticWarehouse holds the stock of the generator's own catalog.
const syntheticWarehouse = "syn_w1"

// synthLedger builds the stock ledger of the generator's own catalog: a
// sale three hours after each completed order (its shipment; at the order
// when that is past the end) and, at the start of each week, a receipt of
// what the week sells rounded up to tens (plus 50 units the first week),
// so stock never goes below zero. It draws no random numbers: the orders
// and events stay those of the same seed without a ledger.
type synthLedger struct {
	start, end time.Time
	sold       map[[2]int]int64 // (variant index, week) -> units
	n          int
}

// sale returns the movement row of a shipment.
func (l *synthLedger) sale(variant int, variantID string, qty int64, at time.Time, order string) []any {
	t := at.Add(3 * time.Hour)
	if !t.Before(l.end) {
		t = at
	}
	l.sold[[2]int{variant, int(t.Sub(l.start) / (7 * 24 * time.Hour))}] += qty
	l.n++
	return []any{fmt.Sprintf("syn_m%d", l.n), variantID, syntheticWarehouse, -qty, "sale", order, t}
}

// stock writes the receipts and the stock levels they and the sales leave.
func (l *synthLedger) stock(w rowWriter, catalog []SyntheticVariant, now time.Time) error {
	weeks := int((l.end.Sub(l.start) + 7*24*time.Hour - 1) / (7 * 24 * time.Hour))
	var rows, levels [][]any
	for i, v := range catalog {
		var onHand int64
		for wk := range weeks {
			sold := l.sold[[2]int{i, wk}]
			qty := (sold + 9) / 10 * 10
			if wk == 0 {
				qty += 50
			}
			onHand += qty - sold
			if qty == 0 {
				continue
			}
			l.n++
			rows = append(rows, []any{fmt.Sprintf("syn_m%d", l.n), v.ID, syntheticWarehouse, qty, "receipt", "",
				l.start.AddDate(0, 0, 7*wk).Add(time.Hour)})
		}
		levels = append(levels, []any{v.ID, syntheticWarehouse, onHand, int64(0), int64(25), now})
	}
	if err := w.write("stock_movements", movementCols, rows); err != nil {
		return err
	}
	return w.write("stock_levels", []string{"variant_id", "warehouse_id", "on_hand", "reserved", "reorder_point", "updated_at"},
		levels)
}

// experiment writes the stopped experiment, when asked for (it ran for the
// six weeks up to two days before the end), and an exposure event a second
// into every session that started in that window. Sessions with an order go
// to the treatment 58 % of the time, the others 50 %: the treatment
// converts about a quarter better.
func (g *synth) experiment(w rowWriter, begun []time.Time, ordered map[int]bool) error {
	x := g.o.Experiment
	if x == nil {
		return nil
	}
	started, stopped := g.o.End.AddDate(0, 0, -min(42, g.o.Days)), g.o.End.AddDate(0, 0, -2)
	if !stopped.After(started) {
		stopped = g.o.End
	}
	arms := fmt.Sprintf(`[{"key":%q,"weight":50},{"key":%q,"weight":50}]`, x.Control, x.Treatment)
	err := w.write("experiments", []string{"id", "key", "name", "arms", "metric", "status", "started_at", "stopped_at",
		"created_at", "updated_at"}, [][]any{{"syn_exp1", x.Key, x.Name, arms, MetricConversionRate, StatusStopped,
		started, stopped, started, stopped}})
	if err != nil {
		return err
	}
	var rows [][]any
	for s, at := range begun {
		if at.Before(started) || !at.Before(stopped) {
			continue
		}
		p := 0.5
		if ordered[s] {
			p = 0.58
		}
		arm := x.Control
		if g.rng.Float64() < p {
			arm = x.Treatment
		}
		t := at.Add(time.Second)
		rows = append(rows, []any{"experiment_exposure", fmt.Sprintf("syn_a%d", s/2), fmt.Sprintf("syn_s%d", s),
			"syn_exp1", arm, t, t, g.o.salesChannel(s/2, false)})
	}
	return w.write("metric_events", []string{"type", "anonymous_id", "session_id", "experiment_id", "arm", "occurred_at",
		"received_at", "sales_channel_id"}, rows)
}

var (
	customerCols  = []string{"id", "email", "password_hash", "first_name", "last_name", "acquisition_channel", "created_at", "updated_at"}
	cartCols      = []string{"id", "customer_id", "currency", "status", "created_at", "updated_at", "sales_channel_id"}
	cartItemCols  = []string{"id", "cart_id", "variant_id", "quantity", "unit_price", "created_at", "updated_at"}
	eventCols     = []string{"type", "anonymous_id", "session_id", "utm_source", "occurred_at", "received_at", "sales_channel_id"}
	movementCols  = []string{"id", "variant_id", "warehouse_id", "delta", "kind", "reference", "created_at"}
	orderItemCols = []string{"id", "order_id", "position", "variant_id", "product_id", "sku", "title", "quantity",
		"unit_price", "subtotal", "discount_total", "tax_total", "total"}
	orderCols = []string{"id", "number", "cart_id", "customer_id", "email", "currency", "status", "payment_status",
		"fulfillment_status", "shipping_address", "billing_address", "subtotal", "discount_total", "shipping_total",
		"shipping_discount", "shipping_tax", "tax_total", "total", "tax_inclusive", "session_id", "created_at", "updated_at",
		"sales_channel_id"}
)
