package metrics

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"
)

// kpiFilter is who a filtered report keeps: customers (nil: everyone) and,
// for a channel filter, the anonymous shoppers whose first event came
// from that channel.
type kpiFilter struct {
	customers map[string]bool
	anonymous map[string]bool
	// guests: whether guests and anonymous shoppers count at all.
	guests bool
}

func (f kpiFilter) customer(id string) bool {
	if f.customers == nil {
		return true
	}
	return id != "" && f.customers[id]
}

func (f kpiFilter) anon(id string) bool {
	return f.customers == nil || f.anonymous[id]
}

// loadFilter resolves the channel and customer group filters.
func (k *KPIs) loadFilter(ctx context.Context, q KPIQuery) (kpiFilter, error) {
	if q.Channel == "" && q.CustomerGroup == "" {
		return kpiFilter{guests: true}, nil
	}
	conn := k.db.Conn(ctx)
	var ids []string
	tx := conn.Table("customers").Select("id")
	if q.Channel != "" {
		tx = tx.Where("acquisition_channel = ?", q.Channel)
	}
	if q.CustomerGroup != "" {
		tx = tx.Where("id IN (SELECT customer_id FROM customer_group_members WHERE group_id = ?)", q.CustomerGroup)
	}
	if err := tx.Scan(&ids).Error; err != nil {
		return kpiFilter{}, fmt.Errorf("kpi filter customers: %w", err)
	}
	f := kpiFilter{customers: map[string]bool{}, anonymous: map[string]bool{}}
	for _, id := range ids {
		f.customers[id] = true
	}
	if q.Channel != "" && q.CustomerGroup == "" {
		// Anonymous shoppers whose first event carried the channel.
		var anon []string
		if err := conn.Raw(`SELECT e.anonymous_id FROM metric_events e
			JOIN (SELECT anonymous_id, MIN(occurred_at) AS first FROM metric_events GROUP BY anonymous_id) f
			  ON f.anonymous_id = e.anonymous_id AND f.first = e.occurred_at
			WHERE e.utm_source = ?`, q.Channel).Scan(&anon).Error; err != nil {
			return kpiFilter{}, fmt.Errorf("kpi filter anonymous: %w", err)
		}
		for _, a := range anon {
			f.anonymous[a] = true
		}
	}
	return f, nil
}

type kpiEventRow struct {
	SessionID   string
	AnonymousID string
	CustomerID  *string
	Type        string
	OccurredAt  time.Time
}

// anonymousOwners maps anonymous ids to the customer they were seen with.
func (k *KPIs) anonymousOwners(ctx context.Context) (map[string]string, error) {
	var links []struct{ AnonymousID, CustomerID string }
	if err := k.db.Conn(ctx).Raw(`SELECT anonymous_id, MIN(customer_id) AS customer_id FROM metric_events
		WHERE customer_id IS NOT NULL GROUP BY anonymous_id`).Scan(&links).Error; err != nil {
		return nil, fmt.Errorf("kpi anonymous links: %w", err)
	}
	owner := make(map[string]string, len(links))
	for _, l := range links {
		owner[l.AnonymousID] = l.CustomerID
	}
	return owner, nil
}

// userFigures: unique users, from the events of each period.
func (k *KPIs) userFigures(ctx context.Context, q KPIQuery, f kpiFilter, accs []*kpiAcc, each func(time.Time, func(*kpiAcc))) error {
	owner, err := k.anonymousOwners(ctx)
	if err != nil {
		return err
	}
	var rows []kpiEventRow
	cond, args := channelCond(q.SalesChannel, "sales_channel_id")
	if err := k.db.Conn(ctx).Raw(`SELECT anonymous_id, customer_id, occurred_at FROM metric_events
		WHERE occurred_at >= ? AND occurred_at < ?`+cond, withArgs([]any{q.From.UTC(), q.To.UTC()}, args)...).
		Scan(&rows).Error; err != nil {
		return fmt.Errorf("kpi events: %w", err)
	}
	for _, r := range rows {
		cust := owner[r.AnonymousID]
		if r.CustomerID != nil {
			cust = *r.CustomerID
		}
		if !f.keeps(cust, r.AnonymousID) {
			continue
		}
		user := "a:" + r.AnonymousID
		if cust != "" {
			user = "c:" + cust
		}
		each(r.OccurredAt, func(a *kpiAcc) { a.users[user] = true })
	}
	for _, a := range accs {
		a.uniqueUsers = len(a.users)
	}
	return nil
}

