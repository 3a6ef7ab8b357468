package checkout

import (
	"fmt"

	"storekeep/internal/platform/money"
)

// Rounding (docs/checkout.md "Totals"): every amount is an integer in the
// currency's minor unit. Percentage discounts are computed once on the
// eligible subtotal and allocated to lines by largest remainder, so line
// discounts always add up to the discount; tax is computed per line (and on
// shipping) on the amount after discounts, rounded half away from zero, and
// tax_total is the sum of those. No step rounds twice.

// totalsLine is one priced cart line going into the totals.
type totalsLine struct {
	ProductID   string
	CategoryIDs []string
	UnitPrice   money.Amount
	Quantity    int64
	WeightGrams int64
}

// lineTotals are one line's computed figures.
type lineTotals struct {
	Subtotal, Discount, Tax, Total money.Amount
}

// appliedDiscount is what one promotion took off.
type appliedDiscount struct {
	Promotion Promotion
	Amount    money.Amount // lines + shipping
}

// totals are a cart's (and its order's) computed figures.
type totals struct {
	Lines                                    []lineTotals
	Discounts                                []appliedDiscount
	Shipping                                 money.Amount // the option's price, before discounts
	ShippingDiscount, ShippingTax            money.Amount
	Subtotal, DiscountTotal, TaxTotal, Total money.Amount
	TaxInclusive                             bool
	Grams                                    int64
	// LoyaltyPoints are the points redeemed (at most what was asked, fewer
	// when the items after other discounts are worth less), LoyaltyDiscount
	// what they took off the lines (counted in DiscountTotal).
	LoyaltyPoints   int64
	LoyaltyDiscount money.Amount
}

// redemption is the points a cart redeems and what one point is worth.
type redemption struct {
	Points int64
	Value  money.Amount
}

// computeTotals prices lines in currency. region nil: no tax; ship nil: no
// shipping (shippingOK false when the option cannot ship this cart, e.g. a
// weight above its last bracket). promos are applied in order.
func computeTotals(currency string, lines []totalsLine, region *Region, ship *ShippingOption,
	promos []Promotion) (t totals, shippingOK bool, err error) {
	return computeTotalsWith(currency, lines, region, ship, promos, redemption{})
}

