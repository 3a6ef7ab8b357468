package inventory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// PurchaseOrderInput creates a draft purchase order.
type PurchaseOrderInput struct {
	SupplierID string `json:"supplier_id" binding:"required" example:"sup_06h1wbq28dxanf5st2bqp8yfxm"`
	// WarehouseID is the intended destination (optional).
	WarehouseID string                   `json:"warehouse_id,omitempty" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Notes       string                   `json:"notes,omitempty" text:"free" maxLength:"5000" example:"deliver to the back door"`
	Items       []PurchaseOrderItemInput `json:"items" binding:"required"`
} // @name PurchaseOrderInput

// PurchaseOrderItemInput is one line of a draft.
type PurchaseOrderItemInput struct {
	VariantID string `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	Quantity  int64  `json:"quantity" binding:"required" minimum:"1" maximum:"1000000" example:"24"`
	// UnitCost defaults to the supplier item's cost; it must be in the
	// supplier's currency.
	UnitCost *money.Amount `json:"unit_cost,omitempty"`
} // @name PurchaseOrderItemInput

// PurchaseOrderPatch changes a draft; absent fields are unchanged and items,
// when given, replace every line.
type PurchaseOrderPatch struct {
	// WarehouseID: an id sets the destination, "" clears it.
	WarehouseID *string                  `json:"warehouse_id,omitempty" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Notes       *string                  `json:"notes,omitempty" text:"free" maxLength:"5000"`
	Items       []PurchaseOrderItemInput `json:"items,omitempty"`
} // @name PurchaseOrderPatch

// CreatePurchaseOrder validates in and creates a draft purchase order for an
// active supplier, in its currency.
func (s *Service) CreatePurchaseOrder(ctx context.Context, actor auth.Actor, in PurchaseOrderInput) (PurchaseOrder, error) {
	if err := canBuy(actor); err != nil {
		return PurchaseOrder{}, err
	}
	var out PurchaseOrder
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		c := &fieldChecks{}
		c.text("notes", in.Notes, MaxNotesLen, false)
		sup, err := s.supplier(ctx, in.SupplierID)
		switch {
		case errors.Is(err, ErrSupplierNotFound):
			c.add("supplier_id", "unknown supplier")
		case err != nil:
			return err
		case !sup.Active:
			c.add("supplier_id", "the supplier is inactive")
		}
		var wh *string
		if in.WarehouseID != "" {
			if _, err := s.warehouseByID(ctx, "warehouse_id", in.WarehouseID); err != nil {
				return err
			}
			wh = &in.WarehouseID
		}
		if err := c.err(); err != nil {
			return err
		}
		items, err := s.poLines(ctx, sup, in.Items)
		if err != nil {
			return err
		}
		out, err = s.insertPO(ctx, sup, wh, strings.TrimSpace(in.Notes), actor.ID, items)
		return err
	})
	return out, err
}

// insertPO writes a new draft with its lines and its
// purchase_order.created event.
func (s *Service) insertPO(ctx context.Context, sup Supplier, wh *string, notes, createdBy string, items []poItemRow) (PurchaseOrder, error) {
	num, err := s.nextPONumber(ctx)
	if err != nil {
		return PurchaseOrder{}, err
	}
	now := s.now()
	row := poRow{ID: id.New("po"), Number: num, SupplierID: sup.ID, WarehouseID: wh, Status: PODraft,
		Currency: sup.Currency, Notes: notes, CreatedBy: createdBy, CreatedAt: now, UpdatedAt: now}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return PurchaseOrder{}, fmt.Errorf("insert purchase order: %w", err)
	}
	for i := range items {
		items[i].POID = row.ID
	}
	if len(items) > 0 {
		if err := s.db.Conn(ctx).Create(&items).Error; err != nil {
			return PurchaseOrder{}, fmt.Errorf("insert purchase order items: %w", err)
		}
	}
	// Read back: the event carries the purchase order exactly as GET does.
	po, err := s.loadPO(ctx, row.ID)
	if err != nil {
		return PurchaseOrder{}, err
	}
	if err := events.Record(ctx, s.db, EventPurchaseOrderCreated, po.ID, po); err != nil {
		return PurchaseOrder{}, err
	}
	return po, nil
}

// EventPurchaseOrderCreated is recorded in the outbox with every new draft
// purchase order, by staff or by the reorder job, in its transaction; the
// payload is the PurchaseOrder as the admin API returns it.
const EventPurchaseOrderCreated = "purchase_order.created"

// poLines validates draft lines: 1..MaxPOItems lines, distinct live
// variants, quantities within bounds, and a unit cost in the supplier's
// currency (given, or taken from the supplier item).
func (s *Service) poLines(ctx context.Context, sup Supplier, in []PurchaseOrderItemInput) ([]poItemRow, error) {
	c := &fieldChecks{}
	if len(in) == 0 || len(in) > MaxPOItems {
		c.add("items", "must have between 1 and %d lines", MaxPOItems)
		return nil, c.err()
	}
	ids := make([]string, 0, len(in))
	for _, it := range in {
		ids = append(ids, it.VariantID)
	}
	live, err := s.cat.LiveVariants(ctx, ids)
	if err != nil {
		return nil, err
	}
	var known []supplierItemRow
	if err := s.db.Conn(ctx).Where("supplier_id = ? AND variant_id IN ?", sup.ID, ids).Find(&known).Error; err != nil {
		return nil, fmt.Errorf("read supplier items: %w", err)
	}
	costs := make(map[string]int64, len(known))
	for _, k := range known {
		costs[k.VariantID] = k.UnitCost
	}
	seen := make(map[string]bool, len(in))
	out := make([]poItemRow, 0, len(in))
	for i, it := range in {
		f := fmt.Sprintf("items[%d].", i)
		if _, ok := live[it.VariantID]; !ok {
			c.add(f+"variant_id", "unknown variant")
		} else if seen[it.VariantID] {
			c.add(f+"variant_id", "appears twice; put the whole quantity on one line")
		}
		seen[it.VariantID] = true
		c.between(f+"quantity", it.Quantity, 1, MaxDelta)
		row := poItemRow{VariantID: it.VariantID, Quantity: it.Quantity, Position: i}
		if it.UnitCost != nil {
			checkCost(c, f+"unit_cost", *it.UnitCost, sup.Currency)
			row.UnitCost = it.UnitCost.Minor
		} else if cost, ok := costs[it.VariantID]; ok {
			row.UnitCost = cost
		} else {
			c.add(f+"unit_cost", "is required: the supplier has no cost for this variant")
		}
		out = append(out, row)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// UpdatePurchaseOrder changes a draft: notes, destination or its lines.
func (s *Service) UpdatePurchaseOrder(ctx context.Context, actor auth.Actor, poID string, p PurchaseOrderPatch) (PurchaseOrder, error) {
	if err := canBuy(actor); err != nil {
		return PurchaseOrder{}, err
	}
	if !id.Valid("po", poID) {
		return PurchaseOrder{}, ErrPurchaseOrderNotFound
	}
	var out PurchaseOrder
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		row, err := s.lockDraft(ctx, poID)
		if err != nil {
			return err
		}
		if p.Notes != nil {
			c := &fieldChecks{}
			c.text("notes", *p.Notes, MaxNotesLen, false)
			if err := c.err(); err != nil {
				return err
			}
			row.Notes = strings.TrimSpace(*p.Notes)
		}
		if p.WarehouseID != nil {
			row.WarehouseID = nil
			if *p.WarehouseID != "" {
				if _, err := s.warehouseByID(ctx, "warehouse_id", *p.WarehouseID); err != nil {
					return err
				}
				row.WarehouseID = p.WarehouseID
			}
		}
		conn := s.db.Conn(ctx)
		if p.Items != nil {
			sup, err := s.supplier(ctx, row.SupplierID)
			if err != nil {
				return err
			}
			items, err := s.poLines(ctx, sup, p.Items)
			if err != nil {
				return err
			}
			if err := conn.Where("po_id = ?", poID).Delete(&poItemRow{}).Error; err != nil {
				return fmt.Errorf("replace purchase order items: %w", err)
			}
			for i := range items {
				items[i].POID = poID
			}
			if err := conn.Create(&items).Error; err != nil {
				return fmt.Errorf("insert purchase order items: %w", err)
			}
		}
		row.UpdatedAt = s.now()
		err = conn.Model(&poRow{ID: poID}).Select("notes", "warehouse_id", "updated_at").Updates(&row).Error
		if err != nil {
			return fmt.Errorf("update purchase order: %w", err)
		}
		out, err = s.loadPO(ctx, poID)
		return err
	})
	return out, err
}

// SendPurchaseOrder marks a draft as sent to the supplier.
func (s *Service) SendPurchaseOrder(ctx context.Context, actor auth.Actor, poID string) (PurchaseOrder, error) {
	return s.changeStatus(ctx, actor, poID, POSent)
}

// CancelPurchaseOrder cancels a draft or sent order (never one with goods received).
func (s *Service) CancelPurchaseOrder(ctx context.Context, actor auth.Actor, poID string) (PurchaseOrder, error) {
	return s.changeStatus(ctx, actor, poID, POCanceled)
}

func (s *Service) changeStatus(ctx context.Context, actor auth.Actor, poID string, to POStatus) (PurchaseOrder, error) {
	if err := canBuy(actor); err != nil {
		return PurchaseOrder{}, err
	}
	if !id.Valid("po", poID) {
		return PurchaseOrder{}, ErrPurchaseOrderNotFound
	}
	var out PurchaseOrder
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var extra map[string]any
		if to == POSent {
			extra = map[string]any{"sent_at": s.now()}
		}
		if err := s.transition(ctx, poID, to, extra); err != nil {
			return err
		}
		var err error
		out, err = s.loadPO(ctx, poID)
		return err
	})
	return out, err
}

// PurchaseOrder returns one purchase order with its lines.
func (s *Service) PurchaseOrder(ctx context.Context, actor auth.Actor, poID string) (PurchaseOrder, error) {
	if err := canReadPurchasing(actor); err != nil {
		return PurchaseOrder{}, err
	}
	if !id.Valid("po", poID) {
		return PurchaseOrder{}, ErrPurchaseOrderNotFound
	}
	return s.loadPO(ctx, poID)
}

// ListPurchaseOrders lists purchase orders newest first, optionally only
// those with a status.
func (s *Service) ListPurchaseOrders(ctx context.Context, actor auth.Actor, status string, pr page.Request) (page.List[PurchaseOrder], error) {
	if err := canReadPurchasing(actor); err != nil {
		return page.List[PurchaseOrder]{}, err
	}
	q := s.db.Conn(ctx).Order("id DESC").Limit(pr.Limit + 1)
	if status != "" {
		if !POStatus(status).valid() {
			c := &fieldChecks{}
			c.add("status", "must be one of draft, sent, partially_received, received, canceled")
			return page.List[PurchaseOrder]{}, c.err()
		}
		q = q.Where("status = ?", status)
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []poRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[PurchaseOrder]{}, fmt.Errorf("list purchase orders: %w", err)
	}
	l := page.Build(rows, pr.Limit, func(r poRow) page.Cursor { return page.Cursor{ID: r.ID} })
	ids := make([]string, len(l.Data))
	for i, r := range l.Data {
		ids[i] = r.ID
	}
	items, err := s.poItems(ctx, ids...)
	if err != nil {
		return page.List[PurchaseOrder]{}, err
	}
	out := page.List[PurchaseOrder]{Data: make([]PurchaseOrder, len(l.Data)), NextCursor: l.NextCursor}
	for i, r := range l.Data {
		out.Data[i] = purchaseOrderOf(r, items[r.ID])
	}
	return out, nil
}