// kpiSessionFacts is one session judged whole: the time of its first
// event, the shopper of its events and whether it bounced and converted.
type kpiSessionFacts struct {
	first             time.Time
	anon, customer    string
	pageViews, deeper int
	converted         bool
}

func (s *kpiSessionFacts) bounced() bool { return s.pageViews == 1 && s.deeper == 0 && !s.converted }

// sessionsTouching judges, on all their events, the sessions with an
// event in [a, b); with a sales channel, on the channel's events only
// (converted by an order on the channel).
func (k *KPIs) sessionsTouching(ctx context.Context, a, b time.Time, salesChannel string) (map[string]*kpiSessionFacts, error) {
	var rows []kpiEventRow
	cond, args := channelCond(salesChannel, "sales_channel_id")
	if err := k.db.Conn(ctx).Raw(`SELECT session_id, anonymous_id, customer_id, type, occurred_at FROM metric_events
		WHERE session_id IN (SELECT session_id FROM metric_events WHERE occurred_at >= ? AND occurred_at < ?`+cond+`)`+cond,
		withArgs(withArgs([]any{a.UTC(), b.UTC()}, args), args)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("kpi sessions: %w", err)
	}
	return k.judgeSessions(ctx, rows, salesChannel)
}

// sessionEvents reads every event of [a, b) and the other events of their
// sessions, as sessionsTouching does, in two steps: the events of the
// period by time, then the others by session id. A week of the rollups
// needs a few of the table's events; in one statement PostgreSQL reads
// all of them (it expects sessions to be much longer than they are).
func (k *KPIs) sessionEvents(ctx context.Context, a, b time.Time) ([]kpiEventRow, error) {
	conn := k.db.Conn(ctx)
	var rows []kpiEventRow
	if err := conn.Raw(`SELECT session_id, anonymous_id, customer_id, type, occurred_at FROM metric_events
		WHERE occurred_at >= ? AND occurred_at < ?`, a.UTC(), b.UTC()).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("rollup events: %w", err)
	}
	ids := make([]string, 0, len(rows)/4)
	for _, r := range rows {
		ids = append(ids, r.SessionID)
	}
	slices.Sort(ids)
	for chunk := range slices.Chunk(slices.Compact(ids), 500) {
		var more []kpiEventRow
		if err := conn.Raw(`SELECT session_id, anonymous_id, customer_id, type, occurred_at FROM metric_events
			WHERE session_id IN ? AND (occurred_at < ? OR occurred_at >= ?)`, chunk, a.UTC(), b.UTC()).
			Scan(&more).Error; err != nil {
			return nil, fmt.Errorf("rollup session events: %w", err)
		}
		rows = append(rows, more...)
	}
	return rows, nil
}

// judgeSessions judges sessions on all their events; a session converted
// when an order (of salesChannel, when given) carries its id.
func (k *KPIs) judgeSessions(ctx context.Context, rows []kpiEventRow, salesChannel string) (map[string]*kpiSessionFacts, error) {
	sessions := map[string]*kpiSessionFacts{}
	for _, r := range rows {
		s := sessions[r.SessionID]
		if s == nil {
			s = &kpiSessionFacts{first: r.OccurredAt, anon: r.AnonymousID}
			sessions[r.SessionID] = s
		}
		if r.OccurredAt.Before(s.first) {
			s.first, s.anon = r.OccurredAt, r.AnonymousID
		}
		if r.CustomerID != nil && s.customer == "" {
			s.customer = *r.CustomerID
		}
		switch r.Type {
		case "page_view":
			s.pageViews++
		case "product_view", "add_to_cart", "checkout_start":
			s.deeper++
		}
	}
	ids := make([]string, 0, len(sessions))
	for id := range sessions {
		ids = append(ids, id)
	}
	converted, err := k.sessionsWithOrders(ctx, ids, salesChannel)
	if err != nil {
		return nil, err
	}
	for id, s := range sessions {
		s.converted = converted[id]
	}
	return sessions, nil
}

