package checkout

import (
	"context"
	"errors"

	"storekeep/internal/platform/money"
)

// pricedCart is a cart read with everything its totals depend on, priced.
// Carts and checkout both price through it, so an order's totals are the
// cart's totals.
type pricedCart struct {
	row    cartRow
	items  []cartItemRow
	purch  map[string]purchasableVariant
	region *Region
	ship   *ShippingOption
	promos []Promotion
	// invalid are codes on the cart that fail their rules now (expired,
	// exhausted, used up by this buyer, minimum no longer met); they are
	// left out of the totals.
	invalid map[string]error
	totals  totals
	// shippingOK is false when the chosen option cannot ship the cart.
	shippingOK bool
	// points is the cart's loyalty redemption (zero: none); pointsErr why
	// the points on the cart cannot be redeemed now.
	points    redemption
	pointsErr error
}

// price reads and prices a cart. ship, when not nil, replaces the cart's
// own shipping option (to price the alternatives).
func (s *Service) price(ctx context.Context, r cartRow, ship *ShippingOption) (pricedCart, error) {
	pc := pricedCart{row: r, invalid: map[string]error{}}
	var err error
	if pc.items, err = s.cartItems(ctx, r.ID); err != nil {
		return pc, err
	}
	ids := make([]string, len(pc.items))
	for i, it := range pc.items {
		ids[i] = it.VariantID
	}
	if pc.purch, err = s.cat.Purchasables(ctx, ids, r.Currency); err != nil {
		return pc, err
	}
	if r.RegionID != nil {
		reg, err := s.Region(ctx, *r.RegionID)
		if err == nil {
			pc.region = &reg
		} else if !errors.Is(err, ErrRegionNotFound) {
			return pc, err
		}
	}
	pc.ship = ship
	if ship == nil && r.ShippingOptionID != nil && pc.region != nil {
		o, err := s.ShippingOption(ctx, *r.ShippingOptionID)
		switch {
		case err == nil && o.Active && o.RegionID == pc.region.ID:
			pc.ship = &o
		case err != nil && !errors.Is(err, ErrShippingOptionNotFound):
			return pc, err
		}
	}
	ds, err := s.cartDiscounts(ctx, r.ID)
	if err != nil {
		return pc, err
	}
	var candidates []Promotion
	for _, d := range ds {
		p, err := s.PromotionByCode(ctx, d.Code)
		if err != nil {
			pc.invalid[d.Code] = err
			continue
		}
		candidates = append(candidates, p)
	}
	if pc.points, pc.pointsErr, err = s.redemptionOf(ctx, r); err != nil {
		return pc, err
	}
	if len(candidates) == 0 {
		pc.totals, pc.shippingOK, err = computeTotalsWith(r.Currency, pc.lines(), pc.region, pc.ship, nil, pc.points)
		return pc, err
	}
	ctxFor, err := s.promotionContextOf(ctx, r, pc.items, pc.purch, nil)
	if err != nil {
		return pc, err
	}
	// A code the buyer has used up (after the e-mail or the customer
	// changed, or since it was applied) stops applying, like an expired one.
	if ctxFor.BuyerUses, err = s.buyerUses(ctx, candidates, deref(r.CustomerID), r.Email); err != nil {
		return pc, err
	}
	for i, p := range candidates {
		c := ctxFor
		c.OtherCodes = append(append([]Promotion{}, candidates[:i]...), candidates[i+1:]...)
		if err := p.Check(c); err != nil {
			pc.invalid[p.Code] = err
			continue
		}
		pc.promos = append(pc.promos, p)
	}
	pc.totals, pc.shippingOK, err = computeTotalsWith(r.Currency, pc.lines(), pc.region, pc.ship, pc.promos, pc.points)
	return pc, err
}

// lines are the cart's items as the totals see them, at their snapshot price.
func (pc pricedCart) lines() []totalsLine {
	out := make([]totalsLine, len(pc.items))
	for i, it := range pc.items {
		p := pc.purch[it.VariantID]
		out[i] = totalsLine{ProductID: p.ProductID, CategoryIDs: p.CategoryIDs,
			UnitPrice: money.Amount{Minor: it.UnitPrice, Currency: pc.row.Currency}, Quantity: it.Quantity,
			WeightGrams: p.WeightGrams}
	}
	return out
}

// cartTotals prices r with shipping option ship.
func (s *Service) cartTotals(ctx context.Context, r cartRow, ship *ShippingOption) (totals, bool, error) {
	pc, err := s.price(ctx, r, ship)
	return pc.totals, pc.shippingOK, err
}

