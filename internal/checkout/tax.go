package checkout

import (
	"fmt"

	"storekeep/internal/platform/money"
)

// Tax returns the region's tax on amount (a cart line's total after its
// discount, or the shipping charge):
//
//   - tax-inclusive regions: the tax contained in amount,
//     amount × rate / (10000 + rate);
//   - tax-exclusive regions: the tax due on top of amount, amount × rate / 10000.
//
// Both round half away from zero to the currency's minor unit (the money
// package's one rule), once per line: the cart's tax_total is the sum of its
// rounded line taxes, so the tax lines on an order always add up to its total
// tax. amount's currency must be the region's.
func (r Region) Tax(amount money.Amount) (money.Amount, error) {
	if amount.Currency != r.Currency {
		return money.Amount{}, fmt.Errorf("tax in region %s: %w", r.ID, money.ErrCurrencyMismatch)
	}
	if r.TaxRate < 0 || r.TaxRate > 10000 {
		return money.Amount{}, fmt.Errorf("tax in region %s: rate %d out of range", r.ID, r.TaxRate)
	}
	if r.TaxInclusive {
		return amount.Fraction(r.TaxRate, 10000+r.TaxRate)
	}
	return amount.Percent(r.TaxRate)
}
