package orders

import (
	"context"
	"fmt"
)

// fulfillmentRank orders the fulfilment states an order moves through
// before any return.
var fulfillmentRank = map[string]int{
	FulfillmentUnfulfilled:        0,
	FulfillmentPartiallyFulfilled: 1,
	FulfillmentFulfilled:          2,
	FulfillmentShipped:            3,
	FulfillmentDelivered:          4,
}

// fulfillmentPath is the forward path, one step at a time.
var fulfillmentPath = []string{FulfillmentPartiallyFulfilled, FulfillmentFulfilled, FulfillmentShipped, FulfillmentDelivered}

// refreshFulfillment moves the order's fulfillment_status to what its lines
// and fulfilments now say, after units were canceled or a fulfilment was
// given back (in the caller's transaction, under the order lock): nothing
// fulfilled is unfulfilled; units left to fulfil is partially_fulfilled;
// otherwise fulfilled while a fulfilment waits to ship, shipped while one is
// in transit, else delivered, and a delivered order is completed. Each step
// is a legal transition in the timeline; forward moves go one state at a
// time (partially_fulfilled -> fulfilled -> shipped -> delivered), as if
// each had happened. A returned order is left alone.
func (s *Service) refreshFulfillment(ctx context.Context, orderID, actor string) error {
	var o orderRow
	if err := s.db.Conn(ctx).Select("id", "status", "fulfillment_status").Where("id = ?", orderID).Take(&o).Error; err != nil {
		return fmt.Errorf("read order: %w", err)
	}
	from, ok := fulfillmentRank[o.FulfillmentStatus]
	if !ok {
		return nil
	}
	target, err := s.fulfillmentTarget(ctx, orderID)
	if err != nil {
		return err
	}
	cur := o.FulfillmentStatus
	if fulfillmentRank[target] < from {
		return s.Transition(ctx, orderID, MachineFulfillment, target, actor, nil)
	}
	for cur != target {
		step := target
		if !MachineFulfillment.Legal(cur, target) {
			step = fulfillmentPath[fulfillmentRank[cur]] // the next state forward
		}
		if err := s.Transition(ctx, orderID, MachineFulfillment, step, actor, nil); err != nil {
			return err
		}
		cur = step
	}
	if cur == FulfillmentDelivered && from < fulfillmentRank[FulfillmentDelivered] && o.Status == StatusConfirmed {
		return s.Transition(ctx, orderID, MachineStatus, StatusCompleted, actor, nil)
	}
	return nil
}

// fulfillmentTarget is the fulfillment_status an order's lines and live
// (not canceled) fulfilments call for.
func (s *Service) fulfillmentTarget(ctx context.Context, orderID string) (string, error) {
	items, err := s.orderItems(ctx, orderID)
	if err != nil {
		return "", err
	}
	var fulfilled, open int64
	for _, it := range items {
		fulfilled += it.FulfilledQuantity
		open += it.Quantity - it.FulfilledQuantity - it.CanceledQuantity
	}
	switch {
	case fulfilled == 0:
		return FulfillmentUnfulfilled, nil
	case open > 0:
		return FulfillmentPartiallyFulfilled, nil
	}
	var rows []struct {
		Status string
		N      int64
	}
	if err := s.db.Conn(ctx).Model(&fulfillmentRow{}).Select("status, COUNT(*) AS n").
		Where("order_id = ?", orderID).Group("status").Scan(&rows).Error; err != nil {
		return "", fmt.Errorf("count fulfillments: %w", err)
	}
	n := map[string]int64{}
	for _, r := range rows {
		n[r.Status] = r.N
	}
	switch {
	case n[FulfillmentCreated]+n[FulfillmentPacked] > 0:
		return FulfillmentFulfilled, nil
	case n[FulfillmentShipped] > 0:
		return FulfillmentShipped, nil
	}
	return FulfillmentDelivered, nil
}