// sessionFigures: sessions (by the time of their first event), conversion
// and bounce.
func (k *KPIs) sessionFigures(ctx context.Context, q KPIQuery, f kpiFilter, _ []*kpiAcc, each func(time.Time, func(*kpiAcc))) error {
	sessions, err := k.sessionsTouching(ctx, q.From, q.To, q.SalesChannel)
	if err != nil {
		return err
	}
	var owner map[string]string
	if !f.all() {
		if owner, err = k.anonymousOwners(ctx); err != nil {
			return err
		}
	}
	for _, s := range sessions {
		if !f.all() {
			cust := s.customer
			if cust == "" {
				cust = owner[s.anon]
			}
			if !f.keeps(cust, s.anon) {
				continue
			}
		}
		each(s.first, func(a *kpiAcc) {
			a.sessions++
			if s.converted {
				a.converted++
			}
			if s.bounced() {
				a.bounced++
			}
		})
	}
	return nil
}

// all reports whether the filter keeps everyone.
func (f kpiFilter) all() bool { return f.customers == nil }

// keeps reports whether an event of this shopper passes the filter.
func (f kpiFilter) keeps(customer, anon string) bool {
	if customer != "" {
		return f.customer(customer)
	}
	return f.guests || f.anon(anon)
}

// sessionsWithOrders returns which of ids an order carries (any order; of
// salesChannel when given).
func (k *KPIs) sessionsWithOrders(ctx context.Context, ids []string, salesChannel string) (map[string]bool, error) {
	out := map[string]bool{}
	cond, args := channelCond(salesChannel, "sales_channel_id")
	for chunk := range slices.Chunk(ids, 500) {
		var found []string
		if err := k.db.Conn(ctx).Raw(`SELECT DISTINCT session_id FROM orders WHERE session_id IN ?`+cond,
			withArgs([]any{chunk}, args)...).Scan(&found).Error; err != nil {
			return nil, fmt.Errorf("kpi converted sessions: %w", err)
		}
		for _, s := range found {
			out[s] = true
		}
	}
	return out, nil
}

type kpiOrderRow struct {
	CustomerID *string
	Currency   string
	Status     string
	Total      int64
	CreatedAt  time.Time
}

// orderFigures: orders, revenue, new customers and lifetime value.
func (k *KPIs) orderFigures(ctx context.Context, q KPIQuery, f kpiFilter, accs []*kpiAcc, each func(time.Time, func(*kpiAcc))) error {
	var rows []kpiOrderRow
	// Lifetime value and first orders need every order before to (of the
	// sales channel: a channel's new customers are those of its first
	// orders).
	cond, args := channelCond(q.SalesChannel, "sales_channel_id")
	if err := k.db.Conn(ctx).Raw(`SELECT customer_id, currency, status, total, created_at FROM orders
		WHERE created_at < ?`+cond+` ORDER BY created_at, id`, withArgs([]any{q.To.UTC()}, args)...).
		Scan(&rows).Error; err != nil {
		return fmt.Errorf("kpi orders: %w", err)
	}
	type hist struct {
		byCur map[string][]kpiOrderRow // in time order
	}
	customers := map[string]*hist{}
	for _, r := range rows {
		cust := ""
		if r.CustomerID != nil {
			cust = *r.CustomerID
		}
		if cust == "" && !f.guests || cust != "" && !f.customer(cust) {
			continue
		}
		if cust != "" {
			h := customers[cust]
			if h == nil {
				h = &hist{byCur: map[string][]kpiOrderRow{}}
				customers[cust] = h
				// The first order (any currency, any status) makes a new customer.
				each(r.CreatedAt, func(a *kpiAcc) { a.newCustomers++ })
			}
			if q.Currency == "" || r.Currency == q.Currency {
				h.byCur[r.Currency] = append(h.byCur[r.Currency], r)
			}
		}
		if !r.CreatedAt.Before(q.From.UTC()) && (q.Currency == "" || r.Currency == q.Currency) {
			each(r.CreatedAt, func(a *kpiAcc) {
				if r.Status == "canceled" {
					a.canceled++
					return
				}
				a.orders++
				a.ordersBy[r.Currency]++
				a.revenue[r.Currency] += r.Total
			})
		}
	}
	for _, a := range accs {
		e := a.span.end
		for _, h := range customers {
			for cur, os := range h.byCur {
				if !os[0].CreatedAt.Before(e) {
					continue
				}
				var sum int64
				for _, o := range os {
					if !o.CreatedAt.Before(e) {
						break
					}
					if o.Status != "canceled" {
						sum += o.Total
					}
				}
				v := a.clv[cur]
				a.clv[cur] = [2]int64{v[0] + sum, v[1] + 1}
			}
		}
	}
	return nil
}

