package inventory

import (
	"context"
	"fmt"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// MovementQuery filters the ledger. Empty filters match everything.
type MovementQuery struct {
	VariantID   string
	WarehouseID string
	Page        page.Request
}

// ListMovements lists ledger rows newest first (ids are time-ordered, so id
// DESC is creation order). Warehouse staff, managers and admins.
func (s *Service) ListMovements(ctx context.Context, actor auth.Actor, q MovementQuery) (page.List[Movement], error) {
	if err := canRead(actor); err != nil {
		return page.List[Movement]{}, err
	}
	if q.VariantID != "" && !id.Valid("var", q.VariantID) {
		return page.List[Movement]{}, errs.Invalidf("variant_id", "malformed variant id")
	}
	if q.WarehouseID != "" && !id.Valid("wh", q.WarehouseID) {
		return page.List[Movement]{}, errs.Invalidf("warehouse_id", "malformed warehouse id")
	}
	tx := s.db.Conn(ctx).Order("id DESC").Limit(q.Page.Limit + 1)
	if q.VariantID != "" {
		tx = tx.Where("variant_id = ?", q.VariantID)
	}
	if q.WarehouseID != "" {
		tx = tx.Where("warehouse_id = ?", q.WarehouseID)
	}
	if !q.Page.Cursor.IsZero() {
		tx = tx.Where("id < ?", q.Page.Cursor.ID)
	}
	var rows []Movement
	if err := tx.Find(&rows).Error; err != nil {
		return page.List[Movement]{}, fmt.Errorf("list movements: %w", err)
	}
	return page.Build(rows, q.Page.Limit, func(m Movement) page.Cursor { return page.Cursor{ID: m.ID} }), nil
}
