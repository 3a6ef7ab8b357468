package inventory

import (
	"context"
	"fmt"
)

// AvailableIn sums, per variant of variantIDs, on_hand - reserved over the
// given warehouses that are active: a sales channel's availability (its
// warehouses only), where the catalog's shop-wide figure counts every
// active warehouse. Variants with no level there are absent (0). A trusted
// internal call (no actor): the catalog and checkout ask it for the channel
// a store request is scoped to.
func (s *Service) AvailableIn(ctx context.Context, warehouseIDs, variantIDs []string) (map[string]int64, error) {
	out := make(map[string]int64, len(variantIDs))
	if len(warehouseIDs) == 0 || len(variantIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		VariantID string
		Available int64
	}
	err := s.db.Conn(ctx).Table("stock_levels AS l").
		Select("l.variant_id, SUM(l.on_hand - l.reserved) AS available").
		Joins("JOIN warehouses w ON w.id = l.warehouse_id AND w.active").
		Where("l.warehouse_id IN ? AND l.variant_id IN ?", warehouseIDs, variantIDs).
		Group("l.variant_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("available in warehouses: %w", err)
	}
	for _, r := range rows {
		out[r.VariantID] = r.Available
	}
	return out, nil
}