// retentionFigures: for each period, the customers with an order in the
// period of the same length before it, and how many of them ordered in it.
func (k *KPIs) retentionFigures(ctx context.Context, q KPIQuery, f kpiFilter, accs []*kpiAcc, _ func(time.Time, func(*kpiAcc))) error {
	from, to := q.From.UTC(), q.To.UTC()
	var rows []struct {
		CustomerID string
		CreatedAt  time.Time
	}
	// The summary's previous period reaches furthest back.
	cond, args := channelCond(q.SalesChannel, "sales_channel_id")
	if err := k.db.Conn(ctx).Raw(`SELECT customer_id, created_at FROM orders
		WHERE customer_id IS NOT NULL AND created_at >= ? AND created_at < ?`+cond+` ORDER BY created_at`,
		withArgs([]any{from.Add(-to.Sub(from)), to}, args)...).Scan(&rows).Error; err != nil {
		return fmt.Errorf("kpi retention: %w", err)
	}
	times := map[string][]time.Time{}
	for _, r := range rows {
		if f.customer(r.CustomerID) {
			times[r.CustomerID] = append(times[r.CustomerID], r.CreatedAt)
		}
	}
	for _, a := range accs {
		s, e := a.span.start, a.span.end
		prev := s.Add(-e.Sub(s))
		for _, ts := range times {
			if kpiAny(ts, prev, s) {
				a.retainBase++
				if kpiAny(ts, s, e) {
					a.retained++
				}
			}
		}
	}
	return nil
}

// kpiAny reports whether a sorted list of times has one in [s, e).
func kpiAny(ts []time.Time, s, e time.Time) bool {
	i := sort.Search(len(ts), func(i int) bool { return !ts[i].Before(s) })
	return i < len(ts) && ts[i].Before(e)
}

// refundFigures: refunds given in each period.
func (k *KPIs) refundFigures(ctx context.Context, q KPIQuery, f kpiFilter, _ []*kpiAcc, each func(time.Time, func(*kpiAcc))) error {
	var rows []struct {
		CustomerID *string
		Currency   string
		Amount     int64
		CreatedAt  time.Time
	}
	cond, args := channelCond(q.SalesChannel, "o.sales_channel_id")
	if err := k.db.Conn(ctx).Raw(`SELECT o.customer_id, r.currency, r.amount, r.created_at
		FROM order_refunds r JOIN orders o ON o.id = r.order_id
		WHERE r.created_at >= ? AND r.created_at < ?`+cond, withArgs([]any{q.From.UTC(), q.To.UTC()}, args)...).
		Scan(&rows).Error; err != nil {
		return fmt.Errorf("kpi refunds: %w", err)
	}
	for _, r := range rows {
		if !f.keepsOrder(r.CustomerID) || q.Currency != "" && r.Currency != q.Currency {
			continue
		}
		each(r.CreatedAt, func(a *kpiAcc) { a.refunds[r.Currency] += r.Amount })
	}
	return nil
}

// keepsOrder reports whether an order (or cart) of this customer passes.
func (f kpiFilter) keepsOrder(customerID *string) bool {
	if customerID == nil || *customerID == "" {
		return f.guests
	}
	return f.customer(*customerID)
}

