package checkout

import (
	"fmt"
	"slices"
	"time"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// Promotion types.
const (
	// PromotionPercentage takes Percentage basis points off the eligible lines.
	PromotionPercentage = "percentage"
	// PromotionFixed takes a fixed amount (per currency) off the eligible
	// lines, never more than their subtotal.
	PromotionFixed = "fixed"
	// PromotionFreeShipping waives the shipping charge.
	PromotionFreeShipping = "free_shipping"
)

// Promotion is a discount code with its rules. Codes are stored upper case
// and matched case-insensitively.
type Promotion struct {
	ID   string `json:"id" binding:"required" example:"promo_06h1wbq28dxanf5st2bqp8yfxm"`
	Code string `json:"code" binding:"required" example:"WELCOME15"`
	// Type is percentage, fixed or free_shipping.
	Type string `json:"type" binding:"required" enums:"percentage,fixed,free_shipping" example:"percentage"`
	// Percentage is in basis points (1500 = 15 %), for percentage promotions; 0 otherwise.
	Percentage int64 `json:"percentage" binding:"required" example:"1500"`
	// Amounts are the fixed discount, one per currency ([] unless fixed).
	Amounts []money.Amount `json:"amounts" binding:"required"`
	// MinSubtotals are the minimum item subtotals (before discounts), one per
	// currency. When any is set, a cart in a currency without one does not qualify.
	MinSubtotals []money.Amount `json:"min_subtotals" binding:"required"`
	// StartsAt and EndsAt bound the validity window [starts_at, ends_at).
	StartsAt *time.Time `json:"starts_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-01T00:00:00Z"`
	EndsAt   *time.Time `json:"ends_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-12-31T23:59:59Z"`
	// UsageLimit caps the total number of orders that may use the code.
	UsageLimit *int64 `json:"usage_limit" binding:"required" extensions:"x-nullable" example:"1000"`
	// PerCustomerLimit caps the orders one customer (or guest e-mail) may use it on.
	PerCustomerLimit *int64 `json:"per_customer_limit" binding:"required" extensions:"x-nullable" example:"1"`
	// UsageCount is how many orders used it (counted at checkout).
	UsageCount int64 `json:"usage_count" binding:"required" example:"42"`
	// ProductIDs and CategoryIDs restrict the discount to those lines; empty
	// = every line.
	ProductIDs  []string `json:"product_ids" binding:"required"`
	CategoryIDs []string `json:"category_ids" binding:"required"`
	// CustomerGroupIDs restrict the code to customers in one of the groups;
	// empty = everybody.
	CustomerGroupIDs []string `json:"customer_group_ids" binding:"required"`
	// CustomerID, when set, restricts the code to that customer alone: a code
	// issued to them (by an automation or staff, docs/automations.md). To
	// anyone else, guests included, it answers as if it did not exist.
	CustomerID *string `json:"customer_id" binding:"required" extensions:"x-nullable" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	// Combinable codes can share a cart with other combinable codes; a cart
	// holds one non-combinable code alone.
	Combinable bool      `json:"combinable" binding:"required" example:"false"`
	Active     bool      `json:"active" binding:"required" example:"true"`
	CreatedAt  time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt  time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Promotion

// Errors of promotions. Codes are part of the API contract; the errors that
// judge a code on a cart name the field "code".
var (
	// ErrPromotionNotFound is returned by the admin routes for unknown ids.
	ErrPromotionNotFound = errs.New(errs.NotFound, "not_found", "the promotion does not exist")
	// ErrCodeTaken is returned when another promotion has the code.
	ErrCodeTaken = errs.New(errs.Conflict, "code_taken", "another promotion has this code")
	// ErrPromotionUnknown: the code does not exist or is inactive.
	ErrPromotionUnknown = errs.New(errs.Unprocessable, "promotion_not_found", "this discount code does not exist")
	// ErrPromotionNotStarted: before starts_at.
	ErrPromotionNotStarted = errs.New(errs.Unprocessable, "promotion_not_started", "this discount code is not valid yet")
	// ErrPromotionExpired: at or after ends_at.
	ErrPromotionExpired = errs.New(errs.Unprocessable, "promotion_expired", "this discount code has expired")
	// ErrPromotionExhausted: the usage limit (total or per customer) is reached.
	ErrPromotionExhausted = errs.New(errs.Unprocessable, "promotion_exhausted", "this discount code has been used up")
	// ErrPromotionMinimumNotMet: the subtotal is below the minimum.
	ErrPromotionMinimumNotMet = errs.New(errs.Unprocessable, "promotion_minimum_not_met", "the cart is below this code's minimum")
	// ErrPromotionNotApplicable: no eligible line, customer group or currency.
	ErrPromotionNotApplicable = errs.New(errs.Unprocessable, "promotion_not_applicable", "this discount code does not apply to this cart")
	// ErrPromotionNotCombinable: the cart already has a code and one of them
	// cannot be combined.
	ErrPromotionNotCombinable = errs.New(errs.Unprocessable, "promotion_not_combinable", "this discount code cannot be combined with the cart's other code")
)

// codeErr is e with the field "code" named, as the cart's discount route reports it.
func codeErr(e *errs.Error, format string, args ...any) error {
	return e.WithDetail(format, args...).WithFields(errs.FieldError{Field: "code", Message: fmt.Sprintf(format, args...)})
}

// PromotionContext is what Check judges a promotion against: the cart and
// who is buying.
type PromotionContext struct {
	Now      time.Time
	Currency string
	// Subtotal is the cart's item subtotal before discounts.
	Subtotal         money.Amount
	CustomerID       string
	CustomerGroupIDs []string
	Lines            []DiscountLine
	// OtherCodes are the promotions already on the cart.
	OtherCodes []Promotion
	// BuyerUses counts, by promotion id, the orders the cart's buyer (its
	// customer, or its e-mail: a customer's guest orders count too) already
	// placed with each promotion that has a per-customer limit. nil: the
	// cart names no buyer yet, so per-customer limits wait until it does.
	BuyerUses map[string]int64
}

// DiscountLine is one cart line as promotions see it.
type DiscountLine struct {
	// Key identifies the line to the caller (the cart item id).
	Key         string
	ProductID   string
	CategoryIDs []string
	// Subtotal is the line's total before this discount (unit price × quantity).
	Subtotal money.Amount
}

// Discount is what a promotion takes off a cart.
type Discount struct {
	// Lines is the discount of each input line, in the same order (zero for
	// lines the promotion does not cover).
	Lines []money.Amount
	// Shipping is the shipping discount (free_shipping promotions).
	Shipping money.Amount
	// Total is the sum of Lines and Shipping.
	Total money.Amount
}

// Check reports whether the promotion may be applied to the cart in in: nil,
// or a 422 with the specific code (promotion_not_found for a code issued to
// another customer, promotion_not_started, promotion_expired,
// promotion_exhausted, promotion_not_combinable, promotion_not_applicable,
// promotion_minimum_not_met), checked in that order. Usage limits (the
// total, and the buyer's own uses against the per-customer limit) are
// judged here as early feedback; Redeem enforces them atomically at
// checkout.
func (p Promotion) Check(in PromotionContext) error {
	if !p.IsFor(in.CustomerID) {
		return codeErr(ErrPromotionUnknown, "there is no discount code %q", p.Code)
	}
	switch {
	case p.StartsAt != nil && in.Now.Before(*p.StartsAt):
		return codeErr(ErrPromotionNotStarted, "%s is valid from %s", p.Code, p.StartsAt.UTC().Format(time.RFC3339))
	case p.EndsAt != nil && !in.Now.Before(*p.EndsAt):
		return codeErr(ErrPromotionExpired, "%s expired at %s", p.Code, p.EndsAt.UTC().Format(time.RFC3339))
	case p.UsageLimit != nil && p.UsageCount >= *p.UsageLimit:
		return codeErr(ErrPromotionExhausted, "%s has been used up", p.Code)
	case p.PerCustomerLimit != nil && in.BuyerUses != nil && in.BuyerUses[p.ID] >= *p.PerCustomerLimit:
		return codeErr(ErrPromotionExhausted, "%s can be used %d time(s) per customer", p.Code, *p.PerCustomerLimit)
	}
	for _, o := range in.OtherCodes {
		if o.ID == p.ID {
			continue
		}
		if !p.Combinable || !o.Combinable {
			return codeErr(ErrPromotionNotCombinable, "%s cannot be combined with %s", p.Code, o.Code)
		}
	}
	if len(p.CustomerGroupIDs) > 0 && !slices.ContainsFunc(in.CustomerGroupIDs, func(g string) bool {
		return slices.Contains(p.CustomerGroupIDs, g)
	}) {
		return codeErr(ErrPromotionNotApplicable, "%s is reserved for some customers", p.Code)
	}
	if p.Type == PromotionFixed {
		if _, ok := amountIn(p.Amounts, in.Currency); !ok {
			return codeErr(ErrPromotionNotApplicable, "%s does not apply to carts in %s", p.Code, in.Currency)
		}
	}
	if !slices.ContainsFunc(in.Lines, p.eligible) {
		return codeErr(ErrPromotionNotApplicable, "%s applies to none of the cart's items", p.Code)
	}
	if len(p.MinSubtotals) > 0 {
		minimum, ok := amountIn(p.MinSubtotals, in.Currency)
		if !ok {
			return codeErr(ErrPromotionNotApplicable, "%s does not apply to carts in %s", p.Code, in.Currency)
		}
		if in.Subtotal.Currency != in.Currency || in.Subtotal.Minor < minimum.Minor {
			return codeErr(ErrPromotionMinimumNotMet, "%s needs a subtotal of at least %s", p.Code, minimum)
		}
	}
	return nil
}

// IsFor reports whether customerID ("" for a guest) may use the promotion:
// anyone, unless it was issued to one customer. Check judges this first, with
// the unknown code's own answer, so another buyer cannot learn that a
// customer's code exists.
func (p Promotion) IsFor(customerID string) bool {
	return p.CustomerID == nil || *p.CustomerID == customerID
}

// eligible reports whether the promotion covers the line: no product or
// category restriction, or the line's product is listed, or one of its
// categories is.
func (p Promotion) eligible(l DiscountLine) bool {
	if len(p.ProductIDs) == 0 && len(p.CategoryIDs) == 0 {
		return true
	}
	if slices.Contains(p.ProductIDs, l.ProductID) {
		return true
	}
	return slices.ContainsFunc(l.CategoryIDs, func(c string) bool { return slices.Contains(p.CategoryIDs, c) })
}

// amountIn returns the amount in currency from a per-currency list.
func amountIn(list []money.Amount, currency string) (money.Amount, bool) {
	for _, a := range list {
		if a.Currency == currency {
			return a, true
		}
	}
	return money.Amount{}, false
}

// Discount computes what the promotion takes off lines (all in one currency,
// subtotals >= 0) and off shipping (the shipping charge before discounts):
//
//   - percentage: Percentage of the eligible lines' summed subtotal, rounded
//     half away from zero once on that sum, then allocated over the eligible
//     lines in proportion to their subtotals by largest remainder
//     (money.Allocate), so the line discounts add up to the total exactly;
//   - fixed: the amount in the lines' currency, capped at the eligible
//     subtotal, allocated the same way;
//   - free_shipping: the shipping charge.
//
// A line's discount never exceeds its subtotal. Check must have passed.
func (p Promotion) Discount(lines []DiscountLine, shipping money.Amount) (Discount, error) {
	cur := shipping.Currency
	if len(lines) > 0 {
		cur = lines[0].Subtotal.Currency
	}
	d := Discount{Lines: make([]money.Amount, len(lines)), Shipping: money.Zero(cur), Total: money.Zero(cur)}
	weights := make([]int64, len(lines))
	eligible := money.Zero(cur)
	for i, l := range lines {
		d.Lines[i] = money.Zero(cur)
		if l.Subtotal.Currency != cur {
			return Discount{}, fmt.Errorf("discount %s: %w", p.Code, money.ErrCurrencyMismatch)
		}
		if l.Subtotal.Minor < 0 {
			return Discount{}, fmt.Errorf("discount %s: line %q has a negative subtotal", p.Code, l.Key)
		}
		if p.eligible(l) {
			weights[i] = l.Subtotal.Minor
			var err error
			if eligible, err = eligible.Add(l.Subtotal); err != nil {
				return Discount{}, fmt.Errorf("discount %s: %w", p.Code, err)
			}
		}
	}
	var total money.Amount
	switch p.Type {
	case PromotionPercentage:
		t, err := eligible.Percent(min(max(p.Percentage, 0), 10000))
		if err != nil {
			return Discount{}, fmt.Errorf("discount %s: %w", p.Code, err)
		}
		total = t
	case PromotionFixed:
		a, ok := amountIn(p.Amounts, cur)
		if !ok {
			return d, nil // no amount in this currency: nothing off (Check says not applicable)
		}
		total = money.Amount{Minor: min(max(a.Minor, 0), eligible.Minor), Currency: cur}
	case PromotionFreeShipping:
		if shipping.Currency != cur && len(lines) > 0 {
			return Discount{}, fmt.Errorf("discount %s: %w", p.Code, money.ErrCurrencyMismatch)
		}
		d.Shipping = money.Amount{Minor: max(shipping.Minor, 0), Currency: cur}
		d.Total = d.Shipping
		return d, nil
	default:
		return Discount{}, fmt.Errorf("discount %s: unknown type %q", p.Code, p.Type)
	}
	if total.Minor == 0 {
		return d, nil
	}
	parts, err := total.Allocate(weights)
	if err != nil {
		return Discount{}, fmt.Errorf("discount %s: %w", p.Code, err)
	}
	d.Lines = parts
	d.Total = total
	return d, nil
}
