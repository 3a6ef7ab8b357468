package inventory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// LevelQuery filters the level list. Empty filters match everything.
type LevelQuery struct {
	VariantID   string
	WarehouseID string
	// BelowReorderPoint keeps only low levels: reorder_point > 0 and
	// available <= reorder_point.
	BelowReorderPoint bool
	// SalesChannelID keeps the levels in the warehouses that fulfil that
	// sales channel.
	SalesChannelID string
	Page           page.Request
}

// LevelPatch changes a level's reorder settings; absent fields are kept.
type LevelPatch struct {
	// ReorderPoint: at or below this available figure the level is low (0 turns it off).
	ReorderPoint *int64 `json:"reorder_point,omitempty" validate:"omitempty,min=0,max=1000000" example:"5"`
	// SafetyStock is extra stock reordering aims to keep on top of the reorder point.
	SafetyStock *int64 `json:"safety_stock,omitempty" validate:"omitempty,min=0,max=1000000" example:"3"`
	// Bin is where the variant sits in the warehouse, printed on pick lists
	// ("" clears it).
	Bin *string `json:"bin,omitempty" validate:"omitempty,max=40" example:"A-03-2"`
} // @name StockLevelPatch

// ListLevels lists stock levels ordered by (variant_id, warehouse_id).
// Warehouse staff, managers and admins.
func (s *Service) ListLevels(ctx context.Context, actor auth.Actor, q LevelQuery) (page.List[Level], error) {
	if err := canRead(actor); err != nil {
		return page.List[Level]{}, err
	}
	if q.VariantID != "" && !id.Valid("var", q.VariantID) {
		return page.List[Level]{}, errs.Invalidf("variant_id", "malformed variant id")
	}
	if q.WarehouseID != "" && !id.Valid("wh", q.WarehouseID) {
		return page.List[Level]{}, errs.Invalidf("warehouse_id", "malformed warehouse id")
	}
	tx := s.db.Conn(ctx).Model(&levelRow{}).Order("variant_id, warehouse_id").Limit(q.Page.Limit + 1)
	if q.VariantID != "" {
		tx = tx.Where("variant_id = ?", q.VariantID)
	}
	if q.WarehouseID != "" {
		tx = tx.Where("warehouse_id = ?", q.WarehouseID)
	}
	if q.BelowReorderPoint {
		tx = tx.Where("reorder_point > 0 AND on_hand - reserved <= reorder_point")
	}
	if q.SalesChannelID != "" {
		whs, err := s.levelChannelWarehouses(ctx, q.SalesChannelID)
		if err != nil {
			return page.List[Level]{}, err
		}
		if len(whs) == 0 {
			return page.List[Level]{Data: []Level{}}, nil
		}
		tx = tx.Where("warehouse_id IN ?", whs)
	}
	if c := q.Page.Cursor; !c.IsZero() {
		tx = tx.Where("variant_id > ? OR (variant_id = ? AND warehouse_id > ?)", c.Key, c.Key, c.ID)
	}
	var rows []levelRow
	if err := tx.Find(&rows).Error; err != nil {
		return page.List[Level]{}, fmt.Errorf("list levels: %w", err)
	}
	out := make([]Level, len(rows))
	for i, r := range rows {
		out[i] = r.level()
	}
	return page.Build(out, q.Page.Limit, func(l Level) page.Cursor {
		return page.Cursor{Key: l.VariantID, ID: l.WarehouseID}
	}), nil
}

// UpdateLevel sets a level's reorder point and safety stock, creating the
// level (empty) if the variant has never been stocked there. Raising the
// reorder point to or above available runs the low-stock hooks. Unknown
// variant or warehouse: 404. Warehouse staff, managers and admins.
func (s *Service) UpdateLevel(ctx context.Context, actor auth.Actor, variantID, whID string, p LevelPatch) (Level, error) {
	if err := canWrite(actor); err != nil {
		return Level{}, err
	}
	var fields []errs.FieldError
	if p.ReorderPoint != nil && (*p.ReorderPoint < 0 || *p.ReorderPoint > MaxDelta) {
		fields = append(fields, errs.FieldError{Field: "reorder_point", Message: "must be between 0 and 1000000"})
	}
	if p.SafetyStock != nil && (*p.SafetyStock < 0 || *p.SafetyStock > MaxDelta) {
		fields = append(fields, errs.FieldError{Field: "safety_stock", Message: "must be between 0 and 1000000"})
	}
	if p.Bin != nil && len(strings.TrimSpace(*p.Bin)) > 40 {
		fields = append(fields, errs.FieldError{Field: "bin", Message: "must be at most 40 characters"})
	}
	if len(fields) > 0 {
		return Level{}, errs.ErrValidation.WithFields(fields...)
	}
	var out Level
	err := s.write(ctx, func(ctx context.Context) error {
		if err := s.checkVariants(ctx, "variant_id", variantID); errors.Is(err, errs.ErrValidation) {
			return ErrLevelNotFound // path ids: unknown is 404
		} else if err != nil {
			return err
		}
		if _, err := s.warehouseRow(ctx, whID); errors.Is(err, ErrWarehouseNotFound) {
			return ErrLevelNotFound
		} else if err != nil {
			return err
		}
		now := s.now()
		if err := s.ensureLevel(ctx, variantID, whID, now); err != nil {
			return err
		}
		prev, err := s.levelRow(ctx, variantID, whID)
		if err != nil {
			return err
		}
		set := map[string]any{"updated_at": now}
		if p.ReorderPoint != nil {
			set["reorder_point"] = *p.ReorderPoint
		}
		if p.SafetyStock != nil {
			set["safety_stock"] = *p.SafetyStock
		}
		if p.Bin != nil {
			set["bin"] = strings.TrimSpace(*p.Bin)
		}
		if err := s.db.Conn(ctx).Model(&levelRow{}).
			Where("variant_id = ? AND warehouse_id = ?", variantID, whID).Updates(set).Error; err != nil {
			return fmt.Errorf("update level: %w", err)
		}
		r, err := s.levelRow(ctx, variantID, whID)
		if err != nil {
			return err
		}
		out = r.level()
		return s.checkLow(ctx, out, prev.level().Low())
	})
	return out, err
}
