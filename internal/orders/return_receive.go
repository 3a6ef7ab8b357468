package orders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// Conditions of received units.
const (
	ConditionSellable = "sellable"
	ConditionDamaged  = "damaged"
)

// ReceiveInput is what arrived back in a warehouse for a return.
type ReceiveInput struct {
	WarehouseID string             `json:"warehouse_id" validate:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Items       []ReceiveItemInput `json:"items" validate:"required,min=1,max=100,dive"`
} // @name ReceiveReturnInput

// ReceiveItemInput is units of one returned line in one condition (a line
// may appear twice: some sellable, some damaged).
type ReceiveItemInput struct {
	ItemID    string `json:"item_id" validate:"required" example:"oitem_06h1wbq28dxanf5st2bqp8yfxm"`
	Quantity  int64  `json:"quantity" validate:"required,min=1,max=1000000" example:"1"`
	Condition string `json:"condition" validate:"required,oneof=sellable damaged" enums:"sellable,damaged" example:"sellable"`
} // @name ReceiveReturnItemInput

// ReceiveReturn books a requested return in: in one transaction the return
// becomes received, sellable units go back on the warehouse's shelf through
// the ledger (return_restock movements; damaged ones do not), the order
// lines' returned_quantity rises, and the refund amount is fixed: for each
// line, the share of its total paid for the received units, computed so
// that all the units of a line together refund exactly its total (largest
// remainder: the first total%quantity units carry one extra minor unit).
// When every unit of the order is returned its fulfillment_status becomes
// returned. Then, after the commit, the amount is refunded automatically
// (see RefundReturn); if the provider refuses, the return stays received
// and the failure is in the timeline. Warehouse staff, managers, admins.
func (s *Service) ReceiveReturn(ctx context.Context, actor auth.Actor, returnID string, in ReceiveInput) (Return, error) {
	if err := canFulfil(actor); err != nil {
		return Return{}, err
	}
	if !id.Valid("ret", returnID) {
		return Return{}, ErrReturnNotFound
	}
	if s.inv == nil {
		return Return{}, ErrNotConfigured
	}
	if err := validateReceive(in); err != nil {
		return Return{}, err
	}
	var orderID string
	err := s.tx(ctx, func(ctx context.Context) error {
		var err error
		orderID, err = s.receiveLocked(ctx, actor, returnID, in)
		return err
	})
	if err != nil {
		return Return{}, err
	}
	if _, err := s.refundReturn(ctx, returnID, actorName(actor)); err != nil {
		s.log.ErrorContext(ctx, "refund return", "return_id", returnID, "error", err.Error())
		if rerr := s.record(ctx, orderID, "return.refund_failed", actorName(actor), map[string]any{
			"return_id": returnID, "error": err.Error()}); rerr != nil {
			s.log.ErrorContext(ctx, "record refund failure", "return_id", returnID, "error", rerr.Error())
		}
	}
	return s.returnByID(ctx, returnID)
}

func validateReceive(in ReceiveInput) error {
	var fields []errs.FieldError
	if !id.Valid("wh", in.WarehouseID) {
		fields = append(fields, errs.FieldError{Field: "warehouse_id", Message: "unknown warehouse"})
	}
	if len(in.Items) == 0 || len(in.Items) > 100 {
		fields = append(fields, errs.FieldError{Field: "items", Message: "must have 1 to 100 items"})
	}
	for i, it := range in.Items {
		if it.Quantity < 1 || it.Quantity > 1_000_000 {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("items[%d].quantity", i), Message: "must be between 1 and 1000000"})
		}
		if it.Condition != ConditionSellable && it.Condition != ConditionDamaged {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("items[%d].condition", i), Message: "must be sellable or damaged"})
		}
	}
	if len(fields) > 0 {
		return errs.ErrValidation.WithFields(fields...)
	}
	return nil
}

// receiveLocked is ReceiveReturn's transaction; it returns the order id.
func (s *Service) receiveLocked(ctx context.Context, actor auth.Actor, returnID string, in ReceiveInput) (string, error) {
	conn := s.db.Conn(ctx)
	var r returnRow
	err := conn.Where("id = ?", returnID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", ErrReturnNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read return: %w", err)
	}
	if _, err := s.lockOrder(ctx, r.OrderID, "", "1 = 1"); err != nil {
		return "", err
	}
	if _, err := s.inv.Warehouse(ctx, actor, in.WarehouseID); errors.Is(err, inventory.ErrWarehouseNotFound) {
		return "", errs.Invalidf("warehouse_id", "unknown warehouse")
	} else if err != nil {
		return "", err
	}
	now := s.now()
	res := conn.Model(&returnRow{}).Where("id = ? AND status = ?", returnID, ReturnRequested).
		Updates(map[string]any{"status": ReturnReceived, "warehouse_id": in.WarehouseID, "received_at": now, "updated_at": now})
	if res.Error != nil {
		return "", fmt.Errorf("receive return: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return "", ErrInvalidTransition.WithDetail("the return is %s; only requested returns are received", r.Status)
	}
	var irows []returnItemRow
	if err := conn.Where("return_id = ?", returnID).Find(&irows).Error; err != nil {
		return "", fmt.Errorf("read return items: %w", err)
	}
	items, err := s.orderItems(ctx, r.OrderID)
	if err != nil {
		return "", err
	}
	got, err := receivedUnits(in, irows)
	if err != nil {
		return "", err
	}
	byID := map[string]itemRow{}
	for _, it := range items {
		byID[it.ID] = it
	}
	// Restock in variant order (the inventory lock order).
	slices.SortFunc(irows, func(a, b returnItemRow) int {
		return strings.Compare(byID[a.OrderItemID].VariantID+a.OrderItemID, byID[b.OrderItemID].VariantID+b.OrderItemID)
	})
	var refund, units, restocked int64
	for _, ri := range irows {
		it, g := byID[ri.OrderItemID], got[ri.OrderItemID]
		n := g[0] + g[1]
		if g[0] > 0 {
			if _, _, err := s.inv.Move(ctx, inventory.Move{VariantID: it.VariantID, WarehouseID: in.WarehouseID,
				Delta: g[0], Kind: inventory.KindReturnRestock, Reason: "return " + returnID, Reference: r.OrderID,
				Actor: actor}); err != nil {
				return "", err
			}
			restocked += g[0]
		}
		if err := conn.Model(&returnItemRow{}).Where("return_id = ? AND order_item_id = ?", returnID, ri.OrderItemID).
			Updates(map[string]any{"sellable": g[0], "damaged": g[1]}).Error; err != nil {
			return "", fmt.Errorf("update return item: %w", err)
		}
		if n == 0 {
			continue
		}
		res := conn.Exec(`UPDATE order_items SET returned_quantity = returned_quantity + ?
			WHERE id = ? AND returned_quantity + ? <= fulfilled_quantity`, n, it.ID, n)
		if res.Error != nil {
			return "", fmt.Errorf("raise returned quantity: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return "", ErrOverReturn.WithDetail("item %s has fewer than %d units left to return", it.ID, n)
		}
		refund += unitsShare(it.Total, it.Quantity, it.ReturnedQuantity, n)
		units += n
	}
	if err := conn.Model(&returnRow{}).Where("id = ?", returnID).Update("refund_amount", refund).Error; err != nil {
		return "", fmt.Errorf("set return refund amount: %w", err)
	}
	if err := s.record(ctx, r.OrderID, "return.received", actorName(actor), map[string]any{"return_id": returnID,
		"warehouse_id": in.WarehouseID, "units": units, "restocked": restocked, "refund_amount": refund}); err != nil {
		return "", err
	}
	if err := s.emit(ctx, EventReturnReceived, resourceReturn, returnID); err != nil {
		return "", err
	}
	var left int64
	// Canceled units never shipped: every unit has come back when the
	// returned and canceled ones make up the line.
	if err := conn.Model(&itemRow{}).Where("order_id = ? AND returned_quantity + canceled_quantity < quantity", r.OrderID).
		Count(&left).Error; err != nil {
		return "", fmt.Errorf("count unreturned items: %w", err)
	}
	if left == 0 {
		if err := s.Transition(ctx, r.OrderID, MachineFulfillment, FulfillmentReturned, actorName(actor), nil); err != nil {
			return "", err
		}
	}
	return r.OrderID, nil
}

// receivedUnits sums the received units per order line as [sellable,
// damaged], checking each line is part of the return and not over-received.
func receivedUnits(in ReceiveInput, irows []returnItemRow) (map[string][2]int64, error) {
	requested := map[string]int64{}
	for _, ri := range irows {
		requested[ri.OrderItemID] = ri.Quantity
	}
	got := map[string][2]int64{}
	var fields []errs.FieldError
	for i, it := range in.Items {
		q, ok := requested[it.ItemID]
		if !ok {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("items[%d].item_id", i), Message: "is not part of this return"})
			continue
		}
		g := got[it.ItemID]
		if it.Condition == ConditionSellable {
			g[0] += it.Quantity
		} else {
			g[1] += it.Quantity
		}
		got[it.ItemID] = g
		if g[0]+g[1] > q {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("items[%d].quantity", i),
				Message: fmt.Sprintf("only %d of this item were requested", q)})
		}
	}
	if len(fields) > 0 {
		return nil, ErrOverReturn.WithFields(fields...)
	}
	return got, nil
}

// unitsShare is what units [from, from+n) of a line of quantity units with
// total paid cost: the total split evenly, the first total%quantity units
// one minor unit more (largest remainder), so all units sum to the total.
func unitsShare(total, quantity, from, n int64) int64 {
	if quantity <= 0 || n <= 0 {
		return 0
	}
	base, extra := total/quantity, total%quantity
	// units with index < extra carry one more.
	bonus := max(0, min(from+n, extra)-from)
	return base*n + bonus
}

// RefundReturn refunds a received return's amount (what POST
// /v1/admin/returns/{id}/refund retries after an automatic refund failed):
// received -> refunded. Managers and admins.
func (s *Service) RefundReturn(ctx context.Context, actor auth.Actor, returnID string) (Return, error) {
	if err := canManage(actor); err != nil {
		return Return{}, err
	}
	if !id.Valid("ret", returnID) {
		return Return{}, ErrReturnNotFound
	}
	if _, err := s.refundReturn(ctx, returnID, actorName(actor)); err != nil {
		return Return{}, err
	}
	return s.returnByID(ctx, returnID)
}

// refundReturn refunds a received return (keyed by the return, so it
// happens once) and marks it refunded. A zero amount is marked refunded
// without calling the provider.
func (s *Service) refundReturn(ctx context.Context, returnID, actor string) (returnRow, error) {
	var r returnRow
	err := s.db.Conn(ctx).Where("id = ?", returnID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, ErrReturnNotFound
	}
	if err != nil {
		return r, fmt.Errorf("read return: %w", err)
	}
	if r.Status != ReturnReceived {
		return r, ErrInvalidTransition.WithDetail("the return is %s; only received returns are refunded", r.Status)
	}
	if r.RefundAmount > 0 {
		if s.pay == nil {
			return r, ErrNotConfigured
		}
		p, ok, err := s.primaryPayment(ctx, r.OrderID)
		if err != nil {
			return r, err
		}
		if !ok {
			return r, ErrInvalidTransition.WithDetail("the order has no payment")
		}
		if _, err := s.refundPayment(ctx, r.OrderID, p, money.Amount{Minor: r.RefundAmount, Currency: r.Currency},
			"return "+returnID, &r.ID, "return:"+returnID, actor); err != nil {
			return r, err
		}
	}
	err = s.tx(ctx, func(ctx context.Context) error {
		now := s.now()
		res := s.db.Conn(ctx).Model(&returnRow{}).Where("id = ? AND status = ?", returnID, ReturnReceived).
			Updates(map[string]any{"status": ReturnRefunded, "refunded_at": now, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("mark return refunded: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil // a concurrent retry got there first; the refund itself happened once
		}
		return s.record(ctx, r.OrderID, "return.refunded", actor, map[string]any{"return_id": returnID,
			"amount": r.RefundAmount, "currency": r.Currency})
	})
	return r, err
}

// returnByID reads one return with its lines.
func (s *Service) returnByID(ctx context.Context, returnID string) (Return, error) {
	var r returnRow
	err := s.db.Conn(ctx).Where("id = ?", returnID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Return{}, ErrReturnNotFound
	}
	if err != nil {
		return Return{}, fmt.Errorf("read return: %w", err)
	}
	v, err := s.returnViews(ctx, []returnRow{r})
	if err != nil {
		return Return{}, err
	}
	return v[0], nil
}