// cartFigures: carts with items created in each period and how many of
// them became orders, counting the guest carts the cleanup deleted.
func (k *KPIs) cartFigures(ctx context.Context, q KPIQuery, f kpiFilter, _ []*kpiAcc, each func(time.Time, func(*kpiAcc))) error {
	conn := k.db.Conn(ctx)
	var rows []struct {
		CustomerID *string
		CreatedAt  time.Time
		Ordered    int
	}
	cond, args := channelCond(q.SalesChannel, "c.sales_channel_id")
	if err := conn.Raw(`SELECT c.customer_id, c.created_at,
		CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.cart_id = c.id) THEN 1 ELSE 0 END AS ordered
		FROM carts c WHERE c.created_at >= ? AND c.created_at < ?
		AND EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_id = c.id)`+cond, withArgs([]any{q.From.UTC(), q.To.UTC()}, args)...).
		Scan(&rows).Error; err != nil {
		return fmt.Errorf("kpi carts: %w", err)
	}
	for _, r := range rows {
		if !f.keepsOrder(r.CustomerID) {
			continue
		}
		each(r.CreatedAt, func(a *kpiAcc) {
			a.carts++
			a.cartsOrdered += r.Ordered
		})
	}
	if !f.guests {
		return nil // the deleted carts were guests'
	}
	var purged []struct {
		CreatedHour    time.Time
		CartsWithItems int
	}
	// One channel's deleted carts are counted per channel.
	counts := "cart_purge_counts"
	cond, args = channelCond(q.SalesChannel, "sales_channel_id")
	if q.SalesChannel != "" {
		counts = "cart_purge_channel_counts"
	}
	if err := conn.Raw(`SELECT created_hour, carts_with_items FROM `+counts+`
		WHERE created_hour >= ? AND created_hour < ?`+cond, withArgs([]any{q.From.UTC(), q.To.UTC()}, args)...).
		Scan(&purged).Error; err != nil {
		return fmt.Errorf("kpi purged carts: %w", err)
	}
	for _, p := range purged {
		each(p.CreatedHour, func(a *kpiAcc) { a.carts += p.CartsWithItems })
	}
	return nil
}

// spendFigures pro-rates the marketing spend by days: a spend row covers
// its dates (both included) in the report's time zone, and each day gives
// the share of it that lies in the period.
func (k *KPIs) spendFigures(ctx context.Context, q KPIQuery, loc *time.Location, accs []*kpiAcc) error {
	var rows []struct {
		Channel                string
		PeriodStart, PeriodEnd time.Time
		Amount                 int64
		Currency               string
	}
	tx := k.db.Conn(ctx).Table("marketing_spend").Select("channel, period_start, period_end, amount, currency")
	if q.Channel != "" {
		tx = tx.Where("channel = ?", q.Channel)
	}
	if q.Currency != "" {
		tx = tx.Where("currency = ?", q.Currency)
	}
	if err := tx.Scan(&rows).Error; err != nil {
		return fmt.Errorf("kpi spend: %w", err)
	}
	date := func(t time.Time) time.Time { // a DATE as a UTC midnight
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	for _, r := range rows {
		ds, de := date(r.PeriodStart.UTC()), date(r.PeriodEnd.UTC())
		days := int(de.Sub(ds).Hours()/24) + 1
		for _, a := range accs {
			// Local dates the period touches, clipped to the spend's.
			first, last := date(kpiLocalDate(a.span.start, loc)), date(kpiLocalDate(a.span.end, loc))
			if first.Before(ds) {
				first = ds
			}
			if last.After(de) {
				last = de
			}
			var share float64
			for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
				ds := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
				de := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
				s, e := maxTime(ds, a.span.start), minTime(de, a.span.end)
				if s.Before(e) {
					share += float64(e.Sub(s)) / float64(de.Sub(ds))
				}
			}
			if share > 0 {
				a.spend[r.Currency] += float64(r.Amount) * share / float64(days)
			}
		}
	}
	return nil
}

// kpiLocalDate is t's calendar date in loc, as a UTC time of that date.
func kpiLocalDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
