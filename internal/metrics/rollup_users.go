package metrics

import (
	"context"
	"fmt"
	"time"
)

// userHours lists the shoppers of the events in the UTC hours [a, b), for
// kpi_user_hours: the customer the event carries, else the one its
// anonymous id was seen with (the smallest such customer id, as the direct
// computation resolves it), else the anonymous id. evs holds (at least)
// every event of [a, b).
func (k *KPIs) userHours(ctx context.Context, a, b time.Time, evs []kpiEventRow) (presenceSet, error) {
	conn := k.db.Conn(ctx)
	var links []struct{ AnonymousID, CustomerID string }
	if err := conn.Raw(`SELECT anonymous_id, MIN(customer_id) AS customer_id FROM metric_events
		WHERE customer_id IS NOT NULL AND anonymous_id IN (SELECT anonymous_id FROM metric_events
			WHERE occurred_at >= ? AND occurred_at < ?)
		GROUP BY anonymous_id`, a, b).Scan(&links).Error; err != nil {
		return nil, fmt.Errorf("rollup user links: %w", err)
	}
	owner := make(map[string]string, len(links))
	for _, l := range links {
		owner[l.AnonymousID] = l.CustomerID
	}
	seen := presenceSet{}
	for _, e := range evs {
		if !e.OccurredAt.Before(a) && e.OccurredAt.Before(b) {
			seen.add(e.OccurredAt, userKey(e.AnonymousID, e.CustomerID, owner))
		}
	}
	return seen, nil
}

// userKey names the shopper of an event: "c:" and the customer id when the
// event carries one or its anonymous id is known to belong to one, else
// "a:" and the anonymous id.
func userKey(anon string, customer *string, owner map[string]string) string {
	cust := owner[anon]
	if customer != nil {
		cust = *customer
	}
	if cust != "" {
		return "c:" + cust
	}
	return "a:" + anon
}

// rollupUsers is userFigures over kpi_user_hours (unfiltered reports on
// whole hours): each period's distinct shoppers, counted in the database.
// A shopper counts in a bucket on their first hour in it (their previous
// hour is before the bucket), and in the whole period on their first hour
// in it, which lies in one of the buckets: one pass over the period's
// rows counts both.
func (k *KPIs) rollupUsers(ctx context.Context, _ KPIQuery, _ kpiFilter, accs []*kpiAcc, _ func(time.Time, func(*kpiAcc))) error {
	buckets, sum := accs[:len(accs)-1], accs[len(accs)-1]
	parts := make([]presencePart, len(buckets))
	for i, a := range buckets {
		parts[i] = presencePart{fmt.Sprintf(`SELECT %d AS i,
			COALESCE(SUM(CASE WHEN prev_hour IS NULL OR prev_hour < ? THEN 1 ELSE 0 END), 0) AS a,
			COALESCE(SUM(CASE WHEN prev_hour IS NULL OR prev_hour < ? THEN 1 ELSE 0 END), 0) AS b, 0 AS c
			FROM kpi_user_hours WHERE hour >= ? AND hour < ?`, i),
			[]any{a.span.start, sum.span.start, a.span.start, a.span.end}}
	}
	counts, err := countPresence(ctx, k.db.Conn(ctx), parts)
	if err != nil {
		return err
	}
	for _, c := range counts {
		buckets[c.I].uniqueUsers = int(c.A)
		sum.uniqueUsers += int(c.B)
	}
	return nil
}

// rollupRetention is retentionFigures over kpi_customer_hours: for each
// period [s, e), the customers who ordered in the period of the same
// length before it, [p, s) (their first hour there links to before p),
// and how many of them ordered in [s, e) (their first hour there links
// into [p, s)). The whole period's returning customers are counted on the
// buckets' rows too; only its previous period needs a pass of its own.
func (k *KPIs) rollupRetention(ctx context.Context, _ KPIQuery, _ kpiFilter, accs []*kpiAcc, _ func(time.Time, func(*kpiAcc))) error {
	buckets, sum := accs[:len(accs)-1], accs[len(accs)-1]
	before := func(s kpiSpan) time.Time { return s.start.Add(-s.end.Sub(s.start)) }
	sp := before(sum.span)
	parts := make([]presencePart, 0, len(buckets)+1)
	for i, a := range buckets {
		s, e := a.span.start, a.span.end
		p := before(a.span)
		parts = append(parts, presencePart{fmt.Sprintf(`SELECT %d AS i,
			COALESCE(SUM(CASE WHEN hour < ? AND (prev_hour IS NULL OR prev_hour < ?) THEN 1 ELSE 0 END), 0) AS a,
			COALESCE(SUM(CASE WHEN hour >= ? AND prev_hour >= ? AND prev_hour < ? THEN 1 ELSE 0 END), 0) AS b,
			COALESCE(SUM(CASE WHEN hour >= ? AND prev_hour >= ? AND prev_hour < ? THEN 1 ELSE 0 END), 0) AS c
			FROM kpi_customer_hours WHERE hour >= ? AND hour < ?`, i),
			[]any{s, p, s, p, s, s, sp, sum.span.start, p, e}})
	}
	parts = append(parts, presencePart{fmt.Sprintf(`SELECT %d AS i,
		COALESCE(SUM(CASE WHEN prev_hour IS NULL OR prev_hour < ? THEN 1 ELSE 0 END), 0) AS a, 0 AS b, 0 AS c
		FROM kpi_customer_hours WHERE hour >= ? AND hour < ?`, len(buckets)), []any{sp, sp, sum.span.start}})
	counts, err := countPresence(ctx, k.db.Conn(ctx), parts)
	if err != nil {
		return err
	}
	for _, c := range counts {
		if c.I == len(buckets) {
			sum.retainBase = int(c.A)
			continue
		}
		buckets[c.I].retainBase, buckets[c.I].retained = int(c.A), int(c.B)
		sum.retained += int(c.C)
	}
	return nil
}
