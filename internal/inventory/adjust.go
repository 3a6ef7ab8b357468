package inventory

import (
	"context"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// AdjustmentInput is a manual stock correction.
type AdjustmentInput struct {
	VariantID   string `json:"variant_id" validate:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	WarehouseID string `json:"warehouse_id" validate:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	// Delta is added to on_hand: non-zero, at most 1000000 either way.
	Delta  int64  `json:"delta" validate:"required,min=-1000000,max=1000000" example:"-2"`
	Reason string `json:"reason" text:"free" validate:"required,max=500" example:"damaged in storage"`
} // @name StockAdjustmentInput

// StockChange is the result of a stock operation: the level after it and
// the movement it recorded.
type StockChange struct {
	Level    Level    `json:"level" binding:"required"`
	Movement Movement `json:"movement" binding:"required"`
} // @name StockChange

// Adjust records a manual correction of on_hand (kind adjustment).
// Warehouse staff, managers and admins. 409 insufficient_stock when on_hand
// would go negative, stock_reserved when it would fall below reserved.
func (s *Service) Adjust(ctx context.Context, actor auth.Actor, in AdjustmentInput) (StockChange, error) {
	if err := canWrite(actor); err != nil {
		return StockChange{}, err
	}
	reason := strings.TrimSpace(in.Reason)
	if reason == "" || len(reason) > 500 {
		return StockChange{}, errs.Invalidf("reason", "is required (at most 500 characters)")
	}
	lvl, mv, err := s.Move(ctx, Move{VariantID: in.VariantID, WarehouseID: in.WarehouseID,
		Delta: in.Delta, Kind: KindAdjustment, Reason: reason, Actor: actor})
	if err != nil {
		return StockChange{}, err
	}
	return StockChange{Level: lvl, Movement: mv}, nil
}
