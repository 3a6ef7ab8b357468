package inventory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// Kind is why on_hand changed; it is stored on every movement.
type Kind string // @name StockMovementKind

// The movement kinds.
const (
	KindAdjustment    Kind = "adjustment"     // manual correction with a reason
	KindReceipt       Kind = "receipt"        // goods received against a purchase order
	KindTransferOut   Kind = "transfer_out"   // leaving a warehouse in a transfer
	KindTransferIn    Kind = "transfer_in"    // arriving in a warehouse in a transfer
	KindSale          Kind = "sale"           // a committed reservation (fulfilment)
	KindReturnRestock Kind = "return_restock" // a returned item put back on the shelf
	KindCycleCount    Kind = "cycle_count"    // the difference found by a stock count
)

// valid reports whether k is a known kind.
func (k Kind) valid() bool {
	switch k {
	case KindAdjustment, KindReceipt, KindTransferOut, KindTransferIn, KindSale,
		KindReturnRestock, KindCycleCount:
		return true
	}
	return false
}

// MaxDelta bounds one movement, so a typo cannot add a billion units.
const MaxDelta = 1_000_000

// Move is one change to a level's on_hand, as the ledger records it.
type Move struct {
	VariantID   string
	WarehouseID string
	// Delta is added to on_hand; never zero.
	Delta int64
	Kind  Kind
	// Reason is free text from staff (required for adjustments).
	Reason string
	// Reference names what caused it: a purchase order, transfer or order id.
	Reference string
	// Actor is who caused it (staff, API key, or the system for jobs).
	Actor auth.Actor
}

// Movement is one ledger row.
type Movement struct {
	ID          string    `json:"id" binding:"required" example:"mov_06h1wbq28dxanf5st2bqp8yfxm"`
	VariantID   string    `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	WarehouseID string    `json:"warehouse_id" binding:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Delta       int64     `json:"delta" binding:"required" example:"-2"`
	Kind        Kind      `json:"kind" binding:"required" example:"adjustment"`
	Reason      string    `json:"reason" binding:"required" example:"damaged in storage"`
	Reference   string    `json:"reference" binding:"required" example:"trf_06h1wbq28dxanf5st2bqp8yfxm"`
	ActorKind   string    `json:"actor_kind" binding:"required" example:"staff"`
	ActorID     string    `json:"actor_id" binding:"required" example:"stf_06h1wbq28dxanf5st2bqp8yfxm"`
	CreatedAt   time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name StockMovement

// TableName maps Movement to its table.
func (Movement) TableName() string { return "stock_movements" }

// levelRow is a stock_levels row.
type levelRow struct {
	VariantID    string `gorm:"primaryKey"`
	WarehouseID  string `gorm:"primaryKey"`
	OnHand       int64
	Reserved     int64
	ReorderPoint int64
	SafetyStock  int64
	Bin          string
	UpdatedAt    time.Time
}

func (levelRow) TableName() string { return "stock_levels" }

// level converts a row to the API shape.
func (r levelRow) level() Level {
	return Level{VariantID: r.VariantID, WarehouseID: r.WarehouseID, OnHand: r.OnHand,
		Reserved: r.Reserved, Available: r.OnHand - r.Reserved, ReorderPoint: r.ReorderPoint,
		SafetyStock: r.SafetyStock, Bin: r.Bin, UpdatedAt: r.UpdatedAt}
}

// Level is what one warehouse holds of one variant.
type Level struct {
	VariantID   string `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	WarehouseID string `json:"warehouse_id" binding:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	// OnHand is the physical count.
	OnHand int64 `json:"on_hand" binding:"required" example:"12"`
	// Reserved is promised to open checkouts.
	Reserved int64 `json:"reserved" binding:"required" example:"2"`
	// Available is on_hand - reserved: what can still be sold.
	Available int64 `json:"available" binding:"required" example:"10"`
	// ReorderPoint: at or below this available figure the level is low (0 = never).
	ReorderPoint int64 `json:"reorder_point" binding:"required" example:"5"`
	// SafetyStock is extra stock reordering aims to keep.
	SafetyStock int64 `json:"safety_stock" binding:"required" example:"3"`
	// Bin is where the variant sits in the warehouse, printed on pick lists.
	Bin       string    `json:"bin" binding:"required" example:"A-03-2"`
	UpdatedAt time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name StockLevel

// Low reports whether the level is at or below a positive reorder point.
func (l Level) Low() bool { return l.ReorderPoint > 0 && l.Available <= l.ReorderPoint }

// lowBefore reports whether l was low before its available fell by drop.
func (l Level) lowBefore(drop int64) bool {
	l.Available += drop
	return l.Low()
}

// Move records m in the ledger: the exported form of move for sibling
// domains' wiring (purchase receiving, returns). See move.
func (s *Service) Move(ctx context.Context, m Move) (Level, Movement, error) {
	var (
		lvl Level
		mv  Movement
	)
	err := s.write(ctx, func(ctx context.Context) error {
		var err error
		lvl, mv, err = s.move(ctx, m)
		return err
	})
	return lvl, mv, err
}

// move is how on_hand changes (Commit's sale is the one other writer, and it
// ledgers the same way). In the transaction in ctx (or a new one) it creates the level if missing, applies the delta with one
// conditional UPDATE that cannot take on_hand below zero or below reserved,
// appends the movement, adjusts the catalog's available figure when the
// warehouse is active, and runs the low-stock hooks when available fell to or
// below the reorder point. Failures: 422 for a bad delta, kind, variant or
// warehouse; 409 insufficient_stock (on_hand would go negative) or
// stock_reserved (on_hand would fall below reserved).
func (s *Service) move(ctx context.Context, m Move) (Level, Movement, error) {
	switch {
	case m.Delta == 0:
		return Level{}, Movement{}, errs.Invalidf("delta", "must not be zero")
	case m.Delta > MaxDelta || m.Delta < -MaxDelta:
		return Level{}, Movement{}, errs.Invalidf("delta", "must be between -%d and %d", MaxDelta, MaxDelta)
	case !m.Kind.valid():
		return Level{}, Movement{}, errs.Invalidf("kind", "unknown movement kind %q", m.Kind)
	}
	var (
		lvl Level
		mv  Movement
	)
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		wh, err := s.lockWarehouse(ctx, "warehouse_id", m.WarehouseID)
		if err != nil {
			return err
		}
		lvl, mv, err = s.moveLevel(ctx, m)
		if err != nil {
			return err
		}
		if wh.Active {
			if err := s.cat.AddAvailable(ctx, m.VariantID, m.Delta); err != nil {
				return err
			}
		}
		if m.Delta < 0 {
			return s.checkLow(ctx, lvl, lvl.lowBefore(-m.Delta))
		}
		return nil
	})
	if err != nil {
		return Level{}, Movement{}, err
	}
	return lvl, mv, nil
}

