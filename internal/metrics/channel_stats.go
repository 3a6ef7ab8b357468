package metrics

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/channels"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// Sales per channel (docs/sales-channels.md, "Numbers per channel"): the
// orders, units, revenue and refunds of each sales channel over a period,
// side by side. The figures are those of the KPI report (same definitions)
// restricted to the orders that record the channel; three grouped queries
// over orders, their lines and refunds answer for every channel at once.

// ChannelStatsQuery selects the period (and currency) of the figures.
type ChannelStatsQuery struct {
	From, To time.Time
	// Currency keeps orders and refunds in that currency ("" all).
	Currency string
	// SalesChannel keeps one channel ("" every channel).
	SalesChannel string
}

// ChannelStats are one sales channel's sales in a period.
type ChannelStats struct {
	SalesChannelID string `json:"sales_channel_id" binding:"required" example:"sc_01jc9z8m7k5w3v2t1s0r9q8p7n"`
	Name           string `json:"name" binding:"required" example:"Paris pop-up"`
	Kind           string `json:"kind" binding:"required" enums:"web,mobile,pos,social,marketplace"`
	Active         bool   `json:"active" binding:"required"`
	// Orders counts the channel's orders placed in the period that are not
	// canceled; CanceledOrders those canceled since.
	Orders         int `json:"orders" binding:"required" example:"42"`
	CanceledOrders int `json:"canceled_orders" binding:"required" example:"1"`
	// Units sold by those orders, net of canceled units.
	Units int64 `json:"units" binding:"required" example:"97"`
	// Revenue sums the totals of the non-canceled orders, per currency.
	Revenue []money.Amount `json:"revenue" binding:"required"`
	// AverageOrderValue: Revenue / Orders, per currency (rounded half away
	// from zero).
	AverageOrderValue []money.Amount `json:"average_order_value" binding:"required"`
	// Refunds sums the refunds given in the period on the channel's orders.
	Refunds []money.Amount `json:"refunds" binding:"required"`
} // @name SalesChannelStats

// ChannelStatsReport is every channel's figures for one period.
type ChannelStatsReport struct {
	From time.Time      `json:"from" binding:"required" format:"date-time"`
	To   time.Time      `json:"to" binding:"required" format:"date-time"`
	Data []ChannelStats `json:"data" binding:"required"`
} // @name SalesChannelStatsReport

