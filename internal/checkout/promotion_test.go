package checkout_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/checkout"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

func eurs(vs ...int64) []money.Amount {
	out := make([]money.Amount, len(vs))
	for i, v := range vs {
		out[i] = money.Amount{Minor: v, Currency: "EUR"}
	}
	return out
}

// promoLines builds discount lines of products prod_a, prod_b, ... in EUR.
func promoLines(subtotals ...int64) []checkout.DiscountLine {
	out := make([]checkout.DiscountLine, len(subtotals))
	for i, s := range subtotals {
		out[i] = checkout.DiscountLine{Key: string(rune('a' + i)), ProductID: "prod_" + string(rune('a'+i)),
			CategoryIDs: []string{"cat_" + string(rune('a'+i))}, Subtotal: money.Amount{Minor: s, Currency: "EUR"}}
	}
	return out
}

func TestPromotionDiscount(t *testing.T) {
	t.Parallel()
	shipping := money.Amount{Minor: 590, Currency: "EUR"}
	tests := []struct {
		name     string
		promo    checkout.Promotion
		lines    []checkout.DiscountLine
		want     []money.Amount
		shipping int64
		total    int64
	}{
		{"percentage evenly", checkout.Promotion{Type: "percentage", Percentage: 1500},
			promoLines(1000, 1000, 1000), eurs(150, 150, 150), 0, 450},
		{"percentage remainder goes to the largest remainder", checkout.Promotion{Type: "percentage", Percentage: 1000},
			promoLines(333, 333, 334), eurs(33, 33, 34), 0, 100},
		{"percentage rounds once on the sum then allocates", checkout.Promotion{Type: "percentage", Percentage: 5000},
			promoLines(1, 1, 1), eurs(1, 1, 0), 0, 2}, // 1.5 -> 2, ties go to the earlier lines
		{"percentage 100 takes every line whole", checkout.Promotion{Type: "percentage", Percentage: 10000},
			promoLines(7, 0, 13), eurs(7, 0, 13), 0, 20},
		{"percentage only on the listed product", checkout.Promotion{Type: "percentage", Percentage: 1000, ProductIDs: []string{"prod_b"}},
			promoLines(1000, 2000, 3000), eurs(0, 200, 0), 0, 200},
		{"percentage on a listed category", checkout.Promotion{Type: "percentage", Percentage: 1000, CategoryIDs: []string{"cat_a", "cat_c"}},
			promoLines(1000, 2000, 3000), eurs(100, 0, 300), 0, 400},
		{"fixed allocated by subtotal", checkout.Promotion{Type: "fixed", Amounts: eurs(500)},
			promoLines(1000, 3000, 1000), eurs(100, 300, 100), 0, 500},
		{"fixed capped at the eligible subtotal", checkout.Promotion{Type: "fixed", Amounts: eurs(5000)},
			promoLines(100, 200), eurs(100, 200), 0, 300},
		{"fixed capped at the restricted lines", checkout.Promotion{Type: "fixed", Amounts: eurs(5000), ProductIDs: []string{"prod_a"}},
			promoLines(100, 200), eurs(100, 0), 0, 100},
		{"fixed without an amount in the currency takes nothing",
			checkout.Promotion{Type: "fixed", Amounts: []money.Amount{{Minor: 500, Currency: "USD"}}},
			promoLines(1000), eurs(0), 0, 0},
		{"free shipping waives shipping only", checkout.Promotion{Type: "free_shipping"},
			promoLines(1000, 2000), eurs(0, 0), 590, 590},
		{"nothing eligible takes nothing", checkout.Promotion{Type: "percentage", Percentage: 1000, ProductIDs: []string{"prod_z"}},
			promoLines(1000), eurs(0), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := tt.promo.Discount(tt.lines, shipping)
			if err != nil {
				t.Fatal(err)
			}
			want := checkout.Discount{Lines: tt.want, Shipping: money.Amount{Minor: tt.shipping, Currency: "EUR"},
				Total: money.Amount{Minor: tt.total, Currency: "EUR"}}
			if diff := cmp.Diff(want, d); diff != "" {
				t.Errorf("Discount (-want +got)\n%s", diff)
			}
		})
	}
}

func TestPromotionDiscountRejectsBadLines(t *testing.T) {
	t.Parallel()
	p := checkout.Promotion{Type: "percentage", Percentage: 1000}
	mixed := append(promoLines(100), checkout.DiscountLine{Subtotal: money.Amount{Minor: 100, Currency: "USD"}})
	if _, err := p.Discount(mixed, money.Zero("EUR")); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Errorf("mixed currencies: err = %v", err)
	}
	if _, err := p.Discount(promoLines(100, -1), money.Zero("EUR")); err == nil {
		t.Error("a negative subtotal was accepted")
	}
}

