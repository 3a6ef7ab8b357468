package inventory

import (
	"context"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// CountInput is the result of physically counting a level.
type CountInput struct {
	VariantID   string `json:"variant_id" validate:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	WarehouseID string `json:"warehouse_id" validate:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	// Counted is the number of units found; on_hand becomes this.
	Counted *int64 `json:"counted" validate:"required,min=0,max=1000000" example:"11"`
	Reason  string `json:"reason,omitempty" text:"free" validate:"max=500" example:"quarterly count"`
} // @name StockCountInput

// CountResult is the level after a count and the correction it ledgered
// (null when the count matched).
type CountResult struct {
	Level    Level     `json:"level" binding:"required"`
	Movement *Movement `json:"movement" binding:"required" extensions:"x-nullable"`
} // @name StockCountResult

// Count sets on_hand to a counted quantity; the ledger records the
// difference as a cycle_count movement. The difference is computed from a
// read, so the write is guarded by the level's current on_hand: a stock
// change committed between read and write makes it retry against the new
// figure. Counting below reserved is 409 stock_reserved. Warehouse staff,
// managers and admins.
func (s *Service) Count(ctx context.Context, actor auth.Actor, in CountInput) (CountResult, error) {
	if err := canWrite(actor); err != nil {
		return CountResult{}, err
	}
	if in.Counted == nil || *in.Counted < 0 || *in.Counted > MaxDelta {
		return CountResult{}, errs.Invalidf("counted", "must be between 0 and 1000000")
	}
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		reason = "cycle count"
	}
	var out CountResult
	err := s.write(ctx, func(ctx context.Context) error {
		wh, err := s.lockWarehouse(ctx, "warehouse_id", in.WarehouseID)
		if err != nil {
			return err
		}
		if err := s.checkVariants(ctx, "variant_id", in.VariantID); err != nil {
			return err
		}
		if err := s.ensureLevel(ctx, in.VariantID, in.WarehouseID, s.now()); err != nil {
			return err
		}
		// Lock the level (a no-op update) so on_hand cannot change between
		// reading it and applying the difference.
		if err := s.db.Conn(ctx).Exec(`UPDATE stock_levels SET on_hand = on_hand
			WHERE variant_id = ? AND warehouse_id = ?`, in.VariantID, in.WarehouseID).Error; err != nil {
			return err
		}
		cur, err := s.levelRow(ctx, in.VariantID, in.WarehouseID)
		if err != nil {
			return err
		}
		diff := *in.Counted - cur.OnHand
		if diff == 0 {
			out = CountResult{Level: cur.level()}
			return nil
		}
		if *in.Counted < cur.Reserved {
			return ErrStockReserved.WithDetail("counted %d but %d are reserved for open checkouts", *in.Counted, cur.Reserved)
		}
		lvl, mv, err := s.moveLevel(ctx, Move{VariantID: in.VariantID, WarehouseID: in.WarehouseID,
			Delta: diff, Kind: KindCycleCount, Reason: reason, Actor: actor})
		if err != nil {
			return err
		}
		if wh.Active {
			if err := s.cat.AddAvailable(ctx, in.VariantID, diff); err != nil {
				return err
			}
		}
		out = CountResult{Level: lvl, Movement: &mv}
		if diff < 0 {
			return s.checkLow(ctx, lvl, lvl.lowBefore(-diff))
		}
		return nil
	})
	return out, err
}
