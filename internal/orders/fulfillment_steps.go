package orders

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// ShipInput is how a fulfilment left the warehouse.
type ShipInput struct {
	Carrier        string `json:"carrier" validate:"required,max=100" example:"Colissimo"`
	TrackingNumber string `json:"tracking_number" validate:"required,max=100" example:"6A12345678901"`
} // @name ShipFulfillmentInput

// shipmentFrom lists, per fulfilment status, the statuses it is entered
// from (a fulfilment may be shipped without a packing step).
var shipmentFrom = map[string][]string{
	FulfillmentPacked:    {FulfillmentCreated},
	FulfillmentShipped:   {FulfillmentCreated, FulfillmentPacked},
	FulfillmentDelivered: {FulfillmentShipped},
}

// PackFulfillment marks a fulfilment packed (created -> packed).
func (s *Service) PackFulfillment(ctx context.Context, actor auth.Actor, orderID, fulfillmentID string) (Fulfillment, error) {
	return s.stepFulfillment(ctx, actor, orderID, fulfillmentID, FulfillmentPacked, nil)
}

// ShipFulfillment records the carrier and tracking number (created or
// packed -> shipped). When every unit of the order is fulfilled and every
// fulfilment has shipped, the order's fulfillment_status becomes shipped.
func (s *Service) ShipFulfillment(ctx context.Context, actor auth.Actor, orderID, fulfillmentID string, in ShipInput) (Fulfillment, error) {
	in.Carrier, in.TrackingNumber = strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNumber)
	var fields []errs.FieldError
	if in.Carrier == "" || len(in.Carrier) > 100 {
		fields = append(fields, errs.FieldError{Field: "carrier", Message: "is required (at most 100 characters)"})
	}
	if in.TrackingNumber == "" || len(in.TrackingNumber) > 100 {
		fields = append(fields, errs.FieldError{Field: "tracking_number", Message: "is required (at most 100 characters)"})
	}
	if len(fields) > 0 {
		return Fulfillment{}, errs.ErrValidation.WithFields(fields...)
	}
	return s.stepFulfillment(ctx, actor, orderID, fulfillmentID, FulfillmentShipped,
		map[string]any{"carrier": in.Carrier, "tracking_number": in.TrackingNumber})
}

// DeliverFulfillment marks a shipped fulfilment delivered. When every
// fulfilment of a shipped order is delivered, its fulfillment_status becomes
// delivered and its status completed.
func (s *Service) DeliverFulfillment(ctx context.Context, actor auth.Actor, orderID, fulfillmentID string) (Fulfillment, error) {
	return s.stepFulfillment(ctx, actor, orderID, fulfillmentID, FulfillmentDelivered, nil)
}

// stepFulfillment moves a fulfilment to `to` with a guarded update, under
// the order's lock, then advances the order when all fulfilments caught up.
func (s *Service) stepFulfillment(ctx context.Context, actor auth.Actor, orderID, fulfillmentID, to string, set map[string]any) (Fulfillment, error) {
	if err := canFulfil(actor); err != nil {
		return Fulfillment{}, err
	}
	if !id.Valid("order", orderID) {
		return Fulfillment{}, ErrOrderNotFound
	}
	if !id.Valid("ful", fulfillmentID) {
		return Fulfillment{}, ErrFulfillmentNotFound
	}
	var out Fulfillment
	err := s.tx(ctx, func(ctx context.Context) error {
		o, err := s.lockOrder(ctx, orderID, "only confirmed orders are shipped", "status = ?", StatusConfirmed)
		if err != nil {
			return err
		}
		now := s.now()
		if set == nil {
			set = map[string]any{}
		}
		set["status"], set["updated_at"], set[to+"_at"] = to, now, now
		conn := s.db.Conn(ctx)
		res := conn.Model(&fulfillmentRow{}).Where("id = ? AND order_id = ? AND status IN ?",
			fulfillmentID, orderID, shipmentFrom[to]).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("update fulfillment: %w", res.Error)
		}
		var f fulfillmentRow
		err = conn.Where("id = ? AND order_id = ?", fulfillmentID, orderID).Take(&f).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrFulfillmentNotFound
		}
		if err != nil {
			return fmt.Errorf("read fulfillment: %w", err)
		}
		if res.RowsAffected == 0 {
			return ErrInvalidTransition.WithDetail("the fulfillment is %s; it cannot become %s", f.Status, to)
		}
		if err := s.record(ctx, orderID, "fulfillment."+to, actorName(actor), map[string]any{
			"fulfillment_id": f.ID, "carrier": f.Carrier, "tracking_number": f.TrackingNumber}); err != nil {
			return err
		}
		if err := s.advanceShipping(ctx, o, to, actorName(actor)); err != nil {
			return err
		}
		var frows []fulfillmentItemRow
		if err := conn.Where("fulfillment_id = ?", f.ID).Find(&frows).Error; err != nil {
			return fmt.Errorf("read fulfillment items: %w", err)
		}
		items, err := s.orderItems(ctx, orderID)
		if err != nil {
			return err
		}
		out, err = s.fulfillmentView(ctx, f, frows, items)
		return err
	})
	return out, err
}

// advanceShipping moves a fully fulfilled order to shipped when no
// fulfilment is left to ship, and a shipped one to delivered (and the order
// to completed) when none is left in transit.
func (s *Service) advanceShipping(ctx context.Context, o orderRow, step, actor string) error {
	var waiting []string
	switch {
	case step == FulfillmentShipped && o.FulfillmentStatus == FulfillmentFulfilled:
		waiting = []string{FulfillmentCreated, FulfillmentPacked}
	case step == FulfillmentDelivered && o.FulfillmentStatus == FulfillmentShipped:
		waiting = []string{FulfillmentCreated, FulfillmentPacked, FulfillmentShipped}
	default:
		return nil
	}
	var n int64
	if err := s.db.Conn(ctx).Model(&fulfillmentRow{}).Where("order_id = ? AND status IN ?", o.ID, waiting).
		Count(&n).Error; err != nil {
		return fmt.Errorf("count fulfillments: %w", err)
	}
	if n > 0 {
		return nil
	}
	if err := s.Transition(ctx, o.ID, MachineFulfillment, step, actor, nil); err != nil {
		return err
	}
	if step == FulfillmentDelivered {
		return s.Transition(ctx, o.ID, MachineStatus, StatusCompleted, actor, nil)
	}
	return nil
}

// Fulfillments lists an order's fulfilments, oldest first. Every staff role.
func (s *Service) Fulfillments(ctx context.Context, actor auth.Actor, orderID string) ([]Fulfillment, error) {
	if _, err := s.Order(ctx, actor, orderID); err != nil {
		return nil, err
	}
	var rows []fulfillmentRow
	conn := s.db.Conn(ctx)
	if err := conn.Where("order_id = ?", orderID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list fulfillments: %w", err)
	}
	items, err := s.orderItems(ctx, orderID)
	if err != nil {
		return nil, err
	}
	out := make([]Fulfillment, 0, len(rows))
	for _, f := range rows {
		var frows []fulfillmentItemRow
		if err := conn.Where("fulfillment_id = ?", f.ID).Find(&frows).Error; err != nil {
			return nil, fmt.Errorf("read fulfillment items: %w", err)
		}
		v, err := s.fulfillmentView(ctx, f, frows, items)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
