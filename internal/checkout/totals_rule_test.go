package checkout

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/money"
)

// TestTotalsAddUpAsDocumented checks the rule the contract states in the
// Cart, CartItem, Order and OrderItem descriptions, for tax included,
// excluded and absent, with and without line and shipping discounts:
//
//	total = subtotal - discount_total + shipping_total (+ tax_total when exclusive)
//	      = sum of line totals + shipping after its discount (+ its tax when exclusive)
//	line total = subtotal - discount_total (+ tax_total when exclusive)
//	discount_total = sum of the discounts' amounts
//	               = sum of the line discounts + the shipping discount
//	tax_total = sum of the line taxes + the shipping's tax
func TestTotalsAddUpAsDocumented(t *testing.T) {
	eur := func(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: "EUR"} }
	lines := []totalsLine{
		{ProductID: "prod_a", UnitPrice: eur(1200), Quantity: 2},
		{ProductID: "prod_b", UnitPrice: eur(2000), Quantity: 1},
		{ProductID: "prod_c", UnitPrice: eur(333), Quantity: 3},
	}
	flat := &ShippingOption{Type: ShippingFlat, Amount: eur(490)}
	pct := Promotion{Code: "P15", Type: PromotionPercentage, Percentage: 1500}
	fixed := Promotion{Code: "F5", Type: PromotionFixed, Amounts: []money.Amount{eur(500)}}
	free := Promotion{Code: "SHIP", Type: PromotionFreeShipping}
	inclusive := &Region{ID: "reg_in", Currency: "EUR", TaxRate: 2000, TaxInclusive: true}
	exclusive := &Region{ID: "reg_ex", Currency: "EUR", TaxRate: 2000}
	for _, tt := range []struct {
		name   string
		region *Region
		ship   *ShippingOption
		promos []Promotion
	}{
		{"no region, no shipping", nil, nil, nil},
		{"tax included, percentage and free shipping", inclusive, flat, []Promotion{pct, free}},
		{"tax excluded, percentage and free shipping", exclusive, flat, []Promotion{pct, free}},
		{"tax excluded, fixed and percentage", exclusive, flat, []Promotion{fixed, pct}},
		{"tax included, no code", inclusive, flat, nil},
		{"tax excluded, free shipping only", exclusive, flat, []Promotion{free}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tot, ok, err := computeTotals("EUR", lines, tt.region, tt.ship, tt.promos)
			if err != nil || !ok {
				t.Fatalf("computeTotals: ok %v, %v", ok, err)
			}
			exclusive := tt.region != nil && !tt.region.TaxInclusive
			if tot.TaxInclusive != (tt.region != nil && tt.region.TaxInclusive) {
				t.Errorf("tax_inclusive = %v", tot.TaxInclusive)
			}
			taxIfExclusive := func(tax int64) int64 {
				if exclusive {
					return tax
				}
				return 0
			}
			var lineTotals, lineDiscounts, lineTaxes, discounts int64
			for i, l := range tot.Lines {
				if want := l.Subtotal.Minor - l.Discount.Minor + taxIfExclusive(l.Tax.Minor); l.Total.Minor != want {
					t.Errorf("line %d total = %d, want subtotal - discount_total (+ tax) = %d", i, l.Total.Minor, want)
				}
				lineTotals += l.Total.Minor
				lineDiscounts += l.Discount.Minor
				lineTaxes += l.Tax.Minor
			}
			for _, d := range tot.Discounts {
				discounts += d.Amount.Minor
			}
			netShipping := tot.Shipping.Minor - tot.ShippingDiscount.Minor
			got := map[string]int64{
				"subtotal - discount_total + shipping_total (+ tax_total)": tot.Subtotal.Minor - tot.DiscountTotal.Minor +
					tot.Shipping.Minor + taxIfExclusive(tot.TaxTotal.Minor),
				"line totals + shipping after discount (+ its tax)": lineTotals + netShipping + taxIfExclusive(tot.ShippingTax.Minor),
				"discounts' amounts":                 discounts,
				"line discounts + shipping discount": lineDiscounts + tot.ShippingDiscount.Minor,
				"line taxes + shipping tax":          lineTaxes + tot.ShippingTax.Minor,
			}
			want := map[string]int64{
				"subtotal - discount_total + shipping_total (+ tax_total)": tot.Total.Minor,
				"line totals + shipping after discount (+ its tax)":        tot.Total.Minor,
				"discounts' amounts":                 tot.DiscountTotal.Minor,
				"line discounts + shipping discount": tot.DiscountTotal.Minor,
				"line taxes + shipping tax":          tot.TaxTotal.Minor,
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("identities (-want +got):\n%s", d)
			}
			if len(tt.promos) > 0 && tot.DiscountTotal.Minor == 0 {
				t.Error("the codes took nothing off: the case proves nothing")
			}
			if tt.region != nil && tot.TaxTotal.Minor == 0 {
				t.Error("no tax: the case proves nothing")
			}
		})
	}
}
