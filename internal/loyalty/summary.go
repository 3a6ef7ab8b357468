package loyalty

import (
	"context"

	"storekeep/internal/platform/money"
)

// Summary is a customer's loyalty standing.
type Summary struct {
	Points int64 `json:"points" binding:"required" example:"420"`
	// PointsValue is what the points are worth at checkout.
	PointsValue  money.Amount `json:"points_value" binding:"required"`
	Tier         *Tier        `json:"tier" binding:"required" extensions:"x-nullable"`
	TierProgress TierProgress `json:"tier_progress" binding:"required"`
	// History is the latest ledger entries, newest first (at most 50).
	History []Entry `json:"history" binding:"required"`
} // @name LoyaltySummary

// SummaryOf is the customer's points, tier, progress and latest entries.
func (s *Service) SummaryOf(ctx context.Context, customerID string) (Summary, error) {
	p, err := s.Program(ctx)
	if err != nil {
		return Summary{}, err
	}
	pts, tier, err := s.Balance(ctx, customerID)
	if err != nil {
		return Summary{}, err
	}
	out := Summary{Points: pts, Tier: p.tier(tier)}
	if out.PointsValue, err = p.RedeemValue.Mul(pts); err != nil {
		return Summary{}, err
	}
	if out.TierProgress, err = s.progress(ctx, customerID, p); err != nil {
		return Summary{}, err
	}
	out.History, err = s.History(ctx, customerID, 50)
	return out, err
}
