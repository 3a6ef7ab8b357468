package metrics

import (
	"context"
	"fmt"
	"time"
)

// userHourRow is one shopper seen in one UTC hour (kpi_user_hours,
// migration 00022): what unique users add up from, one row per
// shopper-hour instead of one per event.
type userHourRow struct {
	Hour        time.Time
	AnonymousID string
	CustomerID  string // "" when the hour's events carried none
}

// userHours lists the shoppers of the events in the UTC hours [a, b).
func (k *KPIs) userHours(ctx context.Context, a, b time.Time) ([]userHourRow, error) {
	var evs []kpiEventRow
	if err := k.db.Conn(ctx).Raw(`SELECT anonymous_id, customer_id, occurred_at FROM metric_events
		WHERE occurred_at >= ? AND occurred_at < ?`, a, b).Scan(&evs).Error; err != nil {
		return nil, fmt.Errorf("rollup user hours: %w", err)
	}
	seen := map[userHourRow]bool{}
	var out []userHourRow
	for _, e := range evs {
		r := userHourRow{Hour: hourOf(e.OccurredAt), AnonymousID: e.AnonymousID}
		if e.CustomerID != nil {
			r.CustomerID = *e.CustomerID
		}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out, nil
}

// rollupUsers is userFigures over kpi_user_hours (unfiltered reports on
// whole hours): the same users, each anonymous id resolved to the customer
// it was seen with when the report runs.
func (k *KPIs) rollupUsers(ctx context.Context, q KPIQuery, _ kpiFilter, _ []*kpiAcc, each func(time.Time, func(*kpiAcc))) error {
	owner, err := k.anonymousOwners(ctx)
	if err != nil {
		return err
	}
	var rows []userHourRow
	if err := k.db.Conn(ctx).Raw(`SELECT hour, anonymous_id, customer_id FROM kpi_user_hours
		WHERE hour >= ? AND hour < ?`, q.From.UTC(), q.To.UTC()).Scan(&rows).Error; err != nil {
		return fmt.Errorf("kpi user rollups: %w", err)
	}
	for _, r := range rows {
		user := "a:" + r.AnonymousID
		if c := r.CustomerID; c != "" {
			user = "c:" + c
		} else if c := owner[r.AnonymousID]; c != "" {
			user = "c:" + c
		}
		each(r.Hour, func(a *kpiAcc) { a.users[user] = true })
	}
	return nil
}
