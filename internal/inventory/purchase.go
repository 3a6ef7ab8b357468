package inventory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/money"
)

// PurchaseOrder is an order of stock from one supplier, in its currency.
type PurchaseOrder struct {
	ID string `json:"id" binding:"required" example:"po_06h1wbq28dxanf5st2bqp8yfxm"`
	// Number is the human reference given to the supplier.
	Number     string `json:"number" binding:"required" example:"PO-000123"`
	SupplierID string `json:"supplier_id" binding:"required" example:"sup_06h1wbq28dxanf5st2bqp8yfxm"`
	// WarehouseID is the intended destination; null when not decided yet.
	// Receipts name the warehouse the goods actually went to.
	WarehouseID *string  `json:"warehouse_id" binding:"required" extensions:"x-nullable" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Status      POStatus `json:"status" binding:"required" example:"draft"`
	Currency    string   `json:"currency" binding:"required" example:"EUR"`
	Notes       string   `json:"notes" binding:"required" example:"deliver to the back door"`
	// CreatedBy is the staff or API key id, or "system:reorder" for orders
	// drafted by the reorder job.
	CreatedBy string              `json:"created_by" binding:"required" example:"stf_06h1wbq28dxanf5st2bqp8yfxm"`
	Items     []PurchaseOrderItem `json:"items" binding:"required"`
	// Total is the sum of quantity * unit_cost over the lines.
	Total     money.Amount `json:"total" binding:"required"`
	SentAt    *time.Time   `json:"sent_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T12:00:00Z"`
	CreatedAt time.Time    `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time    `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name PurchaseOrder

// PurchaseOrderItem is one line: a variant, how many were ordered and how
// many have arrived so far.
type PurchaseOrderItem struct {
	VariantID string       `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	Quantity  int64        `json:"quantity" binding:"required" example:"24"`
	Received  int64        `json:"received" binding:"required" example:"0"`
	UnitCost  money.Amount `json:"unit_cost" binding:"required"`
} // @name PurchaseOrderItem

// SystemReorder is the created_by of purchase orders drafted by the reorder job.
const SystemReorder = "system:reorder"

// poRow is a purchase_orders row.
type poRow struct {
	ID          string
	Number      string
	SupplierID  string
	WarehouseID *string
	Status      POStatus
	Currency    string
	Notes       string
	CreatedBy   string
	SentAt      *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (poRow) TableName() string { return "purchase_orders" }

// poItemRow is a purchase_order_items row.
type poItemRow struct {
	POID      string `gorm:"column:po_id;primaryKey"`
	VariantID string `gorm:"primaryKey"`
	Quantity  int64
	Received  int64
	UnitCost  int64
	Position  int
}

func (poItemRow) TableName() string { return "purchase_order_items" }

// purchaseOrderOf builds the API shape. The total saturates rather than
// failing: input limits keep real orders far below int64.
func purchaseOrderOf(r poRow, items []poItemRow) PurchaseOrder {
	po := PurchaseOrder{ID: r.ID, Number: r.Number, SupplierID: r.SupplierID, WarehouseID: r.WarehouseID,
		Status: r.Status, Currency: r.Currency, Notes: r.Notes, CreatedBy: r.CreatedBy,
		Items: make([]PurchaseOrderItem, len(items)), Total: money.Zero(r.Currency),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.SentAt != nil {
		t := r.SentAt.UTC()
		po.SentAt = &t
	}
	for i, it := range items {
		cost := money.Amount{Minor: it.UnitCost, Currency: r.Currency}
		po.Items[i] = PurchaseOrderItem{VariantID: it.VariantID, Quantity: it.Quantity, Received: it.Received,
			UnitCost: cost}
		line, err := cost.Mul(it.Quantity)
		if err == nil {
			po.Total, err = po.Total.Add(line)
		}
		if err != nil {
			po.Total.Minor = 1<<63 - 1
		}
	}
	return po
}

// loadPO reads one purchase order with its lines.
func (s *Service) loadPO(ctx context.Context, poID string) (PurchaseOrder, error) {
	row, err := s.poRow(ctx, poID)
	if err != nil {
		return PurchaseOrder{}, err
	}
	items, err := s.poItems(ctx, poID)
	if err != nil {
		return PurchaseOrder{}, err
	}
	return purchaseOrderOf(row, items[poID]), nil
}

func (s *Service) poRow(ctx context.Context, poID string) (poRow, error) {
	var r poRow
	err := s.db.Conn(ctx).Where("id = ?", poID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return poRow{}, ErrPurchaseOrderNotFound
	}
	if err != nil {
		return poRow{}, fmt.Errorf("read purchase order: %w", err)
	}
	return r, nil
}

// poItems reads the lines of the given orders, grouped by order, in order.
func (s *Service) poItems(ctx context.Context, poIDs ...string) (map[string][]poItemRow, error) {
	out := make(map[string][]poItemRow, len(poIDs))
	if len(poIDs) == 0 {
		return out, nil
	}
	var rows []poItemRow
	err := s.db.Conn(ctx).Where("po_id IN ?", poIDs).Order("po_id, position, variant_id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read purchase order items: %w", err)
	}
	for _, r := range rows {
		out[r.POID] = append(out[r.POID], r)
	}
	return out, nil
}

// transition moves an order to status to, guarded by the transition table:
// the UPDATE matches only when the current status is a legal source, so two
// racing changes cannot both apply. On PostgreSQL it also locks the row for
// the rest of the transaction. Zero rows means unknown order (404) or a
// status that does not allow it (409 invalid_status).
func (s *Service) transition(ctx context.Context, poID string, to POStatus, extra map[string]any) error {
	set := map[string]any{"status": to, "updated_at": s.now()}
	for k, v := range extra {
		set[k] = v
	}
	res := s.db.Conn(ctx).Model(&poRow{}).Where("id = ? AND status IN ?", poID, sourcesOf(to)).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("update purchase order status: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	cur, err := s.poRow(ctx, poID)
	if err != nil {
		return err
	}
	return ErrInvalidStatus.WithDetail("a %s purchase order cannot become %s", cur.Status, to)
}

// lockDraft claims a draft order for editing: a no-op UPDATE guarded by
// status = 'draft' that locks the row on PostgreSQL (SQLite has one writer),
// so a concurrent send or cancel waits for this transaction.
func (s *Service) lockDraft(ctx context.Context, poID string) (poRow, error) {
	res := s.db.Conn(ctx).Model(&poRow{}).Where("id = ? AND status = ?", poID, PODraft).
		Update("updated_at", s.now())
	if res.Error != nil {
		return poRow{}, fmt.Errorf("lock purchase order: %w", res.Error)
	}
	row, err := s.poRow(ctx, poID)
	if err != nil {
		return poRow{}, err
	}
	if res.RowsAffected == 0 {
		return poRow{}, ErrInvalidStatus.WithDetail("only a draft purchase order can be changed; this one is %s", row.Status)
	}
	return row, nil
}

// nextPONumber hands out the next human number. The single counter row is
// bumped with UPDATE ... RETURNING, atomic on both databases: concurrent
// creators serialise on the row and never share a number.
func (s *Service) nextPONumber(ctx context.Context) (string, error) {
	var n []int64
	err := s.db.Conn(ctx).Raw(`UPDATE purchase_order_numbers SET value = value + 1 WHERE name = 'po' RETURNING value`).
		Scan(&n).Error
	if err != nil || len(n) != 1 {
		return "", fmt.Errorf("next purchase order number: %w (rows %d)", err, len(n))
	}
	return fmt.Sprintf("PO-%06d", n[0]), nil
}
