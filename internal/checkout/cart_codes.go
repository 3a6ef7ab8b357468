package checkout

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm/clause"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// ApplyCode applies a discount code to the cart. Every rule is checked now
// (validity window, usage limits, including the per-customer limit against
// the cart's customer or e-mail when it has one, combinability,
// eligibility, minimum subtotal); usage limits are enforced again,
// atomically, at checkout, where a code that ran out in the meantime fails
// the checkout rather than silently charging more. Applying a code the cart
// already has changes nothing.
// Codes that do not apply count towards the abuse limits (abuse.go).
func (s *Service) ApplyCode(ctx context.Context, actor auth.Actor, cartID, code string, meta Meta) (Cart, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || len(code) > 64 {
		return Cart{}, errs.Invalidf("code", "is required (at most 64 characters)")
	}
	lim := codeLimits(cartID, meta)
	if err := s.checkLimits(ctx, lim); err != nil {
		return Cart{}, err
	}
	c, err := s.applyCode(ctx, actor, cartID, code)
	if isCodeFailure(err) {
		s.countFailure(ctx, lim)
	}
	return c, err
}

func (s *Service) applyCode(ctx context.Context, actor auth.Actor, cartID, code string) (Cart, error) {
	return s.changeCart(ctx, actor, cartID, func(ctx context.Context, r *cartRow) error {
		p, err := s.PromotionByCode(ctx, code)
		if err != nil {
			return withField(err, "code")
		}
		ds, err := s.cartDiscounts(ctx, r.ID)
		if err != nil {
			return err
		}
		var others []Promotion
		for _, d := range ds {
			if d.PromotionID == p.ID {
				return nil
			}
			if o, err := s.PromotionByCode(ctx, d.Code); err == nil {
				others = append(others, o)
			}
		}
		pc, err := s.promotionContext(ctx, *r, others)
		if err != nil {
			return err
		}
		if pc.BuyerUses, err = s.buyerUses(ctx, []Promotion{p}, deref(r.CustomerID), r.Email); err != nil {
			return err
		}
		if err := p.Check(pc); err != nil {
			return withField(err, "code")
		}
		return s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).
			Create(&cartDiscountRow{CartID: r.ID, PromotionID: p.ID, Code: p.Code, CreatedAt: s.now()}).Error
	})
}

// RemoveCode takes a code off the cart; a code the cart does not have is 404.
func (s *Service) RemoveCode(ctx context.Context, actor auth.Actor, cartID, code string) (Cart, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	return s.changeCart(ctx, actor, cartID, func(ctx context.Context, r *cartRow) error {
		res := s.db.Conn(ctx).Where("cart_id = ? AND code = ?", r.ID, code).Delete(&cartDiscountRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrCodeNotOnCart
		}
		return nil
	})
}

// checkBuyerChange refuses to make email the cart's e-mail when a code on
// the cart would then exceed its per-customer limit: 422
// promotion_exhausted naming discounts.<CODE>, so the shopper learns it now
// (and can remove the code or keep the e-mail) instead of at checkout.
func (s *Service) checkBuyerChange(ctx context.Context, r cartRow, email string) error {
	ds, err := s.cartDiscounts(ctx, r.ID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		p, err := s.Promotion(ctx, d.PromotionID)
		if errors.Is(err, ErrPromotionNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if !p.Active || p.PerCustomerLimit == nil {
			continue // a retired code applies to nobody; an unlimited one to everybody
		}
		uses, err := s.buyerUses(ctx, []Promotion{p}, deref(r.CustomerID), email)
		if err != nil {
			return err
		}
		if uses[p.ID] >= *p.PerCustomerLimit {
			msg := fmt.Sprintf("%s can be used %d time(s) per customer and this e-mail address has used it up; remove the code to use this address",
				p.Code, *p.PerCustomerLimit)
			return ErrPromotionExhausted.WithDetail("%s", msg).WithFields(errs.FieldError{Field: "discounts." + p.Code, Message: msg})
		}
	}
	return nil
}

// ErrCodeNotOnCart is the 404 for removing a code the cart does not have.
var ErrCodeNotOnCart = errs.New(errs.NotFound, "not_found", "the cart has no such discount code")

// ShippingOptions lists the options that can ship the cart, priced for it.
func (s *Service) ShippingOptions(ctx context.Context, actor auth.Actor, cartID string) ([]CartShippingOption, error) {
	r, err := s.cartFor(ctx, actor, cartID)
	if err != nil {
		return nil, err
	}
	out := []CartShippingOption{}
	if r.RegionID == nil {
		return out, nil
	}
	opts, err := s.ShippingOptionsFor(ctx, *r.RegionID)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		t, ok, err := s.cartTotals(ctx, r, &o)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, CartShippingOption{ID: o.ID, Name: o.Name, Type: o.Type, Amount: t.Shipping})
		}
	}
	return out, nil
}

// SetShippingMethod chooses one of the cart's shipping options.
func (s *Service) SetShippingMethod(ctx context.Context, actor auth.Actor, cartID, optionID string) (Cart, error) {
	return s.changeCart(ctx, actor, cartID, func(ctx context.Context, r *cartRow) error {
		o, err := s.ShippingOption(ctx, optionID)
		if errors.Is(err, ErrShippingOptionNotFound) || (err == nil && (!o.Active || r.RegionID == nil || o.RegionID != *r.RegionID)) {
			return errs.Invalidf("shipping_option_id", "is not offered for this cart (see GET /v1/store/carts/{id}/shipping-options)")
		}
		if err != nil {
			return err
		}
		if _, ok, err := s.cartTotals(ctx, *r, &o); err != nil {
			return err
		} else if !ok {
			return errs.Invalidf("shipping_option_id", "cannot ship this cart (weight above its last bracket)")
		}
		return s.db.Conn(ctx).Model(&cartRow{}).Where("id = ?", r.ID).Update("shipping_option_id", o.ID).Error
	})
}
