package orders

import (
	"context"
	"fmt"

	"storekeep/internal/platform/events"
)

// The events this domain records in the outbox (docs/events.md). Each
// carries its resource as the admin API returns it, read back at the end of
// the transaction that made the change.
const (
	// EventOrderCreated: checkout placed the order (any status, pending
	// included).
	EventOrderCreated = "order.created"
	// EventOrderPaid: the payment became captured (at checkout with capture
	// on checkout, on fulfilment otherwise). An authorisation is not paid.
	EventOrderPaid = "order.paid"
	// EventOrderCanceled: status became canceled (staff, an expired or
	// failed pending payment).
	EventOrderCanceled = "order.canceled"
	// EventOrderFulfilled, EventOrderShipped, EventOrderDelivered:
	// fulfillment_status became fulfilled (every unit picked), shipped
	// (every fulfilment left) or delivered (every fulfilment arrived).
	EventOrderFulfilled = "order.fulfilled"
	EventOrderShipped   = "order.shipped"
	EventOrderDelivered = "order.delivered"
	// EventRefundCreated: money went back (staff refund, a return's refund,
	// a canceled order's refund), payload the Refund.
	EventRefundCreated = "refund.created"
	// EventReturnRequested and EventReturnReceived: a customer asked to
	// return units; staff received them. Payload the Return.
	EventReturnRequested = "return.requested"
	EventReturnReceived  = "return.received"
)

// Resource types of this domain's events (events.Event.ResourceType).
const (
	resourceOrder  = "order"
	resourceRefund = "refund"
	resourceReturn = "return"
)

// transitionEvent is the outbox event a state machine entering `to` causes
// ("" for none).
func transitionEvent(m Machine, to string) string {
	switch {
	case m.column == MachineStatus.column && to == StatusCanceled:
		return EventOrderCanceled
	case m.column == MachinePayment.column && to == PaymentCaptured:
		return EventOrderPaid
	case m.column == MachineFulfillment.column && to == FulfillmentFulfilled:
		return EventOrderFulfilled
	case m.column == MachineFulfillment.column && to == FulfillmentShipped:
		return EventOrderShipped
	case m.column == MachineFulfillment.column && to == FulfillmentDelivered:
		return EventOrderDelivered
	}
	return ""
}

// pendingEvent is an event a change called for, recorded when its
// transaction's work is done.
type pendingEvent struct{ typ, resource, subjectID string }

// outbox collects the events of one transaction (tx).
type outbox struct{ list []pendingEvent }

type outboxKey struct{}

// tx runs fn in a transaction (joining the one in ctx) and, when fn
// succeeds, records the outbox events its changes called for (emit), still
// inside the transaction: each with its resource read back then, so the
// payload is the state the whole change left, as GET returns it after the
// commit (a delivery that completes the order shows it completed). Calls
// nest: an inner tx adds to the outer one's events.
func (s *Service) tx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(outboxKey{}).(*outbox); ok {
		return s.db.WithTx(ctx, fn)
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		ob := &outbox{}
		ctx = context.WithValue(ctx, outboxKey{}, ob)
		if err := fn(ctx); err != nil {
			return err
		}
		return s.flush(ctx, ob.list)
	})
}

// emit asks for an event about a resource of this domain: at the end of the
// tx carrying it, or at once when ctx has none (a caller that opened the
// transaction itself). One event of a type per resource and transaction.
func (s *Service) emit(ctx context.Context, typ, resource, subjectID string) error {
	e := pendingEvent{typ: typ, resource: resource, subjectID: subjectID}
	ob, ok := ctx.Value(outboxKey{}).(*outbox)
	if !ok {
		return s.flush(ctx, []pendingEvent{e})
	}
	for _, p := range ob.list {
		if p == e {
			return nil
		}
	}
	ob.list = append(ob.list, e)
	return nil
}

// flush records events in the order they were asked for, each resource
// read once. order.paid is not recorded for a canceled order: money that
// arrived after a cancel is given back (refund.created says so), it does
// not make the order paid.
func (s *Service) flush(ctx context.Context, list []pendingEvent) error {
	loaded := map[pendingEvent]any{}
	for _, e := range list {
		key := pendingEvent{resource: e.resource, subjectID: e.subjectID}
		payload, ok := loaded[key]
		if !ok {
			var err error
			if payload, err = s.eventPayload(ctx, e.resource, e.subjectID); err != nil {
				return fmt.Errorf("event %s %s: %w", e.typ, e.subjectID, err)
			}
			loaded[key] = payload
		}
		if o, ok := payload.(Order); ok && e.typ == EventOrderPaid && o.Status == StatusCanceled {
			continue
		}
		if err := events.RecordAs(ctx, s.db, e.typ, e.resource, e.subjectID, payload); err != nil {
			return err
		}
	}
	return nil
}

// eventPayload reads a resource as the admin API returns it.
func (s *Service) eventPayload(ctx context.Context, resource, subjectID string) (any, error) {
	switch resource {
	case resourceOrder:
		return s.orderByID(ctx, subjectID)
	case resourceReturn:
		return s.returnByID(ctx, subjectID)
	case resourceRefund:
		var r refundRow
		if err := s.db.Conn(ctx).Where("id = ?", subjectID).Take(&r).Error; err != nil {
			return nil, fmt.Errorf("read refund: %w", err)
		}
		return r.refund(), nil
	}
	return nil, fmt.Errorf("orders: no payload for resource %q", resource)
}
