package metrics

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// onHours reports whether every bucket starts and ends on a whole UTC
// hour, so hourly rollups add up to each bucket exactly.
func onHours(spans []kpiSpan) bool {
	for _, s := range spans {
		if !s.start.Equal(hourOf(s.start)) || !s.end.Equal(hourOf(s.end)) {
			return false
		}
	}
	return true
}

// rollupFigures reads from the rollups what orderFigures, sessionFigures,
// refundFigures and cartFigures compute from the base tables.
func (k *KPIs) rollupFigures(ctx context.Context, q KPIQuery, _ kpiFilter, accs []*kpiAcc, each func(time.Time, func(*kpiAcc))) error {
	from, to := q.From.UTC(), q.To.UTC()
	conn := k.db.Conn(ctx)
	// Every hour before to: the lifetime value adds up from the start.
	var oh []orderHourRow
	if err := conn.Raw(`SELECT hour, currency, orders, canceled, revenue, customer_revenue, customer_first_orders, refunds
		FROM kpi_order_hours WHERE hour < ? ORDER BY hour`, to).Scan(&oh).Error; err != nil {
		return fmt.Errorf("kpi order rollups: %w", err)
	}
	keep := func(cur string) bool { return q.Currency == "" || cur == q.Currency }
	for _, r := range oh {
		if r.Hour.Before(from) || !keep(r.Currency) {
			continue
		}
		each(r.Hour, func(a *kpiAcc) {
			a.orders += int(r.Orders)
			a.canceled += int(r.Canceled)
			if r.Orders > 0 {
				a.ordersBy[r.Currency] += r.Orders
				a.revenue[r.Currency] += r.Revenue
			}
			if r.Refunds > 0 {
				a.refunds[r.Currency] += r.Refunds
			}
		})
	}
	// Lifetime value at each period's end: running sums over the hours.
	ends := make([]*kpiAcc, len(accs))
	copy(ends, accs)
	slices.SortStableFunc(ends, func(x, y *kpiAcc) int { return x.span.end.Compare(y.span.end) })
	sum := map[string][2]int64{}
	i := 0
	for _, a := range ends {
		for ; i < len(oh) && oh[i].Hour.Before(a.span.end); i++ {
			if r := oh[i]; keep(r.Currency) && (r.CustomerRevenue != 0 || r.CustomerFirstOrders != 0) {
				v := sum[r.Currency]
				sum[r.Currency] = [2]int64{v[0] + r.CustomerRevenue, v[1] + r.CustomerFirstOrders}
			}
		}
		for cur, v := range sum {
			if v[1] > 0 {
				a.clv[cur] = v
			}
		}
	}
	var hs []hourRow
	if err := conn.Raw(`SELECT hour, new_customers, carts, carts_ordered, sessions, converted, bounced
		FROM kpi_hours WHERE hour >= ? AND hour < ?`, from, to).Scan(&hs).Error; err != nil {
		return fmt.Errorf("kpi hour rollups: %w", err)
	}
	for _, r := range hs {
		each(r.Hour, func(a *kpiAcc) {
			a.newCustomers += int(r.NewCustomers)
			a.carts += int(r.Carts)
			a.cartsOrdered += int(r.CartsOrdered)
			a.sessions += int(r.Sessions)
			a.converted += int(r.Converted)
			a.bounced += int(r.Bounced)
		})
	}
	return nil
}