// promotionContext is what promotion rules look at for this cart (the
// subtotal and lines before any discount). It reads the cart's lines.
func (s *Service) promotionContext(ctx context.Context, r cartRow, others []Promotion) (PromotionContext, error) {
	items, err := s.cartItems(ctx, r.ID)
	if err != nil {
		return PromotionContext{}, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.VariantID
	}
	purch, err := s.cat.Purchasables(ctx, ids, r.Currency)
	if err != nil {
		return PromotionContext{}, err
	}
	return s.promotionContextOf(ctx, r, items, purch, others)
}

// promotionContextOf builds the promotion context from lines already read.
func (s *Service) promotionContextOf(ctx context.Context, r cartRow, items []cartItemRow,
	purch map[string]purchasableVariant, others []Promotion) (PromotionContext, error) {
	pc := PromotionContext{Now: s.now(), Currency: r.Currency, Subtotal: money.Zero(r.Currency), OtherCodes: others}
	if r.CustomerID != nil {
		pc.CustomerID = *r.CustomerID
		groups, err := s.customers.GroupIDs(ctx, *r.CustomerID)
		if err != nil {
			return pc, err
		}
		pc.CustomerGroupIDs = groups
	}
	for _, it := range items {
		sub, err := money.Amount{Minor: it.UnitPrice, Currency: r.Currency}.Mul(it.Quantity)
		if err != nil {
			return pc, err
		}
		p := purch[it.VariantID]
		pc.Lines = append(pc.Lines, DiscountLine{Key: it.ID, ProductID: p.ProductID, CategoryIDs: p.CategoryIDs, Subtotal: sub})
		if pc.Subtotal, err = pc.Subtotal.Add(sub); err != nil {
			return pc, err
		}
	}
	return pc, nil
}

// view renders a cart with its totals.
func (s *Service) view(ctx context.Context, r cartRow) (Cart, error) {
	pc, err := s.price(ctx, r, nil)
	if err != nil {
		return Cart{}, err
	}
	return pc.cart()
}

func (pc pricedCart) cart() (Cart, error) {
	r, t := pc.row, pc.totals
	c := Cart{ID: r.ID, CustomerID: r.CustomerID, Email: r.Email, Currency: r.Currency, RegionID: r.RegionID,
		SalesChannelID: r.SalesChannelID,
		Status:         r.Status, Items: []CartItem{}, Discounts: []CartDiscount{}, TaxInclusive: t.TaxInclusive,
		Subtotal: t.Subtotal, DiscountTotal: t.DiscountTotal, ShippingTotal: t.Shipping, TaxTotal: t.TaxTotal,
		Total: t.Total, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, CompletedAt: r.CompletedAt}
	if r.Status == CartCompleted {
		c.OrderID = r.OrderID // while completing, it is only the planned id
	}
	var err error
	if c.ShippingAddress, err = decodeAddress(r.ShippingAddress); err != nil {
		return Cart{}, err
	}
	if c.BillingAddress, err = decodeAddress(r.BillingAddress); err != nil {
		return Cart{}, err
	}
	for i, it := range pc.items {
		p := pc.purch[it.VariantID]
		lt := t.Lines[i]
		c.Items = append(c.Items, CartItem{ID: it.ID, VariantID: it.VariantID, ProductID: p.ProductID, SKU: p.SKU,
			Title: p.Title, Quantity: it.Quantity, UnitPrice: money.Amount{Minor: it.UnitPrice, Currency: r.Currency},
			Subtotal: lt.Subtotal, DiscountTotal: lt.Discount, TaxTotal: lt.Tax, Total: lt.Total,
			Available: p.Published && p.HasPrice && p.OnChannel})
	}
	for _, d := range t.Discounts {
		c.Discounts = append(c.Discounts, CartDiscount{Code: d.Promotion.Code, Type: d.Promotion.Type, Amount: d.Amount})
	}
	if t.LoyaltyPoints > 0 {
		c.Loyalty = &CartLoyalty{Points: t.LoyaltyPoints, Amount: t.LoyaltyDiscount}
	}
	c.TaxLines = pc.taxLines()
	if pc.ship != nil && pc.shippingOK && r.ShippingOptionID != nil {
		c.ShippingMethod = &ShippingMethod{ShippingOptionID: pc.ship.ID, Name: pc.ship.Name, Amount: t.Shipping}
	}
	return c, nil
}

// taxLines splits the tax into the items' and the shipping's.
func (pc pricedCart) taxLines() []TaxLine {
	out := []TaxLine{}
	if pc.region == nil || pc.region.TaxRate == 0 {
		return out
	}
	t := pc.totals
	items, err := t.TaxTotal.Sub(t.ShippingTax)
	if err != nil {
		return out
	}
	out = append(out, TaxLine{Name: pc.region.Name, Rate: pc.region.TaxRate, AppliesTo: "items", Amount: items})
	if t.ShippingTax.Minor != 0 {
		out = append(out, TaxLine{Name: pc.region.Name, Rate: pc.region.TaxRate, AppliesTo: "shipping", Amount: t.ShippingTax})
	}
	return out
}
