package metrics

import (
	"context"
	"fmt"
	"slices"
)

// topProductRow is a product's sales in one currency (and, for a filtered
// report, to one customer).
type topProductRow struct {
	ProductID  string
	Title      string
	CustomerID *string
	Currency   string
	Units      int64
	Total      int64
}

// topProducts: the ten products with the most units in the period's
// non-canceled orders (units net of canceled units). rolled reads them
// from kpi_product_hours (unfiltered, the period on whole hours). A
// product's title is its current one, else (deleted since) the smallest
// title of its lines.
func (k *KPIs) topProducts(ctx context.Context, q KPIQuery, f kpiFilter, rolled bool) ([]TopProduct, error) {
	var rows []topProductRow
	if rolled {
		if err := k.db.Conn(ctx).Raw(`SELECT r.product_id, MIN(COALESCE(p.title, r.title)) AS title, r.currency,
			CAST(SUM(r.units) AS BIGINT) AS units, CAST(SUM(r.revenue) AS BIGINT) AS total
			FROM kpi_product_hours r LEFT JOIN products p ON p.id = r.product_id
			WHERE r.hour >= ? AND r.hour < ? GROUP BY r.product_id, r.currency`, q.From.UTC(), q.To.UTC()).
			Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("kpi top product rollups: %w", err)
		}
		return rankProducts(rows, q, f), nil
	}
	// The database adds up the lines per product and currency (and per
	// customer when a filter needs to see who ordered).
	cust, group := "MIN(o.customer_id)", ""
	if !f.all() {
		cust, group = "o.customer_id", ", o.customer_id"
	}
	cond, args := channelCond(q.SalesChannel, "o.sales_channel_id")
	if err := k.db.Conn(ctx).Raw(`SELECT i.product_id, MIN(COALESCE(p.title, i.title)) AS title, `+cust+` AS customer_id,
		o.currency, CAST(SUM(i.quantity - i.canceled_quantity) AS BIGINT) AS units, CAST(SUM(i.total) AS BIGINT) AS total
		FROM order_items i JOIN orders o ON o.id = i.order_id LEFT JOIN products p ON p.id = i.product_id
		WHERE o.created_at >= ? AND o.created_at < ? AND o.status <> 'canceled'`+cond+`
		GROUP BY i.product_id, o.currency`+group, withArgs([]any{q.From.UTC(), q.To.UTC()}, args)...).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("kpi top products: %w", err)
	}
	return rankProducts(rows, q, f), nil
}

// rankProducts adds up the rows per product and keeps the ten with the
// most units (ties by product id).
func rankProducts(rows []topProductRow, q KPIQuery, f kpiFilter) []TopProduct {
	type agg struct {
		p       TopProduct
		revenue map[string]int64
	}
	byID := map[string]*agg{}
	for _, r := range rows {
		if !f.keepsOrder(r.CustomerID) || q.Currency != "" && r.Currency != q.Currency {
			continue
		}
		a := byID[r.ProductID]
		if a == nil {
			a = &agg{p: TopProduct{ProductID: r.ProductID, Title: r.Title}, revenue: map[string]int64{}}
			byID[r.ProductID] = a
		}
		a.p.Title = min(a.p.Title, r.Title)
		a.p.Units += r.Units
		a.revenue[r.Currency] += r.Total
	}
	out := make([]TopProduct, 0, len(byID))
	for _, a := range byID {
		a.p.Revenue = kpiMoney(a.revenue)
		out = append(out, a.p)
	}
	slices.SortFunc(out, func(x, y TopProduct) int {
		if x.Units != y.Units {
			if x.Units > y.Units {
				return -1
			}
			return 1
		}
		if x.ProductID < y.ProductID {
			return -1
		}
		return 1
	})
	if len(out) > 10 {
		out = out[:10]
	}
	return out
}

// lowStock counts stock levels at or below their reorder point now (in
// the warehouses of salesChannel, when given).
func (k *KPIs) lowStock(ctx context.Context, salesChannel string) (int, error) {
	var n int64
	cond, args := warehouseCond(salesChannel, "warehouse_id")
	if err := k.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM stock_levels
		WHERE reorder_point > 0 AND on_hand - reserved <= reorder_point`+cond, args...).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("kpi low stock: %w", err)
	}
	return int(n), nil
}