// moveLevel is move's level half: it checks the variant, creates the level if
// missing, applies the delta and appends the movement, but leaves the
// catalog's available and the low-stock hooks to the caller. Callers must
// already hold the warehouse gate (lockWarehouse).
func (s *Service) moveLevel(ctx context.Context, m Move) (Level, Movement, error) {
	if err := s.checkVariants(ctx, "variant_id", m.VariantID); err != nil {
		return Level{}, Movement{}, err
	}
	now := s.now()
	if err := s.ensureLevel(ctx, m.VariantID, m.WarehouseID, now); err != nil {
		return Level{}, Movement{}, err
	}
	row, err := s.applyDelta(ctx, m.VariantID, m.WarehouseID, m.Delta, now)
	if err != nil {
		return Level{}, Movement{}, err
	}
	mv := Movement{ID: id.New("mov"), VariantID: m.VariantID, WarehouseID: m.WarehouseID,
		Delta: m.Delta, Kind: m.Kind, Reason: m.Reason, Reference: m.Reference,
		ActorKind: string(m.Actor.Kind), ActorID: m.Actor.ID, CreatedAt: now}
	if err := s.db.Conn(ctx).Create(&mv).Error; err != nil {
		return Level{}, Movement{}, fmt.Errorf("insert movement: %w", err)
	}
	return row.level(), mv, nil
}

// ensureLevel creates an empty level row unless it exists. ON CONFLICT DO
// NOTHING is portable (SQLite >= 3.24, PostgreSQL) and never blocks on or
// overwrites a concurrent creator's row.
func (s *Service) ensureLevel(ctx context.Context, variantID, warehouseID string, now time.Time) error {
	err := s.db.Conn(ctx).Exec(`INSERT INTO stock_levels
		(variant_id, warehouse_id, on_hand, reserved, reorder_point, safety_stock, updated_at)
		VALUES (?, ?, 0, 0, 0, 0, ?) ON CONFLICT DO NOTHING`, variantID, warehouseID, now).Error
	if err != nil {
		return fmt.Errorf("ensure level: %w", err)
	}
	return nil
}

