package checkout_test

import (
	"testing"

	"storekeep/internal/checkout"
	"storekeep/internal/platform/money"
)

func TestRegionTax(t *testing.T) {
	t.Parallel()
	eur := func(v int64) money.Amount { return money.Amount{Minor: v, Currency: "EUR"} }
	tests := []struct {
		name      string
		rate      int64
		inclusive bool
		amount    money.Amount
		want      money.Amount
	}{
		{"exclusive 20 percent", 2000, false, eur(1000), eur(200)},
		{"exclusive rounds down below half", 2000, false, eur(2), eur(0)},     // 0.4
		{"exclusive half rounds away from zero", 550, false, eur(10), eur(1)}, // 0.55
		{"exclusive just under half", 550, false, eur(9), eur(0)},             // 0.495
		{"exclusive zero rate", 0, false, eur(999), eur(0)},
		{"exclusive refund is negative", 2000, false, eur(-250), eur(-50)},
		{"inclusive 20 percent", 2000, true, eur(1200), eur(200)},
		{"inclusive small amount", 2000, true, eur(1), eur(0)},           // 0.1667
		{"inclusive exact half rounds away", 2000, true, eur(3), eur(1)}, // 0.5
		{"inclusive one and a half", 2000, true, eur(9), eur(2)},         // 1.5
		{"inclusive negative half", 2000, true, eur(-3), eur(-1)},        // -0.5
		{"inclusive 5.5 percent", 550, true, eur(1055), eur(55)},         // 1055*550/10550 = 55
		{"inclusive 100 percent", 10000, true, eur(100), eur(50)},        // half of the price is tax
		{"zero-decimal currency", 1000, false, money.Amount{Minor: 1005, Currency: "JPY"}, money.Amount{Minor: 101, Currency: "JPY"}},
		{"inclusive huge amount does not overflow", 2000, true, eur(9_000_000_000_000_000_000), eur(1_500_000_000_000_000_000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkout.Region{ID: "reg_x", Currency: tt.amount.Currency, TaxRate: tt.rate, TaxInclusive: tt.inclusive}
			got, err := r.Tax(tt.amount)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Tax(%v) = %v, want %v", tt.amount, got, tt.want)
			}
		})
	}
}

func TestRegionTaxRejectsAnotherCurrency(t *testing.T) {
	t.Parallel()
	r := checkout.Region{ID: "reg_x", Currency: "EUR", TaxRate: 2000}
	if _, err := r.Tax(money.Amount{Minor: 100, Currency: "USD"}); err == nil {
		t.Fatal("tax on a USD amount in a EUR region succeeded")
	}
}