func TestPromotionCheck(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	before, after := now.Add(-time.Hour), now.Add(time.Hour)
	limit := int64(3)
	base := checkout.Promotion{ID: "promo_1", Code: "SAVE", Type: "percentage", Percentage: 1000}
	ctx := checkout.PromotionContext{Now: now, Currency: "EUR", Subtotal: money.Amount{Minor: 3000, Currency: "EUR"},
		CustomerGroupIDs: []string{"cgrp_vip"}, Lines: promoLines(1000, 2000)}
	with := func(f func(p *checkout.Promotion)) checkout.Promotion { p := base; f(&p); return p }
	other := func(combinable bool) checkout.PromotionContext {
		c := ctx
		c.OtherCodes = []checkout.Promotion{{ID: "promo_2", Code: "OTHER", Combinable: combinable}}
		return c
	}
	usdCart := ctx
	usdCart.Currency, usdCart.Subtotal = "USD", money.Amount{Minor: 3000, Currency: "USD"}
	one := int64(1)
	oncePerCustomer := with(func(p *checkout.Promotion) { p.PerCustomerLimit = &one })
	usedBy := func(n int64) checkout.PromotionContext {
		c := ctx
		c.BuyerUses = map[string]int64{base.ID: n}
		return c
	}
	camille := "cus_camille"
	mine, theirs := ctx, ctx
	mine.CustomerID, theirs.CustomerID = camille, "cus_bob"
	tests := []struct {
		name  string
		promo checkout.Promotion
		in    checkout.PromotionContext
		code  string
	}{
		{"plain code applies", base, ctx, ""},
		{"inside its window", with(func(p *checkout.Promotion) { p.StartsAt, p.EndsAt = &before, &after }), ctx, ""},
		{"not started", with(func(p *checkout.Promotion) { p.StartsAt = &after }), ctx, "promotion_not_started"},
		{"expired", with(func(p *checkout.Promotion) { p.EndsAt = &before }), ctx, "promotion_expired"},
		{"ends exactly now is expired", with(func(p *checkout.Promotion) { p.EndsAt = &now }), ctx, "promotion_expired"},
		{"starts exactly now is valid", with(func(p *checkout.Promotion) { p.StartsAt = &now }), ctx, ""},
		{"exhausted", with(func(p *checkout.Promotion) { p.UsageLimit, p.UsageCount = &limit, 3 }), ctx, "promotion_exhausted"},
		{"one use left", with(func(p *checkout.Promotion) { p.UsageLimit, p.UsageCount = &limit, 2 }), ctx, ""},
		{"buyer used it up", oncePerCustomer, usedBy(1), "promotion_exhausted"},
		{"buyer has not used it", oncePerCustomer, usedBy(0), ""},
		{"no buyer yet: judged later", oncePerCustomer, ctx, ""},
		{"no per-customer limit", base, usedBy(5), ""},
		{"minimum not met", with(func(p *checkout.Promotion) { p.MinSubtotals = eurs(3001) }), ctx, "promotion_minimum_not_met"},
		{"minimum met exactly", with(func(p *checkout.Promotion) { p.MinSubtotals = eurs(3000) }), ctx, ""},
		{"minimum only in another currency", with(func(p *checkout.Promotion) { p.MinSubtotals = eurs(10) }), usdCart, "promotion_not_applicable"},
		{"fixed without the cart's currency", with(func(p *checkout.Promotion) { p.Type, p.Percentage, p.Amounts = "fixed", 0, eurs(500) }),
			usdCart, "promotion_not_applicable"},
		{"no eligible line", with(func(p *checkout.Promotion) { p.ProductIDs = []string{"prod_z"} }), ctx, "promotion_not_applicable"},
		{"empty cart", base, checkout.PromotionContext{Now: now, Currency: "EUR", Subtotal: money.Zero("EUR")}, "promotion_not_applicable"},
		{"eligible through a category", with(func(p *checkout.Promotion) { p.CategoryIDs = []string{"cat_b"} }), ctx, ""},
		{"customer not in the group", with(func(p *checkout.Promotion) { p.CustomerGroupIDs = []string{"cgrp_staff"} }), ctx, "promotion_not_applicable"},
		{"customer in the group", with(func(p *checkout.Promotion) { p.CustomerGroupIDs = []string{"cgrp_staff", "cgrp_vip"} }), ctx, ""},
		{"non-combinable with another code", base, other(true), "promotion_not_combinable"},
		{"combinable with a non-combinable code", with(func(p *checkout.Promotion) { p.Combinable = true }), other(false), "promotion_not_combinable"},
		{"both combinable", with(func(p *checkout.Promotion) { p.Combinable = true }), other(true), ""},
		{"issued to this customer", with(func(p *checkout.Promotion) { p.CustomerID = &camille }), mine, ""},
		{"issued to another customer", with(func(p *checkout.Promotion) { p.CustomerID = &camille }), theirs, "promotion_not_found"},
		{"issued to a customer, a guest's cart", with(func(p *checkout.Promotion) { p.CustomerID = &camille }), ctx, "promotion_not_found"},
		{"issued to another customer and expired: still unknown",
			with(func(p *checkout.Promotion) { p.CustomerID, p.EndsAt = &camille, &before }), theirs, "promotion_not_found"},
		{"itself on the cart is no conflict", base, checkout.PromotionContext{Now: now, Currency: "EUR",
			Subtotal: ctx.Subtotal, Lines: ctx.Lines, OtherCodes: []checkout.Promotion{base}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.promo.Check(tt.in)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok {
				t.Fatalf("Check = %v, want %s", err, tt.code)
			}
			if e.Code != tt.code || e.Kind != errs.Unprocessable {
				t.Errorf("Check = %s (kind %d), want %s (422)", e.Code, e.Kind, tt.code)
			}
			if len(e.Fields) != 1 || e.Fields[0].Field != "code" {
				t.Errorf("fields = %+v, want one on code", e.Fields)
			}
		})
	}
}
