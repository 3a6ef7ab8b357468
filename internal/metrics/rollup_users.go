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
func (k *KPIs) rollupUsers(ctx context.Context, _ KPIQuery, _ kpiFilter, accs []*kpiAcc, _ func(time.Time, func(*kpiAcc))) error {
	for _, a := range accs {
		c, err := countPresence(ctx, k.db.Conn(ctx), userPresence, a.span.start, a.span.start, a.span.end)
		if err != nil {
			return err
		}
		a.uniqueUsers = int(c.Keys)
	}
	return nil
}

// rollupRetention is retentionFigures over kpi_customer_hours: for each
// period, the customers who ordered in the period of the same length
// before it, and how many of them ordered in it.
func (k *KPIs) rollupRetention(ctx context.Context, _ KPIQuery, _ kpiFilter, accs []*kpiAcc, _ func(time.Time, func(*kpiAcc))) error {
	for _, a := range accs {
		s, e := a.span.start, a.span.end
		c, err := countPresence(ctx, k.db.Conn(ctx), customerPresence, s.Add(-e.Sub(s)), s, e)
		if err != nil {
			return err
		}
		a.retainBase, a.retained = int(c.Base), int(c.Kept)
	}
	return nil
}
