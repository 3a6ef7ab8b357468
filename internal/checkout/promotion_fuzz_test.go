package checkout_test

import (
	"testing"

	"storekeep/internal/checkout"
	"storekeep/internal/platform/money"
)

// FuzzDiscount checks the allocation invariants for any cart: the line
// discounts add up to the total, none is negative, none exceeds its line's
// subtotal, and the total never exceeds the eligible subtotal.
func FuzzDiscount(f *testing.F) {
	f.Add(uint8(0), int64(1500), int64(1000), int64(1000), int64(1000), uint8(7))
	f.Add(uint8(0), int64(3333), int64(1), int64(1), int64(1), uint8(5))
	f.Add(uint8(1), int64(999), int64(333), int64(0), int64(334), uint8(7))
	f.Add(uint8(1), int64(1_000_000), int64(7), int64(11), int64(13), uint8(3))
	f.Add(uint8(0), int64(10000), int64(1<<40), int64(3), int64(1<<50), uint8(6))
	f.Fuzz(func(t *testing.T, kind uint8, value, a, b, c int64, mask uint8) {
		clamp := func(v, hi int64) int64 {
			if v < 0 {
				v = -(v + 1)
			}
			return v % (hi + 1)
		}
		subs := []int64{clamp(a, 1e15), clamp(b, 1e15), clamp(c, 1e15)}
		lines := promoLines(subs...)
		p := checkout.Promotion{Code: "FUZZ"}
		// mask picks which lines' products the promotion is restricted to
		// (0 = no restriction).
		for i := range lines {
			if mask&(1<<i) != 0 {
				p.ProductIDs = append(p.ProductIDs, lines[i].ProductID)
			}
		}
		if kind%2 == 0 {
			p.Type, p.Percentage = checkout.PromotionPercentage, clamp(value, 10000)
		} else {
			p.Type, p.Amounts = checkout.PromotionFixed, eurs(clamp(value, 1e16))
		}
		d, err := p.Discount(lines, money.Amount{Minor: 590, Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		var sum, eligible int64
		for i, l := range d.Lines {
			if l.Currency != "EUR" {
				t.Fatalf("line %d currency %q", i, l.Currency)
			}
			if l.Minor < 0 || l.Minor > subs[i] {
				t.Fatalf("line %d discount %d outside [0, %d]", i, l.Minor, subs[i])
			}
			if len(p.ProductIDs) > 0 && mask&(1<<i) == 0 && l.Minor != 0 {
				t.Fatalf("line %d is not eligible but got %d", i, l.Minor)
			}
			if len(p.ProductIDs) == 0 || mask&(1<<i) != 0 {
				eligible += subs[i]
			}
			sum += l.Minor
		}
		if sum != d.Total.Minor || d.Shipping.Minor != 0 {
			t.Fatalf("lines sum to %d, total %d, shipping %d", sum, d.Total.Minor, d.Shipping.Minor)
		}
		if d.Total.Minor < 0 || d.Total.Minor > eligible {
			t.Fatalf("total %d outside [0, %d]", d.Total.Minor, eligible)
		}
	})
}