// ChannelStats computes the figures of every sales channel (by id: the
// default web channel first), or of q.SalesChannel alone (404
// sales_channel_not_found when there is no such channel).
func (k *KPIs) ChannelStats(ctx context.Context, q ChannelStatsQuery) (ChannelStatsReport, error) {
	if err := checkRange(q.From, q.To); err != nil {
		return ChannelStatsReport{}, err
	}
	if q.Currency != "" && !money.ValidCurrency(q.Currency) {
		return ChannelStatsReport{}, errs.Invalidf("currency", "must be a known ISO 4217 code")
	}
	from, to := q.From.UTC(), q.To.UTC()
	conn := k.db.Conn(ctx)
	var list []struct {
		ID, Name, Kind string
		Active         bool
	}
	cond, args := channelCond(q.SalesChannel, "id")
	if err := conn.Raw(`SELECT id, name, kind, active FROM sales_channels WHERE 1 = 1`+cond+` ORDER BY id`, args...).
		Scan(&list).Error; err != nil {
		return ChannelStatsReport{}, fmt.Errorf("channel stats channels: %w", err)
	}
	if q.SalesChannel != "" && len(list) == 0 {
		return ChannelStatsReport{}, channels.ErrNotFound
	}
	// Each figure is grouped by channel (and currency) in the database.
	period := []any{from, to}
	cond, args = channelCond(q.SalesChannel, "o.sales_channel_id")
	if q.Currency != "" {
		cond += " AND o.currency = ?"
		args = append(args, q.Currency)
	}
	var orders []struct {
		SalesChannelID, Currency string
		Orders, Canceled         int
		Revenue                  int64
	}
	if err := conn.Raw(`SELECT o.sales_channel_id, o.currency,
		SUM(CASE WHEN o.status = 'canceled' THEN 0 ELSE 1 END) AS orders,
		SUM(CASE WHEN o.status = 'canceled' THEN 1 ELSE 0 END) AS canceled,
		CAST(SUM(CASE WHEN o.status = 'canceled' THEN 0 ELSE o.total END) AS BIGINT) AS revenue
		FROM orders o WHERE o.created_at >= ? AND o.created_at < ?`+cond+`
		GROUP BY o.sales_channel_id, o.currency`, withArgs(period, args)...).Scan(&orders).Error; err != nil {
		return ChannelStatsReport{}, fmt.Errorf("channel stats orders: %w", err)
	}
	var units []struct {
		SalesChannelID string
		Units          int64
	}
	if err := conn.Raw(`SELECT o.sales_channel_id, CAST(SUM(i.quantity - i.canceled_quantity) AS BIGINT) AS units
		FROM order_items i JOIN orders o ON o.id = i.order_id
		WHERE o.created_at >= ? AND o.created_at < ? AND o.status <> 'canceled'`+cond+`
		GROUP BY o.sales_channel_id`, withArgs(period, args)...).Scan(&units).Error; err != nil {
		return ChannelStatsReport{}, fmt.Errorf("channel stats units: %w", err)
	}
	rcond, rargs := channelCond(q.SalesChannel, "o.sales_channel_id")
	if q.Currency != "" {
		rcond += " AND r.currency = ?"
		rargs = append(rargs, q.Currency)
	}
	var refunds []struct {
		SalesChannelID, Currency string
		Amount                   int64
	}
	if err := conn.Raw(`SELECT o.sales_channel_id, r.currency, CAST(SUM(r.amount) AS BIGINT) AS amount
		FROM order_refunds r JOIN orders o ON o.id = r.order_id
		WHERE r.created_at >= ? AND r.created_at < ?`+rcond+`
		GROUP BY o.sales_channel_id, r.currency`, withArgs(period, rargs)...).Scan(&refunds).Error; err != nil {
		return ChannelStatsReport{}, fmt.Errorf("channel stats refunds: %w", err)
	}
	type acc struct {
		stats             ChannelStats
		revenue, refunded map[string]int64
		ordersBy          map[string]int64
	}
	byID := make(map[string]*acc, len(list))
	out := ChannelStatsReport{From: from, To: to, Data: make([]ChannelStats, 0, len(list))}
	for _, c := range list {
		byID[c.ID] = &acc{stats: ChannelStats{SalesChannelID: c.ID, Name: c.Name, Kind: c.Kind, Active: c.Active},
			revenue: map[string]int64{}, refunded: map[string]int64{}, ordersBy: map[string]int64{}}
	}
	for _, r := range orders {
		if a := byID[r.SalesChannelID]; a != nil {
			a.stats.Orders += r.Orders
			a.stats.CanceledOrders += r.Canceled
			if r.Orders > 0 {
				a.revenue[r.Currency] += r.Revenue
				a.ordersBy[r.Currency] += int64(r.Orders)
			}
		}
	}
	for _, r := range units {
		if a := byID[r.SalesChannelID]; a != nil {
			a.stats.Units = r.Units
		}
	}
	for _, r := range refunds {
		if a := byID[r.SalesChannelID]; a != nil {
			a.refunded[r.Currency] += r.Amount
		}
	}
	for _, c := range list {
		a := byID[c.ID]
		a.stats.Revenue, a.stats.Refunds = kpiMoney(a.revenue), kpiMoney(a.refunded)
		a.stats.AverageOrderValue = make([]money.Amount, 0, len(a.stats.Revenue))
		for _, r := range a.stats.Revenue {
			a.stats.AverageOrderValue = append(a.stats.AverageOrderValue,
				money.Amount{Minor: kpiDiv(r.Minor, a.ordersBy[r.Currency]), Currency: r.Currency})
		}
		out.Data = append(out.Data, a.stats)
	}
	return out, nil
}
