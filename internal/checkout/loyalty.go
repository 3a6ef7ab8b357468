package checkout

import (
	"context"
	"errors"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// Loyalty is the loyalty programme as checkout sees it (docs/loyalty.md).
type Loyalty interface {
	// RedeemValue is what one point is worth, and whether points can be
	// redeemed at all.
	RedeemValue(ctx context.Context) (money.Amount, bool, error)
	// Balance is the customer's points.
	Balance(ctx context.Context, customerID string) (int64, string, error)
	// Spend debits points for an order, in the caller's transaction; a
	// short balance is an error (the guard two racing checkouts meet).
	Spend(ctx context.Context, customerID, orderID string, points int64) error
}

// WithLoyalty turns on redeeming loyalty points at checkout.
func WithLoyalty(l Loyalty) Option { return func(s *Service) { s.loyalty = l } }

// CartLoyalty is the points a cart redeems and what they take off.
type CartLoyalty struct {
	Points int64        `json:"points" binding:"required" example:"500"`
	Amount money.Amount `json:"amount" binding:"required"`
} // @name CartLoyalty

// LoyaltyInput asks to redeem points on a cart.
type LoyaltyInput struct {
	Points int64 `json:"points" binding:"required" minimum:"1" example:"500"`
} // @name CartLoyaltyInput

// Errors of redeeming points.
var (
	ErrLoyaltyUnavailable = errs.New(errs.Unprocessable, "loyalty_unavailable",
		"loyalty points cannot be redeemed on this cart")
	ErrInsufficientPoints = errs.New(errs.Unprocessable, "insufficient_points",
		"the customer does not have that many points")
	ErrPointsOverSubtotal = errs.New(errs.Unprocessable, "points_exceed_subtotal",
		"the points are worth more than the items after other discounts")
)

func pointsField(e *errs.Error, msg string) error {
	return e.WithFields(errs.FieldError{Field: "points", Message: msg})
}

// ApplyLoyalty redeems points on a customer's cart: whole points, at least
// one, no more than the customer holds, worth no more than the items after
// the codes' discounts. They are debited at checkout, in its transaction.
func (s *Service) ApplyLoyalty(ctx context.Context, actor auth.Actor, cartID string, in LoyaltyInput) (Cart, error) {
	if in.Points <= 0 || in.Points > 1_000_000_000 {
		return Cart{}, errs.Invalidf("points", "must be a whole number of points, 1 or more")
	}
	return s.changeCart(ctx, actor, cartID, func(ctx context.Context, r *cartRow) error {
		r.LoyaltyPoints = in.Points
		pts, perr, err := s.redemptionOf(ctx, *r)
		if err != nil {
			return err
		}
		if perr != nil {
			return perr
		}
		pc, err := s.price(ctx, *r, nil)
		if err != nil {
			return err
		}
		if pc.totals.LoyaltyPoints != pts.Points {
			return pointsField(ErrPointsOverSubtotal, "the items after other discounts are worth fewer points")
		}
		return s.db.Conn(ctx).Model(&cartRow{}).Where("id = ?", r.ID).
			Updates(map[string]any{"loyalty_points": in.Points, "updated_at": s.now()}).Error
	})
}

// RemoveLoyalty takes the points off the cart.
func (s *Service) RemoveLoyalty(ctx context.Context, actor auth.Actor, cartID string) (Cart, error) {
	return s.changeCart(ctx, actor, cartID, func(ctx context.Context, r *cartRow) error {
		return s.db.Conn(ctx).Model(&cartRow{}).Where("id = ?", r.ID).
			Updates(map[string]any{"loyalty_points": 0, "updated_at": s.now()}).Error
	})
}

// redemptionOf is the cart's redemption, or why it cannot be redeemed now
// (the programme stopped, another currency, no account, a short balance).
func (s *Service) redemptionOf(ctx context.Context, r cartRow) (redemption, error, error) {
	if r.LoyaltyPoints <= 0 {
		return redemption{}, nil, nil
	}
	if s.loyalty == nil || r.CustomerID == nil {
		return redemption{}, pointsField(ErrLoyaltyUnavailable, "points are redeemed on a signed-in customer's cart"), nil
	}
	v, ok, err := s.loyalty.RedeemValue(ctx)
	if err != nil {
		return redemption{}, nil, err
	}
	if !ok || v.Currency != r.Currency || v.Minor <= 0 {
		return redemption{}, pointsField(ErrLoyaltyUnavailable, "points are not redeemable in this currency"), nil
	}
	bal, _, err := s.loyalty.Balance(ctx, *r.CustomerID)
	if err != nil {
		return redemption{}, nil, err
	}
	if bal < r.LoyaltyPoints {
		return redemption{}, pointsField(ErrInsufficientPoints, "is more than the customer holds"), nil
	}
	return redemption{Points: r.LoyaltyPoints, Value: v}, nil, nil
}

// spendPoints debits the order's points (place's transaction).
func (s *Service) spendPoints(ctx context.Context, pc pricedCart, orderID string) error {
	err := s.loyalty.Spend(ctx, deref(pc.row.CustomerID), orderID, pc.totals.LoyaltyPoints)
	if e, ok := errs.As(err); ok && e.Code == "insufficient_points" {
		return pointsField(ErrInsufficientPoints, "is more than the customer holds")
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return err
}
