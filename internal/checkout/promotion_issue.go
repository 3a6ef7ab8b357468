package checkout

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// CreateCustomerPromotion creates a promotion that only customerID may use
// (Promotion.CustomerID): a code issued to one customer. It is a trusted
// internal call without an actor: the automations service issues codes from
// its jobs, and checks a staff member's role itself before issuing one on
// their behalf. Every rule of CreatePromotion applies (409 code_taken when
// the code exists).
func (s *Service) CreateCustomerPromotion(ctx context.Context, customerID string, in PromotionInput) (Promotion, error) {
	if !id.Valid("cus", customerID) {
		return Promotion{}, errs.Invalidf("customer_id", "must be a cus_ id")
	}
	return s.createPromotion(ctx, in, &customerID)
}

// PromotionsByID returns the promotions among ids, active or not; unknown
// ids are absent from the map. One query whatever the number of ids.
func (s *Service) PromotionsByID(ctx context.Context, ids []string) (map[string]Promotion, error) {
	out := map[string]Promotion{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []promotionRow
	if err := s.db.Conn(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read promotions: %w", err)
	}
	for _, r := range rows {
		p, err := r.promotion()
		if err != nil {
			return nil, err
		}
		out[p.ID] = p
	}
	return out, nil
}

// PromotionUse is an order that used a promotion.
type PromotionUse struct {
	OrderID string
	UsedAt  time.Time
}

// FirstUses returns, for each promotion among ids that an order used, the
// first such use (a single-use code has only one).
func (s *Service) FirstUses(ctx context.Context, ids []string) (map[string]PromotionUse, error) {
	out := map[string]PromotionUse{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []promotionUsage
	if err := s.db.Conn(ctx).Where("promotion_id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read promotion usages: %w", err)
	}
	for _, u := range rows {
		if _, seen := out[u.PromotionID]; !seen {
			out[u.PromotionID] = PromotionUse{OrderID: u.OrderID, UsedAt: u.CreatedAt.UTC()}
		}
	}
	return out, nil
}
