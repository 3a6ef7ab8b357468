package checkout

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// Limits on promotion input.
const (
	// MaxPromotionIDs bounds each restriction list.
	MaxPromotionIDs = 100
)

// codePattern is what a discount code may look like once upper-cased.
var codePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,49}$`)

// PromotionInput creates a promotion. percentage is needed (only) by
// percentage promotions, amounts (only) by fixed ones.
type PromotionInput struct {
	// Code is stored upper case: 1-50 letters, digits, '-' or '_'.
	Code       string         `json:"code" binding:"required" maxLength:"50" example:"WELCOME15"`
	Type       string         `json:"type" binding:"required" enums:"percentage,fixed,free_shipping" example:"percentage"`
	Percentage int64          `json:"percentage,omitempty" minimum:"0" maximum:"10000" example:"1500"`
	Amounts    []money.Amount `json:"amounts,omitempty"`
	// MinSubtotals are minimum item subtotals, one per currency.
	MinSubtotals     []money.Amount `json:"min_subtotals,omitempty"`
	StartsAt         *time.Time     `json:"starts_at,omitempty" format:"date-time" example:"2025-01-01T00:00:00Z"`
	EndsAt           *time.Time     `json:"ends_at,omitempty" format:"date-time" example:"2025-12-31T23:59:59Z"`
	UsageLimit       *int64         `json:"usage_limit,omitempty" minimum:"0" example:"1000"`
	PerCustomerLimit *int64         `json:"per_customer_limit,omitempty" minimum:"1" example:"1"`
	ProductIDs       []string       `json:"product_ids,omitempty"`
	CategoryIDs      []string       `json:"category_ids,omitempty"`
	CustomerGroupIDs []string       `json:"customer_group_ids,omitempty"`
	Combinable       bool           `json:"combinable,omitempty" example:"false"`
	// Active defaults to true.
	Active *bool `json:"active,omitempty" example:"true"`
} // @name PromotionInput

// PromotionPatch changes some fields of a promotion; absent fields are
// unchanged; a list, when given, replaces the stored one. The code and type
// cannot change (create another promotion), nor can the usage count.
type PromotionPatch struct {
	Percentage       *int64         `json:"percentage,omitempty" minimum:"0" maximum:"10000" example:"2000"`
	Amounts          []money.Amount `json:"amounts,omitempty"`
	MinSubtotals     []money.Amount `json:"min_subtotals,omitempty"`
	StartsAt         *time.Time     `json:"starts_at,omitempty" format:"date-time" example:"2025-01-01T00:00:00Z"`
	EndsAt           *time.Time     `json:"ends_at,omitempty" format:"date-time" example:"2025-12-31T23:59:59Z"`
	UsageLimit       *int64         `json:"usage_limit,omitempty" minimum:"0" example:"500"`
	PerCustomerLimit *int64         `json:"per_customer_limit,omitempty" minimum:"1" example:"2"`
	ProductIDs       []string       `json:"product_ids,omitempty"`
	CategoryIDs      []string       `json:"category_ids,omitempty"`
	CustomerGroupIDs []string       `json:"customer_group_ids,omitempty"`
	Combinable       *bool          `json:"combinable,omitempty" example:"true"`
	Active           *bool          `json:"active,omitempty" example:"false"`
	// Clear removes optional settings (JSON null cannot, as it reads as
	// "absent"): starts_at, ends_at, usage_limit, per_customer_limit.
	Clear []string `json:"clear,omitempty" enums:"starts_at,ends_at,usage_limit,per_customer_limit" example:"ends_at"`
} // @name PromotionPatch

// NormalizeCode is how codes are stored and matched: trimmed, upper case.
func NormalizeCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// CreatePromotion validates in and creates the promotion.
func (s *Service) CreatePromotion(ctx context.Context, actor auth.Actor, in PromotionInput) (Promotion, error) {
	if err := canManagePricing(actor); err != nil {
		return Promotion{}, err
	}
	return s.createPromotion(ctx, in, nil)
}

// createPromotion validates in and creates the promotion, for customerID
// alone when it is not nil.
func (s *Service) createPromotion(ctx context.Context, in PromotionInput, customerID *string) (Promotion, error) {
	now := s.now()
	p := Promotion{CustomerID: customerID, ID: id.New("promo"), Code: NormalizeCode(in.Code), Type: in.Type, Percentage: in.Percentage,
		Amounts: orEmpty(in.Amounts), MinSubtotals: orEmpty(in.MinSubtotals), StartsAt: utcMicro(in.StartsAt),
		EndsAt: utcMicro(in.EndsAt), UsageLimit: in.UsageLimit, PerCustomerLimit: in.PerCustomerLimit,
		ProductIDs: dedupe(in.ProductIDs), CategoryIDs: dedupe(in.CategoryIDs),
		CustomerGroupIDs: dedupe(in.CustomerGroupIDs), Combinable: in.Combinable,
		Active: in.Active == nil || *in.Active, CreatedAt: now, UpdatedAt: now}
	c := &pricingChecks{}
	if !codePattern.MatchString(p.Code) {
		c.add("code", "must be 1-50 letters, digits, '-' or '_'")
	}
	checkPromotion(c, p)
	if err := c.err(); err != nil {
		return Promotion{}, err
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var n int64
		if err := s.db.Conn(ctx).Model(&promotionRow{}).Where("code = ?", p.Code).Count(&n).Error; err != nil {
			return fmt.Errorf("check promotion code: %w", err)
		}
		if n > 0 {
			return ErrCodeTaken.WithDetail("another promotion has the code %s", p.Code)
		}
		row := p.row()
		err := s.db.Conn(ctx).Create(&row).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return ErrCodeTaken.WithDetail("another promotion has the code %s", p.Code)
		}
		if err != nil {
			return fmt.Errorf("insert promotion: %w", err)
		}
		return nil
	})
	if err != nil {
		return Promotion{}, err
	}
	return p, nil
}

// UpdatePromotion changes some fields of a promotion.
func (s *Service) UpdatePromotion(ctx context.Context, actor auth.Actor, promotionID string, in PromotionPatch) (Promotion, error) {
	if err := canManagePricing(actor); err != nil {
		return Promotion{}, err
	}
	var out Promotion
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		p, err := s.promotion(ctx, promotionID)
		if err != nil {
			return err
		}
		c := &pricingChecks{}
		applyPromotionPatch(c, &p, in)
		checkPromotion(c, p)
		if err := c.err(); err != nil {
			return err
		}
		p.UpdatedAt = s.now()
		row := p.row()
		// usage_count is not in the list: only Redeem moves it.
		err = s.db.Conn(ctx).Model(&promotionRow{ID: p.ID}).Select("percentage", "amounts", "min_subtotals",
			"starts_at", "ends_at", "usage_limit", "per_customer_limit", "product_ids", "category_ids",
			"customer_group_ids", "combinable", "active", "updated_at").Updates(&row).Error
		if err != nil {
			return fmt.Errorf("update promotion: %w", err)
		}
		out = p
		return nil
	})
	return out, err
}

func applyPromotionPatch(c *pricingChecks, p *Promotion, in PromotionPatch) {
	for i, f := range in.Clear {
		set := false
		switch f {
		case "starts_at":
			set, p.StartsAt = in.StartsAt != nil, nil
		case "ends_at":
			set, p.EndsAt = in.EndsAt != nil, nil
		case "usage_limit":
			set, p.UsageLimit = in.UsageLimit != nil, nil
		case "per_customer_limit":
			set, p.PerCustomerLimit = in.PerCustomerLimit != nil, nil
		default:
			c.add(fmt.Sprintf("clear[%d]", i), "must be starts_at, ends_at, usage_limit or per_customer_limit")
		}
		if set {
			c.add(fmt.Sprintf("clear[%d]", i), "%s cannot be set and cleared at once", f)
		}
	}
	if in.Percentage != nil {
		p.Percentage = *in.Percentage
	}
	if in.Amounts != nil {
		p.Amounts = in.Amounts
	}
	if in.MinSubtotals != nil {
		p.MinSubtotals = in.MinSubtotals
	}
	if in.StartsAt != nil {
		p.StartsAt = utcMicro(in.StartsAt)
	}
	if in.EndsAt != nil {
		p.EndsAt = utcMicro(in.EndsAt)
	}
	if in.UsageLimit != nil {
		p.UsageLimit = in.UsageLimit
	}
	if in.PerCustomerLimit != nil {
		p.PerCustomerLimit = in.PerCustomerLimit
	}
	if in.ProductIDs != nil {
		p.ProductIDs = dedupe(in.ProductIDs)
	}
	if in.CategoryIDs != nil {
		p.CategoryIDs = dedupe(in.CategoryIDs)
	}
	if in.CustomerGroupIDs != nil {
		p.CustomerGroupIDs = dedupe(in.CustomerGroupIDs)
	}
	if in.Combinable != nil {
		p.Combinable = *in.Combinable
	}
	if in.Active != nil {
		p.Active = *in.Active
	}
}

// DeactivatePromotion stops a code from being applied. It is never deleted:
// its usage history (and the orders that used it) keep referring to it.
func (s *Service) DeactivatePromotion(ctx context.Context, actor auth.Actor, promotionID string) error {
	f := false
	_, err := s.UpdatePromotion(ctx, actor, promotionID, PromotionPatch{Active: &f})
	return err
}

// GetPromotion returns one promotion to staff.
func (s *Service) GetPromotion(ctx context.Context, actor auth.Actor, promotionID string) (Promotion, error) {
	if err := canReadPricing(actor); err != nil {
		return Promotion{}, err
	}
	return s.promotion(ctx, promotionID)
}

// PromotionFilter narrows ListPromotions.
type PromotionFilter struct {
	// Code, when set, keeps the promotion with that code (any case).
	Code string
	// Active, when set, keeps promotions with that flag.
	Active *bool
}

// ListPromotions lists promotions oldest first.
func (s *Service) ListPromotions(ctx context.Context, actor auth.Actor, f PromotionFilter, pr page.Request) (page.List[Promotion], error) {
	if err := canReadPricing(actor); err != nil {
		return page.List[Promotion]{}, err
	}
	var rows []promotionRow
	q := s.db.Conn(ctx).Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	if f.Code != "" {
		q = q.Where("code = ?", NormalizeCode(f.Code))
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Promotion]{}, fmt.Errorf("list promotions: %w", err)
	}
	out := make([]Promotion, 0, len(rows))
	for _, r := range rows {
		p, err := r.promotion()
		if err != nil {
			return page.List[Promotion]{}, err
		}
		out = append(out, p)
	}
	return page.Build(out, pr.Limit, func(p Promotion) page.Cursor { return page.Cursor{ID: p.ID} }), nil
}

func checkPromotion(c *pricingChecks, p Promotion) {
	switch p.Type {
	case PromotionPercentage:
		if p.Percentage < 1 || p.Percentage > 10000 {
			c.add("percentage", "must be between 1 and 10000 basis points")
		}
	case PromotionFixed, PromotionFreeShipping:
		if p.Percentage != 0 {
			c.add("percentage", "only percentage promotions have a percentage")
		}
	default:
		c.add("type", "must be percentage, fixed or free_shipping")
	}
	if p.Type == PromotionFixed && len(p.Amounts) == 0 {
		c.add("amounts", "fixed promotions need an amount in at least one currency")
	}
	if p.Type != PromotionFixed && len(p.Amounts) > 0 {
		c.add("amounts", "only fixed promotions have amounts")
	}
	perCurrency(c, "amounts", p.Amounts, true)
	perCurrency(c, "min_subtotals", p.MinSubtotals, false)
	if p.StartsAt != nil && p.EndsAt != nil && !p.StartsAt.Before(*p.EndsAt) {
		c.add("ends_at", "must be after starts_at")
	}
	if p.UsageLimit != nil && *p.UsageLimit < 0 {
		c.add("usage_limit", "must be 0 or more")
	}
	if p.PerCustomerLimit != nil && *p.PerCustomerLimit < 1 {
		c.add("per_customer_limit", "must be 1 or more")
	}
	checkIDs(c, "product_ids", "prod", p.ProductIDs)
	checkIDs(c, "category_ids", "cat", p.CategoryIDs)
	checkIDs(c, "customer_group_ids", "cgrp", p.CustomerGroupIDs)
}

// perCurrency checks a list of amounts with at most one per currency.
func perCurrency(c *pricingChecks, field string, list []money.Amount, positive bool) {
	seen := map[string]bool{}
	for i, a := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		c.price(f, a, "", positive)
		if seen[a.Currency] {
			c.add(f+".currency", "%s is listed twice", a.Currency)
		}
		seen[a.Currency] = true
	}
}

// checkIDs checks the format of restriction ids (existence is not checked:
// an id that matches nothing restricts the code to nothing).
func checkIDs(c *pricingChecks, field, prefix string, ids []string) {
	if len(ids) > MaxPromotionIDs {
		c.add(field, "must list at most %d ids", MaxPromotionIDs)
		return
	}
	for i, v := range ids {
		if !id.Valid(prefix, v) {
			c.add(fmt.Sprintf("%s[%d]", field, i), "must be a %s_ id", prefix)
		}
	}
}

// dedupe removes repeated ids, keeping the first occurrence; never nil.
func dedupe(ids []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, v := range ids {
		v = strings.TrimSpace(v)
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func orEmpty(l []money.Amount) []money.Amount {
	if l == nil {
		return []money.Amount{}
	}
	return l
}

// utcMicro stores times in UTC at the databases' microsecond precision, so
// what is returned equals what is read back later.
func utcMicro(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC().Truncate(time.Microsecond)
	return &v
}
