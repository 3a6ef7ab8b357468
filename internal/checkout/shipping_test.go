package checkout_test

import (
	"testing"

	"storekeep/internal/checkout"
	"storekeep/internal/platform/money"
)

func TestShippingOptionPrice(t *testing.T) {
	t.Parallel()
	eur := func(v int64) money.Amount { return money.Amount{Minor: v, Currency: "EUR"} }
	threshold := eur(5000)
	flat := checkout.ShippingOption{Type: checkout.ShippingFlat, Amount: eur(590)}
	freeOver := checkout.ShippingOption{Type: checkout.ShippingFreeOver, Amount: eur(590), FreeOver: &threshold}
	weight := checkout.ShippingOption{Type: checkout.ShippingWeight, Amount: eur(0), Rates: []checkout.WeightRate{
		{MaxGrams: 500, Amount: eur(490)}, {MaxGrams: 2000, Amount: eur(790)}, {MaxGrams: 10000, Amount: eur(1290)}}}
	tests := []struct {
		name     string
		opt      checkout.ShippingOption
		subtotal money.Amount
		grams    int64
		want     money.Amount
		ok       bool
	}{
		{"flat ignores the cart", flat, eur(100000), 50000, eur(590), true},
		{"flat on an empty cart", flat, eur(0), 0, eur(590), true},
		{"free_over below threshold pays", freeOver, eur(4999), 100, eur(590), true},
		{"free_over at threshold is free", freeOver, eur(5000), 100, eur(0), true},
		{"free_over above threshold is free", freeOver, eur(5001), 100, eur(0), true},
		{"free_over in another currency cannot ship", freeOver, money.Amount{Minor: 9000, Currency: "USD"}, 100, money.Amount{}, false},
		{"weight zero grams is the first bracket", weight, eur(0), 0, eur(490), true},
		{"weight at a bracket's max is that bracket", weight, eur(0), 500, eur(490), true},
		{"weight one gram over goes up", weight, eur(0), 501, eur(790), true},
		{"weight second bracket edge", weight, eur(0), 2000, eur(790), true},
		{"weight last bracket edge", weight, eur(0), 10000, eur(1290), true},
		{"weight above the last bracket is unavailable", weight, eur(0), 10001, money.Amount{}, false},
		{"unknown type is unavailable", checkout.ShippingOption{Type: "teleport", Amount: eur(1)}, eur(0), 0, money.Amount{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.opt.Price(tt.subtotal, tt.grams)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Price(%v, %d) = %v, %v; want %v, %v", tt.subtotal, tt.grams, got, ok, tt.want, tt.ok)
			}
		})
	}
}
