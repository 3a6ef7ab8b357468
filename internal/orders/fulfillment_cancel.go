package orders

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
)

// CancelFulfillment cancels a fulfilment that has not shipped (created or
// packed). In one transaction, under the order lock: the fulfilment becomes
// canceled (canceled_at), its units go back to the order's lines
// (fulfilled_quantity drops: they are to fulfil again, by a new fulfilment
// or a remainder cancellation), its stock goes back on the warehouse's
// shelf held for the order, not on sale (inventory.Unfulfil: on_hand and
// reserved rise, a sale reversal is ledgered, the order's reservation is
// reopened), and the order's fulfillment_status steps back to
// partially_fulfilled, or unfulfilled when nothing else is fulfilled. Money
// is not touched: a capture already made stays for the units that will
// still ship. A shipped, delivered or already canceled fulfilment is 409
// invalid_status (so canceling twice is 409); the order must be confirmed.
// Warehouse staff, managers and admins.
func (s *Service) CancelFulfillment(ctx context.Context, actor auth.Actor, orderID, fulfillmentID string) (Fulfillment, error) {
	if err := canFulfil(actor); err != nil {
		return Fulfillment{}, err
	}
	if !id.Valid("order", orderID) {
		return Fulfillment{}, ErrOrderNotFound
	}
	if !id.Valid("ful", fulfillmentID) {
		return Fulfillment{}, ErrFulfillmentNotFound
	}
	if s.inv == nil {
		return Fulfillment{}, ErrNotConfigured
	}
	var out Fulfillment
	err := s.tx(ctx, func(ctx context.Context) error {
		o, err := s.lockOrder(ctx, orderID, "only fulfilments of confirmed orders are canceled", "status = ?", StatusConfirmed)
		if err != nil {
			return err
		}
		f, err := s.claimFulfillmentCancel(ctx, orderID, fulfillmentID)
		if err != nil {
			return err
		}
		var frows []fulfillmentItemRow
		if err := s.db.Conn(ctx).Where("fulfillment_id = ?", f.ID).Find(&frows).Error; err != nil {
			return fmt.Errorf("read fulfillment items: %w", err)
		}
		if err := s.lowerFulfilled(ctx, frows); err != nil {
			return err
		}
		if err := s.restockForOrder(ctx, actor, o, f, frows); err != nil {
			return err
		}
		var units int64
		for _, fi := range frows {
			units += fi.Quantity
		}
		if err := s.record(ctx, orderID, "fulfillment.canceled", actorName(actor), map[string]any{
			"fulfillment_id": f.ID, "warehouse_id": f.WarehouseID, "units": units}); err != nil {
			return err
		}
		if err := s.refreshFulfillment(ctx, orderID, actorName(actor)); err != nil {
			return err
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

// claimFulfillmentCancel moves an unshipped fulfilment to canceled with a
// guarded update and returns it: 404 for a fulfilment not of this order,
// 409 for one that shipped or was already canceled.
func (s *Service) claimFulfillmentCancel(ctx context.Context, orderID, fulfillmentID string) (fulfillmentRow, error) {
	conn := s.db.Conn(ctx)
	now := s.now()
	res := conn.Model(&fulfillmentRow{}).Where("id = ? AND order_id = ? AND status IN ?",
		fulfillmentID, orderID, []string{FulfillmentCreated, FulfillmentPacked}).
		Updates(map[string]any{"status": FulfillmentCanceled, "canceled_at": now, "updated_at": now})
	if res.Error != nil {
		return fulfillmentRow{}, fmt.Errorf("cancel fulfillment: %w", res.Error)
	}
	var f fulfillmentRow
	err := conn.Where("id = ? AND order_id = ?", fulfillmentID, orderID).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return f, ErrFulfillmentNotFound
	}
	if err != nil {
		return f, fmt.Errorf("read fulfillment: %w", err)
	}
	if res.RowsAffected == 0 {
		return f, ErrInvalidTransition.WithDetail("the fulfillment is %s; only created or packed fulfillments are canceled", f.Status)
	}
	return f, nil
}

// lowerFulfilled gives a canceled fulfilment's units back to the order's
// lines (guarded: never below the units returned).
func (s *Service) lowerFulfilled(ctx context.Context, frows []fulfillmentItemRow) error {
	slices.SortFunc(frows, func(a, b fulfillmentItemRow) int { return cmp.Compare(a.OrderItemID, b.OrderItemID) })
	for _, fi := range frows {
		res := s.db.Conn(ctx).Exec(`UPDATE order_items SET fulfilled_quantity = fulfilled_quantity - ?
			WHERE id = ? AND fulfilled_quantity - ? >= returned_quantity`, fi.Quantity, fi.OrderItemID, fi.Quantity)
		if res.Error != nil {
			return fmt.Errorf("lower fulfilled quantity: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("lower fulfilled quantity of %s by %d: fewer units fulfilled", fi.OrderItemID, fi.Quantity)
		}
	}
	return nil
}

// restockForOrder puts a canceled fulfilment's stock back in its warehouse,
// held by the order's reservation (a new one when the order had none).
func (s *Service) restockForOrder(ctx context.Context, actor auth.Actor, o orderRow, f fulfillmentRow, frows []fulfillmentItemRow) error {
	lines := make([]inventory.Line, len(frows))
	for i, fi := range frows {
		lines[i] = inventory.Line{VariantID: fi.VariantID, Quantity: fi.Quantity}
	}
	in := inventory.UnfulfilInput{Reference: o.ID, WarehouseID: f.WarehouseID, Reason: "fulfillment " + f.ID + " canceled",
		Actor: actor, Until: HoldForever, Lines: lines}
	if o.ReservationID != nil {
		in.ReservationID = *o.ReservationID
	}
	r, err := s.inv.Unfulfil(ctx, in)
	if err != nil {
		return err
	}
	if o.ReservationID == nil {
		if err := s.db.Conn(ctx).Model(&orderRow{}).Where("id = ?", o.ID).Update("reservation_id", r.ID).Error; err != nil {
			return fmt.Errorf("set order reservation: %w", err)
		}
	}
	return nil
}