// computeTotalsWith is computeTotals with loyalty points redeemed: after
// the codes' line discounts, whole points up to the items' value left, the
// amount allocated to the lines in proportion (largest remainder), so tax
// is computed on what is actually paid.
func computeTotalsWith(currency string, lines []totalsLine, region *Region, ship *ShippingOption,
	promos []Promotion, pts redemption) (t totals, shippingOK bool, err error) {
	zero := money.Zero(currency)
	t = totals{Shipping: zero, ShippingDiscount: zero, ShippingTax: zero, Subtotal: zero, DiscountTotal: zero,
		TaxTotal: zero, Total: zero, LoyaltyDiscount: zero}
	t.Lines = make([]lineTotals, len(lines))
	for i, l := range lines {
		sub, err := l.UnitPrice.Mul(l.Quantity)
		if err != nil {
			return totals{}, false, err
		}
		t.Lines[i] = lineTotals{Subtotal: sub, Discount: zero, Tax: zero, Total: zero}
		if t.Subtotal, err = t.Subtotal.Add(sub); err != nil {
			return totals{}, false, err
		}
		t.Grams += l.WeightGrams * l.Quantity
	}
	// Pass 1: line discounts, each promotion on what the previous left.
	for _, p := range promos {
		dl := make([]DiscountLine, len(lines))
		for i, l := range lines {
			rest, err := t.Lines[i].Subtotal.Sub(t.Lines[i].Discount)
			if err != nil {
				return totals{}, false, err
			}
			dl[i] = DiscountLine{Key: fmt.Sprint(i), ProductID: l.ProductID, CategoryIDs: l.CategoryIDs, Subtotal: rest}
		}
		d, err := p.Discount(dl, zero)
		if err != nil {
			return totals{}, false, err
		}
		sum := zero
		for i := range lines {
			if t.Lines[i].Discount, err = t.Lines[i].Discount.Add(d.Lines[i]); err != nil {
				return totals{}, false, err
			}
			if sum, err = sum.Add(d.Lines[i]); err != nil {
				return totals{}, false, err
			}
		}
		t.Discounts = append(t.Discounts, appliedDiscount{Promotion: p, Amount: sum})
	}
	if err := t.redeem(pts); err != nil {
		return totals{}, false, err
	}
	itemsNet := zero
	for _, lt := range t.Lines {
		net, err := lt.Subtotal.Sub(lt.Discount)
		if err != nil {
			return totals{}, false, err
		}
		if itemsNet, err = itemsNet.Add(net); err != nil {
			return totals{}, false, err
		}
	}
	// Shipping is priced on the discounted items (free_over thresholds).
	shippingOK = true
	if ship != nil {
		price, ok := ship.Price(itemsNet, t.Grams)
		if ok {
			t.Shipping = price
		}
		shippingOK = ok
	}
	// Pass 2: shipping discounts (free shipping), capped by what is left.
	for i, p := range promos {
		left, err := t.Shipping.Sub(t.ShippingDiscount)
		if err != nil {
			return totals{}, false, err
		}
		d, err := p.Discount(nil, left)
		if err != nil {
			return totals{}, false, err
		}
		if d.Shipping.Minor > left.Minor {
			d.Shipping = left
		}
		if t.ShippingDiscount, err = t.ShippingDiscount.Add(d.Shipping); err != nil {
			return totals{}, false, err
		}
		if t.Discounts[i].Amount, err = t.Discounts[i].Amount.Add(d.Shipping); err != nil {
			return totals{}, false, err
		}
	}
	if t.DiscountTotal, err = t.Subtotal.Sub(itemsNet); err != nil {
		return totals{}, false, err
	}
	if t.DiscountTotal, err = t.DiscountTotal.Add(t.ShippingDiscount); err != nil {
		return totals{}, false, err
	}
	netShipping, err := t.Shipping.Sub(t.ShippingDiscount)
	if err != nil {
		return totals{}, false, err
	}
	// Tax per line and on shipping, after discounts.
	for i := range t.Lines {
		lt := &t.Lines[i]
		net, err := lt.Subtotal.Sub(lt.Discount)
		if err != nil {
			return totals{}, false, err
		}
		lt.Total = net
		if region != nil {
			if lt.Tax, err = region.Tax(net); err != nil {
				return totals{}, false, err
			}
			if !region.TaxInclusive {
				if lt.Total, err = net.Add(lt.Tax); err != nil {
					return totals{}, false, err
				}
			}
		}
		if t.TaxTotal, err = t.TaxTotal.Add(lt.Tax); err != nil {
			return totals{}, false, err
		}
	}
	if region != nil {
		t.TaxInclusive = region.TaxInclusive
		if t.ShippingTax, err = region.Tax(netShipping); err != nil {
			return totals{}, false, err
		}
		if t.TaxTotal, err = t.TaxTotal.Add(t.ShippingTax); err != nil {
			return totals{}, false, err
		}
	}
	t.Total, err = itemsNet.Add(netShipping)
	if err == nil && !t.TaxInclusive {
		t.Total, err = t.Total.Add(t.TaxTotal)
	}
	if err != nil {
		return totals{}, false, err
	}
	return t, shippingOK, nil
}

// redeem takes the points off the lines (after the codes' discounts).
func (t *totals) redeem(pts redemption) error {
	if pts.Points <= 0 || pts.Value.Minor <= 0 {
		return nil
	}
	weights := make([]int64, len(t.Lines))
	var left int64
	for i, lt := range t.Lines {
		weights[i] = lt.Subtotal.Minor - lt.Discount.Minor
		left += weights[i]
	}
	use := min(pts.Points, left/pts.Value.Minor)
	if use <= 0 {
		return nil
	}
	amount, err := pts.Value.Mul(use)
	if err != nil {
		return err
	}
	parts, err := amount.Allocate(weights)
	if err != nil {
		return err
	}
	for i := range t.Lines {
		if t.Lines[i].Discount, err = t.Lines[i].Discount.Add(parts[i]); err != nil {
			return err
		}
	}
	t.LoyaltyPoints, t.LoyaltyDiscount = use, amount
	return nil
}
