package metrics

import (
	"context"
	"fmt"
	"time"
)

// productHourRow is one product's sales in one hour and currency
// (kpi_product_hours): units net of canceled units and line totals of the
// non-canceled orders, and the smallest line title.
type productHourRow struct {
	Hour      time.Time
	ProductID string
	Currency  string
	Title     string
	Units     int64
	Revenue   int64
}

// stockHourRow is one variant's stock ledger in one hour
// (kpi_stock_hours): units sold and the net change of all movements.
type stockHourRow struct {
	Hour      time.Time
	VariantID string
	Sold      int64
	Delta     int64
}

// hourRollupRows are the rows of every rollup for a range of hours.
type hourRollupRows struct {
	orders    []orderHourRow
	hours     []hourRow
	products  []productHourRow
	stock     []stockHourRow
	customers presenceSet
	users     presenceSet
}

// hourRollups computes the rollups of the UTC hours [a, b) from the base
// tables.
func (k *KPIs) hourRollups(ctx context.Context, a, b time.Time) (hourRollupRows, error) {
	out := hourRollupRows{customers: presenceSet{}}
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
		return out, fmt.Errorf("rollup orders: %w", err)
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
		if o.CustomerID != nil {
			out.customers.add(o.CreatedAt, *o.CustomerID)
		}
	}
	var refunds []struct {
		Currency  string
		Amount    int64
		CreatedAt time.Time
	}
	if err := conn.Raw(`SELECT currency, amount, created_at FROM order_refunds WHERE created_at >= ? AND created_at < ?`,
		a, b).Scan(&refunds).Error; err != nil {
		return out, fmt.Errorf("rollup refunds: %w", err)
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
		return out, fmt.Errorf("rollup carts: %w", err)
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
		return out, fmt.Errorf("rollup purged carts: %w", err)
	}
	for _, p := range purged {
		hr(p.CreatedHour).Carts += p.CartsWithItems
	}
	events, err := k.sessionEvents(ctx, a, b)
	if err != nil {
		return out, err
	}
	sessions, err := k.judgeSessions(ctx, events, "")
	if err != nil {
		return out, err
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
	if out.users, err = k.userHours(ctx, a, b, events); err != nil {
		return out, err
	}
	if out.products, err = k.productHours(ctx, a, b); err != nil {
		return out, err
	}
	if out.stock, err = k.stockHours(ctx, a, b); err != nil {
		return out, err
	}
	for _, r := range orderHours {
		out.orders = append(out.orders, *r)
	}
	for _, r := range hours {
		out.hours = append(out.hours, *r)
	}
	return out, nil
}

// productHours adds up the lines of the non-canceled orders placed in the
// hours [a, b) per hour, product and currency.
func (k *KPIs) productHours(ctx context.Context, a, b time.Time) ([]productHourRow, error) {
	var lines []struct {
		CreatedAt                  time.Time
		ProductID, Currency, Title string
		Quantity, Canceled, Total  int64
	}
	if err := k.db.Conn(ctx).Raw(`SELECT o.created_at, i.product_id, o.currency, i.title,
		i.quantity, i.canceled_quantity AS canceled, i.total
		FROM orders o JOIN order_items i ON i.order_id = o.id
		WHERE o.created_at >= ? AND o.created_at < ? AND o.status <> 'canceled'`, a, b).Scan(&lines).Error; err != nil {
		return nil, fmt.Errorf("rollup product hours: %w", err)
	}
	type key struct {
		hour              time.Time
		product, currency string
	}
	rows := map[key]*productHourRow{}
	var out []productHourRow
	for _, l := range lines {
		kk := key{hourOf(l.CreatedAt), l.ProductID, l.Currency}
		r := rows[kk]
		if r == nil {
			r = &productHourRow{Hour: kk.hour, ProductID: l.ProductID, Currency: l.Currency, Title: l.Title}
			rows[kk] = r
		}
		r.Title = min(r.Title, l.Title)
		r.Units += l.Quantity - l.Canceled
		r.Revenue += l.Total
	}
	for _, r := range rows {
		out = append(out, *r)
	}
	return out, nil
}

// stockHours adds up the stock ledger of the hours [a, b) per hour and
// variant.
func (k *KPIs) stockHours(ctx context.Context, a, b time.Time) ([]stockHourRow, error) {
	var moves []struct {
		VariantID, Kind string
		Delta           int64
		CreatedAt       time.Time
	}
	if err := k.db.Conn(ctx).Raw(`SELECT variant_id, kind, delta, created_at FROM stock_movements
		WHERE created_at >= ? AND created_at < ?`, a, b).Scan(&moves).Error; err != nil {
		return nil, fmt.Errorf("rollup stock hours: %w", err)
	}
	type key struct {
		hour    time.Time
		variant string
	}
	rows := map[key]*stockHourRow{}
	var out []stockHourRow
	for _, m := range moves {
		kk := key{hourOf(m.CreatedAt), m.VariantID}
		r := rows[kk]
		if r == nil {
			r = &stockHourRow{Hour: kk.hour, VariantID: m.VariantID}
			rows[kk] = r
		}
		if m.Kind == "sale" {
			r.Sold -= m.Delta
		}
		r.Delta += m.Delta
	}
	for _, r := range rows {
		out = append(out, *r)
	}
	return out, nil
}
