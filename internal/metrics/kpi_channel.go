package metrics

import (
	"context"
	"fmt"

	"storekeep/internal/platform/errs"
)

// The sales channel filter (docs/sales-channels.md, "Numbers per
// channel"): a report for one channel counts that channel's orders
// (orders.sales_channel_id), carts (carts.sales_channel_id) and
// storefront events (metric_events.sales_channel_id, the channel of the
// request that reported them), and the stock of the warehouses that
// fulfil it. It is computed from the base tables: the hourly rollups have
// no channel dimension.

// channelCond is the SQL condition keeping the rows of salesChannel in
// column col (" AND col = ?") with its argument; empty without a filter.
func channelCond(salesChannel, col string) (string, []any) {
	if salesChannel == "" {
		return "", nil
	}
	return " AND " + col + " = ?", []any{salesChannel}
}

// checkSalesChannel: an unknown sales channel in a filter is 422 on
// field.
func (k *KPIs) checkSalesChannel(ctx context.Context, field, salesChannel string) error {
	if salesChannel == "" {
		return nil
	}
	var n int64
	if err := k.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM sales_channels WHERE id = ?`, salesChannel).
		Scan(&n).Error; err != nil {
		return fmt.Errorf("kpi sales channel: %w", err)
	}
	if n == 0 {
		return errs.Invalidf(field, "no sales channel has this id")
	}
	return nil
}

// warehouseCond keeps the rows of col in the warehouses that fulfil
// salesChannel (active or not: a warehouse deactivated for a while keeps
// its history); empty without a filter.
func warehouseCond(salesChannel, col string) (string, []any) {
	if salesChannel == "" {
		return "", nil
	}
	return " AND " + col + " IN (SELECT warehouse_id FROM sales_channel_warehouses WHERE sales_channel_id = ?)",
		[]any{salesChannel}
}

// withArgs appends the condition's arguments to args.
func withArgs(args []any, more []any) []any { return append(args, more...) }
