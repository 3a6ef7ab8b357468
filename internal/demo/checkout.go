package demo

import (
	"context"
	"fmt"

	"storekeep/internal/checkout"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/money"
)

// Demo checkout configuration: where the shop sells, how it ships, and the
// WELCOME15 code the README's quick start applies.
var demoRegions = []checkout.RegionInput{
	{Name: "European Union", Currency: "EUR", CountryCodes: []string{"FR", "BE", "DE", "ES", "IT", "NL", "LU", "PT"},
		TaxRate: 2000, TaxInclusive: true},
	{Name: "United States", Currency: "USD", CountryCodes: []string{"US"}, TaxRate: 0, TaxInclusive: false},
}

func eurAmt(v int64) *money.Amount { return &money.Amount{Minor: v, Currency: "EUR"} }
func usdAmt(v int64) *money.Amount { return &money.Amount{Minor: v, Currency: "USD"} }

// loadCheckout creates the regions, shipping options and promotions; it
// returns the EU region's id.
func loadCheckout(ctx context.Context, chk *checkout.Service, system auth.Actor) (string, error) {
	regionIDs := make([]string, len(demoRegions))
	for i, in := range demoRegions {
		r, err := chk.CreateRegion(ctx, system, in)
		if err != nil {
			return "", fmt.Errorf("region %s: %w", in.Name, err)
		}
		regionIDs[i] = r.ID
	}
	eu, us := regionIDs[0], regionIDs[1]
	options := []checkout.ShippingOptionInput{
		{RegionID: eu, Name: "Colissimo (2-3 days)", Type: "flat", Amount: eurAmt(490)},
		{RegionID: eu, Name: "Chronopost Express (next day)", Type: "free_over", Amount: eurAmt(990), FreeOver: eurAmt(6000)},
		{RegionID: eu, Name: "Lettre suivie (by weight)", Type: "weight", Rates: []checkout.WeightRate{
			{MaxGrams: 250, Amount: *eurAmt(290)}, {MaxGrams: 500, Amount: *eurAmt(390)}, {MaxGrams: 1000, Amount: *eurAmt(590)}}},
		{RegionID: us, Name: "USPS Priority", Type: "free_over", Amount: usdAmt(900), FreeOver: usdAmt(7500)},
	}
	for _, in := range options {
		if _, err := chk.CreateShippingOption(ctx, system, in); err != nil {
			return "", fmt.Errorf("shipping option %s: %w", in.Name, err)
		}
	}
	one := int64(1)
	promos := []checkout.PromotionInput{
		// 15 % off a first order: once per customer (guests by e-mail).
		{Code: "WELCOME15", Type: "percentage", Percentage: 1500, PerCustomerLimit: &one},
		{Code: "FREESHIP", Type: "free_shipping", MinSubtotals: []money.Amount{*eurAmt(3000), *usdAmt(3500)},
			Combinable: true},
	}
	for _, in := range promos {
		if _, err := chk.CreatePromotion(ctx, system, in); err != nil {
			return "", fmt.Errorf("promotion %s: %w", in.Code, err)
		}
	}
	return eu, nil
}
