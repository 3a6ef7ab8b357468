package inventory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// ReceiveInput records goods arriving against a purchase order.
type ReceiveInput struct {
	// WarehouseID is where the goods were put away.
	WarehouseID string        `json:"warehouse_id" binding:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Items       []ReceiveItem `json:"items" binding:"required"`
} // @name PurchaseOrderReceipt

// ReceiveItem is how many units of one line arrived.
type ReceiveItem struct {
	VariantID string `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	Quantity  int64  `json:"quantity" binding:"required" minimum:"1" maximum:"1000000" example:"12"`
} // @name PurchaseOrderReceiptItem

// ReceivePurchaseOrder adds received goods to stock. In ONE transaction it:
// claims the order with a guarded status update (only sent or partially
// received orders; this also serialises receipts of one order on
// PostgreSQL), raises each line's received with a conditional update that
// cannot pass the ordered quantity, records a receipt movement per line in
// the stock ledger (reference = the order id), and sets the status to
// received when every line is complete, else partially_received. Any failure
// rolls all of it back: 422 over_receipt names the line, 409 invalid_status
// for draft, received or canceled orders.
func (s *Service) ReceivePurchaseOrder(ctx context.Context, actor auth.Actor, poID string, in ReceiveInput) (PurchaseOrder, error) {
	if err := canReceive(actor); err != nil {
		return PurchaseOrder{}, err
	}
	if !id.Valid("po", poID) {
		return PurchaseOrder{}, ErrPurchaseOrderNotFound
	}
	if err := checkReceipt(in); err != nil {
		return PurchaseOrder{}, err
	}
	var out PurchaseOrder
	err := s.write(ctx, func(ctx context.Context) error {
		// Claim first: partially_received is the one status every receivable
		// order may move to, so this guarded update both checks the status
		// and takes the row lock before any line changes.
		if err := s.transition(ctx, poID, POPartiallyReceived, nil); err != nil {
			return err
		}
		if _, err := s.warehouseByID(ctx, "warehouse_id", in.WarehouseID); err != nil {
			return err
		}
		// Stock rows are locked in variant order, the order reservations
		// and adjustments lock them in, so a receipt racing a checkout on
		// PostgreSQL cannot deadlock; errors still name the line as sent.
		for _, i := range byVariant(in.Items) {
			it := in.Items[i]
			if err := s.receiveLine(ctx, poID, i, it); err != nil {
				return err
			}
			_, _, err := s.move(ctx, Move{VariantID: it.VariantID, WarehouseID: in.WarehouseID, Delta: it.Quantity,
				Kind: KindReceipt, Reason: "purchase order receipt", Reference: poID, Actor: actor})
			if err != nil {
				return err
			}
		}
		if err := s.settleReceived(ctx, poID); err != nil {
			return err
		}
		var err error
		out, err = s.loadPO(ctx, poID)
		return err
	})
	return out, err
}

// byVariant returns the indexes of items sorted by variant id.
func byVariant(items []ReceiveItem) []int {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(items[a].VariantID, items[b].VariantID) })
	return idx
}

// checkReceipt validates the shape of a receipt before touching the database.
func checkReceipt(in ReceiveInput) error {
	c := &fieldChecks{}
	if in.WarehouseID == "" {
		c.add("warehouse_id", "is required")
	}
	if len(in.Items) == 0 || len(in.Items) > MaxPOItems {
		c.add("items", "must have between 1 and %d lines", MaxPOItems)
	}
	seen := map[string]bool{}
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d].", i)
		if seen[it.VariantID] {
			c.add(f+"variant_id", "appears twice; put the whole quantity on one line")
		}
		seen[it.VariantID] = true
		c.between(f+"quantity", it.Quantity, 1, MaxDelta)
	}
	return c.err()
}

// receiveLine raises one line's received by it.Quantity with a conditional
// update: received + n <= quantity is checked by the database in the same
// statement, so concurrent receipts can never exceed the ordered quantity.
// Zero rows: the variant is not on the order, or it would be over-received.
func (s *Service) receiveLine(ctx context.Context, poID string, i int, it ReceiveItem) error {
	res := s.db.Conn(ctx).Exec(`UPDATE purchase_order_items SET received = received + ?
		WHERE po_id = ? AND variant_id = ? AND received + ? <= quantity`,
		it.Quantity, poID, it.VariantID, it.Quantity)
	if res.Error != nil {
		return fmt.Errorf("receive purchase order line: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var lines []poItemRow
	if err := s.db.Conn(ctx).Where("po_id = ? AND variant_id = ?", poID, it.VariantID).Find(&lines).Error; err != nil {
		return fmt.Errorf("read purchase order line: %w", err)
	}
	f := fmt.Sprintf("items[%d].", i)
	if len(lines) == 0 {
		return errs.Invalidf(f+"variant_id", "is not on this purchase order")
	}
	l := lines[0]
	return ErrOverReceipt.WithDetail("%d of %d already received; at most %d more can be received",
		l.Received, l.Quantity, l.Quantity-l.Received).
		WithFields(errs.FieldError{Field: f + "quantity", Message: fmt.Sprintf("must be at most %d", l.Quantity-l.Received)})
}

// settleReceived sets received when every line is complete. The order is
// already partially_received (claimed by the receipt).
func (s *Service) settleReceived(ctx context.Context, poID string) error {
	var open int64
	err := s.db.Conn(ctx).Model(&poItemRow{}).Where("po_id = ? AND received < quantity", poID).Count(&open).Error
	if err != nil {
		return fmt.Errorf("count open purchase order lines: %w", err)
	}
	if open > 0 {
		return nil
	}
	return s.transition(ctx, poID, POReceived, nil)
}
