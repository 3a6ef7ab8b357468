package metrics

import (
	"context"
	"fmt"
	"time"
)

// Funnel steps, in order.
var funnelSteps = []string{"sessions", "product_views", "add_to_cart", "checkout_start", "orders"}

// FunnelStep is one step of the funnel: the sessions that reached it and
// the drop from the step before.
type FunnelStep struct {
	Step string `json:"step" binding:"required" enums:"sessions,product_views,add_to_cart,checkout_start,orders"`
	// Sessions reached this step: they have its event, or an event of a
	// later step (an order counts as having gone through every step).
	Sessions int `json:"sessions" binding:"required" example:"300"`
	// Drop is how many sessions of the step before did not reach this one
	// (0 for the first step).
	Drop int `json:"drop" binding:"required" example:"900"`
	// DropRate is Drop / the previous step's sessions; null for the first
	// step and after an empty step.
	DropRate *float64 `json:"drop_rate" binding:"required" extensions:"x-nullable" format:"double" example:"0.75"`
} // @name FunnelStep

// Funnel is the marketing funnel of [from, to).
type Funnel struct {
	From  time.Time    `json:"from" binding:"required" format:"date-time"`
	To    time.Time    `json:"to" binding:"required" format:"date-time"`
	Steps []FunnelStep `json:"steps" binding:"required"`
} // @name Funnel

// Funnel counts the sessions with an event in [from, to) at each step:
// sessions, product views, add to cart, checkout start and orders (an
// order carrying the session id). With a sales channel it counts the
// channel's events and orders only.
func (k *KPIs) Funnel(ctx context.Context, from, to time.Time, salesChannel string) (Funnel, error) {
	if err := checkRange(from, to); err != nil {
		return Funnel{}, err
	}
	if err := k.checkSalesChannel(ctx, "sales_channel", salesChannel); err != nil {
		return Funnel{}, err
	}
	from, to = from.UTC(), to.UTC()
	var rows []struct {
		SessionID string
		Type      string
	}
	cond, args := channelCond(salesChannel, "sales_channel_id")
	if err := k.db.Conn(ctx).Raw(`SELECT DISTINCT session_id, type FROM metric_events
		WHERE occurred_at >= ? AND occurred_at < ?`+cond, withArgs([]any{from, to}, args)...).Scan(&rows).Error; err != nil {
		return Funnel{}, fmt.Errorf("funnel events: %w", err)
	}
	// depth: the furthest step each session reached (0: a session).
	depth := map[string]int{}
	for _, r := range rows {
		d := 0
		switch r.Type {
		case "product_view":
			d = 1
		case "add_to_cart":
			d = 2
		case "checkout_start":
			d = 3
		}
		depth[r.SessionID] = max(depth[r.SessionID], d)
	}
	ids := make([]string, 0, len(depth))
	for id := range depth {
		ids = append(ids, id)
	}
	ordered, err := k.sessionsWithOrders(ctx, ids, salesChannel)
	if err != nil {
		return Funnel{}, err
	}
	counts := make([]int, len(funnelSteps))
	for id, d := range depth {
		if ordered[id] {
			d = len(funnelSteps) - 1
		}
		for i := 0; i <= d; i++ {
			counts[i]++
		}
	}
	out := Funnel{From: from, To: to, Steps: make([]FunnelStep, len(funnelSteps))}
	for i, name := range funnelSteps {
		s := FunnelStep{Step: name, Sessions: counts[i]}
		if i > 0 {
			s.Drop = counts[i-1] - counts[i]
			s.DropRate = kpiRate(s.Drop, counts[i-1])
		}
		out.Steps[i] = s
	}
	return out, nil
}
