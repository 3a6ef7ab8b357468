package catalog

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Stock availability: the inventory domain owns stock levels and keeps each
// variant's available column equal to the sum, over active warehouses, of
// on_hand - reserved. These methods are trusted internal calls (no actor):
// inventory has already authorised the stock change that causes them, and
// they run inside inventory's transaction carried by ctx.

// LiveVariants reports which of ids are live (not removed) variants, mapping
// each to its allow_backorder flag. Unknown and removed variants are absent.
func (s *Service) LiveVariants(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID             string
		AllowBackorder bool
	}
	err := s.db.Conn(ctx).Model(&variantRow{}).Select("id", "allow_backorder").
		Where("id IN ? AND archived_at IS NULL", ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("live variants: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.AllowBackorder
	}
	return out, nil
}

// AddAvailable adds delta to a variant's available figure with one atomic
// increment. Inventory reports deltas rather than recomputed totals because a
// total read inside one transaction can be stale by the time it is written
// when two warehouses of the same variant change concurrently (PostgreSQL
// READ COMMITTED); an increment composes. It marks the catalog changed so
// this node's store cache stops serving the old figure. The mark happens
// before the caller's commit, so a read racing the commit can cache the old
// figure for at most the cache TTL; inventory calls Invalidate again after
// its own commits to close that window where it owns the transaction.
func (s *Service) AddAvailable(ctx context.Context, variantID string, delta int64) error {
	if delta == 0 {
		return nil
	}
	res := s.db.Conn(ctx).Model(&variantRow{}).Where("id = ?", variantID).
		UpdateColumn("available", gorm.Expr("available + ?", delta))
	if res.Error != nil {
		return fmt.Errorf("add available %s: %w", variantID, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrVariantNotFound
	}
	s.Invalidate()
	return nil
}

// SyncAvailable overwrites a variant's available figure with a total the
// caller computed under locks that make it exact (inventory's reconcile).
func (s *Service) SyncAvailable(ctx context.Context, variantID string, available int64) error {
	res := s.db.Conn(ctx).Model(&variantRow{}).Where("id = ?", variantID).
		UpdateColumn("available", available)
	if res.Error != nil {
		return fmt.Errorf("sync available %s: %w", variantID, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrVariantNotFound
	}
	s.Invalidate()
	return nil
}
