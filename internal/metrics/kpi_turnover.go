package metrics

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// stockChange is what the stock ledger did to the inventory at a moment
// (one movement, or one hour of them from kpi_stock_hours), weighted by
// variant cost (or in units): the cost of the units sold and the net
// change of the inventory value.
type stockChange struct {
	At          time.Time
	Cogs, Delta int64
}

// turnoverFigures: cost of goods sold (the ledger's sale movements) over
// the mean inventory value at each period's start and end, both at
// variant cost; in units when no variant has a cost. The inventory at a
// past time is today's on-hand minus the movements since. rolled reads the
// ledger from kpi_stock_hours (every period starts and ends on an hour).
// With a sales channel, the inventory and the ledger are those of the
// warehouses that fulfil it (stock is shared, so this is the turnover of
// the channel's warehouses, whichever channel sold).
func (k *KPIs) turnoverFigures(ctx context.Context, from time.Time, accs []*kpiAcc, rolled bool, salesChannel string) (string, error) {
	conn := k.db.Conn(ctx)
	var variants []struct {
		ID         string
		CostAmount *int64
		OnHand     int64
	}
	cond, args := warehouseCond(salesChannel, "l.warehouse_id")
	if err := conn.Raw(`SELECT v.id, v.cost_amount, COALESCE(SUM(l.on_hand), 0) AS on_hand
		FROM variants v LEFT JOIN stock_levels l ON l.variant_id = v.id`+cond+`
		GROUP BY v.id, v.cost_amount`, args...).Scan(&variants).Error; err != nil {
		return "", fmt.Errorf("kpi variants: %w", err)
	}
	basis := TurnoverUnits
	for _, v := range variants {
		if v.CostAmount != nil {
			basis = TurnoverCost
			break
		}
	}
	weight := map[string]int64{}
	var now int64
	for _, v := range variants {
		w := int64(1)
		if basis == TurnoverCost {
			w = 0
			if v.CostAmount != nil {
				w = *v.CostAmount
			}
		}
		weight[v.ID] = w
		now += w * v.OnHand
	}
	var changes []stockChange
	var err error
	if rolled {
		changes, err = k.rolledStockChanges(ctx, from, basis)
	} else {
		changes, err = k.stockChanges(ctx, from, weight, salesChannel)
	}
	if err != nil {
		return "", err
	}
	// after[i]: the value changes i.. added; sold[i]: the cost of goods
	// sold by changes ..i-1.
	after := make([]int64, len(changes)+1)
	sold := make([]int64, len(changes)+1)
	for i := len(changes) - 1; i >= 0; i-- {
		after[i] = after[i+1] + changes[i].Delta
	}
	for i, c := range changes {
		sold[i+1] = sold[i] + c.Cogs
	}
	index := func(t time.Time) int {
		return sort.Search(len(changes), func(i int) bool { return !changes[i].At.Before(t) })
	}
	for _, a := range accs {
		i, j := index(a.span.start), index(a.span.end)
		cogs := sold[j] - sold[i]
		avg := float64(now-after[i]+now-after[j]) / 2
		if avg > 0 {
			v := float64(cogs) / avg
			a.turnover = &v
		}
	}
	return basis, nil
}

// stockChanges reads the ledger's movements since from, in time order (in
// the warehouses of salesChannel, when given).
func (k *KPIs) stockChanges(ctx context.Context, from time.Time, weight map[string]int64, salesChannel string) ([]stockChange, error) {
	var moves []struct {
		VariantID string
		Delta     int64
		Kind      string
		CreatedAt time.Time
	}
	cond, args := warehouseCond(salesChannel, "warehouse_id")
	if err := k.db.Conn(ctx).Raw(`SELECT variant_id, delta, kind, created_at FROM stock_movements WHERE created_at >= ?`+cond+`
		ORDER BY created_at`, withArgs([]any{from}, args)...).Scan(&moves).Error; err != nil {
		return nil, fmt.Errorf("kpi movements: %w", err)
	}
	out := make([]stockChange, len(moves))
	for i, m := range moves {
		w := weight[m.VariantID]
		out[i] = stockChange{At: m.CreatedAt, Delta: w * m.Delta}
		if m.Kind == "sale" {
			out[i].Cogs = -w * m.Delta
		}
	}
	return out, nil
}

// rolledStockChanges reads the ledger since from (on an hour) from
// kpi_stock_hours, one change per hour, weighted in the database.
func (k *KPIs) rolledStockChanges(ctx context.Context, from time.Time, basis string) ([]stockChange, error) {
	w := "1"
	if basis == TurnoverCost {
		w = "COALESCE(v.cost_amount, 0)"
	}
	var out []stockChange
	if err := k.db.Conn(ctx).Raw(`SELECT r.hour AS at, CAST(SUM(r.sold * `+w+`) AS BIGINT) AS cogs,
		CAST(SUM(r.delta * `+w+`) AS BIGINT) AS delta
		FROM kpi_stock_hours r JOIN variants v ON v.id = r.variant_id
		WHERE r.hour >= ? GROUP BY r.hour ORDER BY r.hour`, from.UTC()).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("kpi stock rollups: %w", err)
	}
	return out, nil
}
