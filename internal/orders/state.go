package orders

import (
	"context"
	"fmt"
	"slices"
)

// The legal transitions of each state machine: to -> the states it may be
// entered from. Anything else is 409 invalid_status. (Self-transitions that
// are listed, like partially_refunded -> partially_refunded, are further
// refunds; partially_fulfilled -> partially_fulfilled a further fulfilment.)
var (
	statusFrom = map[string][]string{
		StatusConfirmed: {StatusPending},
		StatusCompleted: {StatusConfirmed},
		StatusCanceled:  {StatusPending, StatusConfirmed},
	}
	paymentFrom = map[string][]string{
		PaymentAuthorized:        {PaymentPending},
		PaymentCaptured:          {PaymentPending, PaymentAuthorized},
		PaymentPartiallyRefunded: {PaymentCaptured, PaymentPartiallyRefunded},
		PaymentRefunded:          {PaymentCaptured, PaymentPartiallyRefunded},
		PaymentVoided:            {PaymentPending, PaymentAuthorized},
		PaymentFailed:            {PaymentPending},
	}
	// A canceled (unshipped) fulfilment gives its units back: the order
	// steps back from fulfilled or partially_fulfilled.
	fulfillmentFrom = map[string][]string{
		FulfillmentUnfulfilled:        {FulfillmentPartiallyFulfilled, FulfillmentFulfilled},
		FulfillmentPartiallyFulfilled: {FulfillmentUnfulfilled, FulfillmentPartiallyFulfilled, FulfillmentFulfilled},
		FulfillmentFulfilled:          {FulfillmentUnfulfilled, FulfillmentPartiallyFulfilled},
		FulfillmentShipped:            {FulfillmentFulfilled},
		FulfillmentDelivered:          {FulfillmentShipped},
		FulfillmentReturned:           {FulfillmentDelivered},
	}
)

// Machine names a state column and its transitions.
type Machine struct {
	column string
	from   map[string][]string
}

// The three state machines of an order.
var (
	MachineStatus      = Machine{"status", statusFrom}
	MachinePayment     = Machine{"payment_status", paymentFrom}
	MachineFulfillment = Machine{"fulfillment_status", fulfillmentFrom}
)

// Legal reports whether m may go from -> to.
func (m Machine) Legal(from, to string) bool { return slices.Contains(m.from[to], from) }

// Transition moves one of an order's state machines to `to` with a guarded
// update (the current state must be a legal predecessor), in the caller's
// transaction, and records the change in the timeline; entering canceled,
// captured, fulfilled, shipped or delivered also records its outbox event
// (transitionEvent) when the transaction's work is done. extra columns are set
// in the same update (e.g. canceled_at). It returns ErrInvalidTransition,
// naming the current state, when the order is not in a state that allows it.
func (s *Service) Transition(ctx context.Context, orderID string, m Machine, to, actor string, extra map[string]any) error {
	from := m.from[to]
	if len(from) == 0 {
		return fmt.Errorf("orders: no transition into %s %q", m.column, to)
	}
	set := map[string]any{m.column: to, "updated_at": s.now()}
	for k, v := range extra {
		set[k] = v
	}
	var before orderRow
	if err := s.db.Conn(ctx).Select("id", m.column).Where("id = ?", orderID).Take(&before).Error; err != nil {
		return ErrOrderNotFound
	}
	res := s.db.Conn(ctx).Model(&orderRow{}).Where("id = ? AND "+m.column+" IN ?", orderID, from).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("order %s -> %s: %w", m.column, to, res.Error)
	}
	if res.RowsAffected == 0 {
		var cur orderRow
		if err := s.db.Conn(ctx).Where("id = ?", orderID).Take(&cur).Error; err != nil {
			return ErrOrderNotFound
		}
		return ErrInvalidTransition.WithDetail("%s is %s; it cannot become %s", m.column, current(cur, m), to)
	}
	if err := s.record(ctx, orderID, "order."+m.column+"."+to, actor, map[string]any{"from": current(before, m), "to": to}); err != nil {
		return err
	}
	if typ := transitionEvent(m, to); typ != "" {
		return s.emit(ctx, typ, resourceOrder, orderID)
	}
	return nil
}

func current(r orderRow, m Machine) string {
	switch m.column {
	case "status":
		return r.Status
	case "payment_status":
		return r.PaymentStatus
	default:
		return r.FulfillmentStatus
	}
}
