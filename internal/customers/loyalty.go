package customers

import "context"

// LoyaltyStanding is a customer's place in the loyalty programme, as the
// staff view shows it.
type LoyaltyStanding struct {
	// Points is the balance the customer may redeem.
	Points int64 `json:"points" binding:"required" example:"420"`
	// Tier is the key of the customer's VIP tier; null without one (or
	// without a programme).
	Tier *string `json:"tier" binding:"required" extensions:"x-nullable" example:"silver"`
} // @name CustomerLoyaltyStanding

// LoyaltyLedger is the loyalty domain as the staff view needs it, declared
// here by its consumer so customers does not import loyalty.
type LoyaltyLedger interface {
	Balance(ctx context.Context, customerID string) (points int64, tier string, err error)
}

// SetLoyalty wires the loyalty domain in at start-up (it is built after
// customers). Until then, or with nil, every customer shows no points.
func (s *Service) SetLoyalty(l LoyaltyLedger) { s.loyalty = l }

// loyaltyStanding asks the wired ledger, or answers no points.
func (s *Service) loyaltyStanding(ctx context.Context, customerID string) (LoyaltyStanding, error) {
	if s.loyalty == nil {
		return LoyaltyStanding{}, nil
	}
	points, tier, err := s.loyalty.Balance(ctx, customerID)
	if err != nil {
		return LoyaltyStanding{}, err
	}
	st := LoyaltyStanding{Points: points}
	if tier != "" {
		st.Tier = &tier
	}
	return st, nil
}
