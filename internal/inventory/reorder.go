package inventory

import (
	"context"
	"fmt"
)

// ReorderVariant is the reorder job's work for one variant: it finds the
// variant's preferred (active) supplier and makes sure a draft purchase order
// to that supplier asks for at least the suggested reorder quantity (see
// Forecast). If the supplier has an open draft, the variant's line on it is
// topped up to the suggestion (never lowered; added when missing), otherwise
// a new draft is created with that one line; the destination warehouse is left
// for the buyer to choose.
//
// It is idempotent: the suggestion does not count the draft being topped up
// as on order, and a line is only ever raised to the suggestion, so running it
// again (a retried job, a second low-stock event) changes nothing. It returns
// the draft, or nil when there is nothing to order (no preferred supplier, or
// stock and open orders already cover the need).
//
// Reorders for one supplier are serialised by a no-op update of the supplier
// row (a row lock on PostgreSQL; SQLite has a single writer), so two jobs
// racing cannot each create a draft for the same supplier.
func (s *Service) ReorderVariant(ctx context.Context, variantID string) (*PurchaseOrder, error) {
	var out *PurchaseOrder
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		item, sup, ok, err := s.preferredItem(ctx, variantID)
		if err != nil || !ok {
			return err
		}
		conn := s.db.Conn(ctx)
		if err := conn.Exec(`UPDATE suppliers SET updated_at = updated_at WHERE id = ?`, sup.ID).Error; err != nil {
			return fmt.Errorf("lock supplier: %w", err)
		}
		var drafts []poRow
		err = conn.Where("supplier_id = ? AND status = ?", sup.ID, PODraft).Order("id").Limit(1).Find(&drafts).Error
		if err != nil {
			return fmt.Errorf("find draft purchase order: %w", err)
		}
		draftID := ""
		if len(drafts) == 1 {
			draftID = drafts[0].ID
		}
		f, err := s.forecast(ctx, variantID, draftID)
		if err != nil {
			return err
		}
		want := f.SuggestedReorderQuantity
		if want == 0 {
			if draftID != "" {
				po, err := s.loadPO(ctx, draftID)
				out = &po
				return err
			}
			return nil
		}
		if draftID == "" {
			po, err := s.insertPO(ctx, sup, nil, "drafted by the reorder job: stock fell to the reorder point",
				SystemReorder, []poItemRow{{VariantID: variantID, Quantity: want, UnitCost: item.UnitCost}})
			out = &po
			return err
		}
		if err := s.topUp(ctx, draftID, variantID, want, item.UnitCost); err != nil {
			return err
		}
		po, err := s.loadPO(ctx, draftID)
		out = &po
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reorder %s: %w", variantID, err)
	}
	return out, nil
}

// topUp raises the draft's line for the variant to want units, or adds the
// line. The guarded updates only touch a draft, so a purchase order sent in
// the meantime is never changed behind the supplier's back.
func (s *Service) topUp(ctx context.Context, poID, variantID string, want, unitCost int64) error {
	if _, err := s.lockDraft(ctx, poID); err != nil {
		return err
	}
	conn := s.db.Conn(ctx)
	res := conn.Exec(`UPDATE purchase_order_items SET quantity = ?
		WHERE po_id = ? AND variant_id = ? AND quantity < ?`, want, poID, variantID, want)
	if res.Error != nil {
		return fmt.Errorf("top up purchase order line: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := conn.Model(&poItemRow{}).Where("po_id = ? AND variant_id = ?", poID, variantID).Count(&n).Error; err != nil {
		return fmt.Errorf("read purchase order line: %w", err)
	}
	if n == 1 {
		return nil // already at or above the suggestion
	}
	var pos struct{ Next int }
	if err := conn.Raw(`SELECT COALESCE(MAX(position), -1) + 1 AS next FROM purchase_order_items WHERE po_id = ?`,
		poID).Scan(&pos).Error; err != nil {
		return fmt.Errorf("next line position: %w", err)
	}
	line := poItemRow{POID: poID, VariantID: variantID, Quantity: want, UnitCost: unitCost, Position: pos.Next}
	if err := conn.Create(&line).Error; err != nil {
		return fmt.Errorf("add purchase order line: %w", err)
	}
	return nil
}

// EventLowStock is the type of the event recorded when a level falls to or
// below its reorder point (delivered to webhooks by the events outbox).
const EventLowStock = "inventory.low_stock"

// ReorderArgs are the arguments of the durable reorder job; its worker calls
// ReorderVariant(ctx, VariantID).
type ReorderArgs struct {
	VariantID string `json:"variant_id"`
	// WarehouseID is the level that fell low (informational: the draft is
	// sized on the variant's stock in every active warehouse).
	WarehouseID string `json:"warehouse_id"`
}

// Kind names the job (River's JobArgs interface).
func (ReorderArgs) Kind() string { return "inventory.reorder" }

// LowStockEvent is the payload of EventLowStock.
type LowStockEvent struct {
	VariantID    string `json:"variant_id"`
	WarehouseID  string `json:"warehouse_id"`
	OnHand       int64  `json:"on_hand"`
	Reserved     int64  `json:"reserved"`
	Available    int64  `json:"available"`
	ReorderPoint int64  `json:"reorder_point"`
	SafetyStock  int64  `json:"safety_stock"`
}

// RecordEvent records a domain event in the transaction in ctx (the events
// outbox: events.Record).
type RecordEvent func(ctx context.Context, eventType, subjectID string, payload any) error

// EnqueueReorder enqueues the reorder job in the transaction in ctx
// (jobs.Enqueue), so it exists exactly when the stock change commits.
type EnqueueReorder func(ctx context.Context, args ReorderArgs) error

// ReorderOnLowStock returns the low-stock hook purchasing registers with
// OnLowStock. It runs inside the stock change's transaction and only writes
// two rows there: the inventory.low_stock event and the reorder job. The
// purchase order work happens in the job after the commit, retried on
// failure, so a slow or failing reorder never blocks or fails a sale. Either
// write failing rolls the stock change back: a low level is never left
// without its event and job.
func ReorderOnLowStock(record RecordEvent, enqueue EnqueueReorder) LowStockFunc {
	return func(ctx context.Context, lvl Level) error {
		ev := LowStockEvent{VariantID: lvl.VariantID, WarehouseID: lvl.WarehouseID, OnHand: lvl.OnHand,
			Reserved: lvl.Reserved, Available: lvl.Available, ReorderPoint: lvl.ReorderPoint,
			SafetyStock: lvl.SafetyStock}
		if err := record(ctx, EventLowStock, lvl.VariantID, ev); err != nil {
			return fmt.Errorf("record %s: %w", EventLowStock, err)
		}
		if err := enqueue(ctx, ReorderArgs{VariantID: lvl.VariantID, WarehouseID: lvl.WarehouseID}); err != nil {
			return fmt.Errorf("enqueue reorder: %w", err)
		}
		return nil
	}
}
