package loyalty

import (
	"context"
	"fmt"

	"storekeep/internal/platform/errs"
)

// spend12m is the customer's spend over the last 12 months in the
// programme's currency: the bases of earned orders less what refunds took.
func (s *Service) spend12m(ctx context.Context, customerID string, p Program) (int64, error) {
	var earned, reversed int64
	since := s.now().AddDate(-1, 0, 0)
	q := func(kind string, out *int64) error {
		return s.db.Conn(ctx).Model(&ledgerRow{}).Select("COALESCE(SUM(basis), 0)").
			Where("customer_id = ? AND kind = ? AND currency = ? AND created_at >= ?", customerID, kind,
				p.RedeemValue.Currency, since).Scan(out).Error
	}
	if err := q(KindEarn, &earned); err != nil {
		return 0, fmt.Errorf("read 12-month spend: %w", err)
	}
	if err := q(KindReverse, &reversed); err != nil {
		return 0, fmt.Errorf("read 12-month spend: %w", err)
	}
	return earned - reversed, nil
}

// setTier stores the tier spend reaches and, when it changed, records
// loyalty.tier_changed.
func (s *Service) setTier(ctx context.Context, customerID string, p Program, spend int64) (*Tier, error) {
	t := p.tierFor(spend)
	key := ""
	if t != nil {
		key = t.Key
	}
	if err := s.ensureAccount(ctx, customerID); err != nil {
		return nil, err
	}
	_, cur, err := s.Balance(ctx, customerID)
	if err != nil || cur == key {
		return t, err
	}
	if err := s.db.Conn(ctx).Model(&accountRow{}).Where("customer_id = ?", customerID).
		Updates(map[string]any{"tier": key, "updated_at": s.now()}).Error; err != nil {
		return nil, fmt.Errorf("set loyalty tier: %w", err)
	}
	if err := s.moveGroups(ctx, customerID, p.tier(cur), t); err != nil {
		return nil, err
	}
	return t, s.recordTierChange(ctx, customerID, cur, key)
}

// moveGroups takes the customer out of the old tier's group and into the
// new one's. A group deleted since the programme named it is skipped (and
// logged): a stale perk must not stop points being earned.
func (s *Service) moveGroups(ctx context.Context, customerID string, from, to *Tier) error {
	if s.groups == nil {
		return nil
	}
	skip := func(err error, groupID string) error {
		if e, ok := errs.As(err); ok && e.Kind == errs.NotFound {
			s.log.WarnContext(ctx, "loyalty tier group not found", "group_id", groupID, "customer_id", customerID)
			return nil
		}
		return err
	}
	if from != nil && from.Perks.GroupID != nil && (to == nil || to.Perks.GroupID == nil || *to.Perks.GroupID != *from.Perks.GroupID) {
		if err := skip(s.groups.Leave(ctx, *from.Perks.GroupID, customerID), *from.Perks.GroupID); err != nil {
			return err
		}
	}
	if to != nil && to.Perks.GroupID != nil {
		if err := skip(s.groups.Join(ctx, *to.Perks.GroupID, customerID), *to.Perks.GroupID); err != nil {
			return err
		}
	}
	return nil
}

// RecomputeTier sets the customer's tier from their rolling 12-month spend.
func (s *Service) RecomputeTier(ctx context.Context, customerID string) error {
	p, err := s.Program(ctx)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		spend, err := s.spend12m(ctx, customerID, p)
		if err != nil {
			return err
		}
		_, err = s.setTier(ctx, customerID, p, spend)
		return err
	})
}

// TierProgress is a customer's 12-month spend and what the next tier needs.
type TierProgress struct {
	Spend12m int64  `json:"spend_12m" binding:"required" example:"32000"`
	NextTier string `json:"next_tier" binding:"required" example:"gold"`
	// Missing is the spend (minor units of the programme's currency) still
	// needed for the next tier; 0 at the top.
	Missing int64 `json:"missing" binding:"required" example:"18000"`
} // @name LoyaltyTierProgress

func (s *Service) progress(ctx context.Context, customerID string, p Program) (TierProgress, error) {
	spend, err := s.spend12m(ctx, customerID, p)
	if err != nil {
		return TierProgress{}, err
	}
	tp := TierProgress{Spend12m: spend}
	for _, t := range p.Tiers {
		if t.MinSpend12m.Minor > spend {
			tp.NextTier, tp.Missing = t.Key, t.MinSpend12m.Minor-spend
			break
		}
	}
	return tp, nil
}

// RecomputeAllTiers is the nightly pass: the 12-month window moves, so a
// customer can drop a tier without ordering.
func (s *Service) RecomputeAllTiers(ctx context.Context) (int, error) {
	var ids []string
	if err := s.db.Conn(ctx).Model(&accountRow{}).Order("customer_id").Pluck("customer_id", &ids).Error; err != nil {
		return 0, err
	}
	for _, c := range ids {
		if err := s.RecomputeTier(ctx, c); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