// applyDelta adds delta to on_hand in one conditional statement and returns
// the new row. Zero rows means the guard failed: the level is read back only
// to say which rule (never to decide whether to write).
func (s *Service) applyDelta(ctx context.Context, variantID, warehouseID string, delta int64, now time.Time) (levelRow, error) {
	var rows []levelRow
	err := s.db.Conn(ctx).Raw(`UPDATE stock_levels SET on_hand = on_hand + ?, updated_at = ?
		WHERE variant_id = ? AND warehouse_id = ? AND on_hand + ? >= reserved
		RETURNING variant_id, warehouse_id, on_hand, reserved, reorder_point, safety_stock, updated_at`,
		delta, now, variantID, warehouseID, delta).Scan(&rows).Error
	if err != nil {
		return levelRow{}, fmt.Errorf("apply stock delta: %w", err)
	}
	if len(rows) == 1 {
		return rows[0], nil
	}
	cur, err := s.levelRow(ctx, variantID, warehouseID)
	if err != nil {
		return levelRow{}, err
	}
	if cur.OnHand+delta < 0 {
		return levelRow{}, ErrInsufficientStock.WithDetail(
			"only %d on hand, cannot remove %d", cur.OnHand, -delta)
	}
	return levelRow{}, ErrStockReserved.WithDetail(
		"%d of %d on hand are reserved, cannot remove %d", cur.Reserved, cur.OnHand, -delta)
}

// levelRow reads one level.
func (s *Service) levelRow(ctx context.Context, variantID, warehouseID string) (levelRow, error) {
	var r levelRow
	err := s.db.Conn(ctx).Where("variant_id = ? AND warehouse_id = ?", variantID, warehouseID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return levelRow{}, ErrLevelNotFound
	}
	if err != nil {
		return levelRow{}, fmt.Errorf("read level: %w", err)
	}
	return r, nil
}

// checkLow runs the low-stock hooks when lvl has just become low: it is low
// now and was not before the change (wasLow). Firing on the crossing, not on
// every change while low, keeps sales of a low SKU from paying two extra
// inserts each (BenchmarkReserveHotSKULow measured ~30 %) and gives webhook
// consumers one inventory.low_stock per fall; the periodic reorder sweep
// tops drafts up while stock keeps falling (see RegisterReordering).
func (s *Service) checkLow(ctx context.Context, lvl Level, wasLow bool) error {
	if wasLow || !lvl.Low() {
		return nil
	}
	for _, fn := range s.lowStock {
		if err := fn(ctx, lvl); err != nil {
			return fmt.Errorf("low stock hook: %w", err)
		}
	}
	return nil
}

// checkVariants returns a 422 on field unless every id is a live variant.
func (s *Service) checkVariants(ctx context.Context, field string, ids ...string) error {
	for _, v := range ids {
		if !id.Valid("var", v) {
			return errs.Invalidf(field, "unknown variant")
		}
	}
	live, err := s.cat.LiveVariants(ctx, ids)
	if err != nil {
		return err
	}
	for _, v := range ids {
		if _, ok := live[v]; !ok {
			return errs.Invalidf(field, "unknown variant")
		}
	}
	return nil
}

// Lock order. Every transaction that touches stock takes row locks in this
// order, so PostgreSQL transactions never wait on each other in a cycle:
//  1. warehouses, shared (lockWarehouse / the FOR SHARE in candidates and
//     lockLineWarehouses); only UpdateWarehouse takes one exclusively, and it
//     then touches variants only;
//  2. per variant, in variant_id order: its stock_levels rows in
//     warehouse_id order, then its variants row (Catalog.AddAvailable).
// The shared warehouse lock is the gate that makes (de)activation exact: a
// stock change that read the warehouse as active commits before the flag
// flips, and one that starts later sees the new flag. SQLite has a single
// writer, so FOR SHARE is omitted there.

// forShare returns the row-lock suffix for the dialect.
func (s *Service) forShare(of string) string {
	if s.db.Dialect() != db.Postgres {
		return ""
	}
	if of != "" {
		return " FOR SHARE OF " + of
	}
	return " FOR SHARE"
}

// lockWarehouse reads a warehouse named in a request (unknown: 422 on field)
// and holds a shared lock on it until the transaction ends.
func (s *Service) lockWarehouse(ctx context.Context, field, whID string) (warehouseRow, error) {
	if !id.Valid("wh", whID) {
		return warehouseRow{}, errs.Invalidf(field, "unknown warehouse")
	}
	var rows []warehouseRow
	err := s.db.Conn(ctx).Raw(`SELECT * FROM warehouses WHERE id = ?`+s.forShare(""), whID).Scan(&rows).Error
	if err != nil {
		return warehouseRow{}, fmt.Errorf("lock warehouse: %w", err)
	}
	if len(rows) == 0 {
		return warehouseRow{}, errs.Invalidf(field, "unknown warehouse")
	}
	return rows[0], nil
}
