package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// Program is the shop's loyalty programme.
type Program struct {
	// Active: points are earned and may be redeemed.
	Active bool `json:"active" binding:"required" example:"true"`
	// EarnPerUnit is the points earned per whole currency unit (1 EUR) of
	// an order's paid total, excluding shipping and tax, in any currency.
	EarnPerUnit int64 `json:"earn_per_unit" binding:"required" example:"1"`
	// RedeemValue is what one point is worth at checkout; points are
	// redeemable in carts of this currency only.
	RedeemValue money.Amount `json:"redeem_value" binding:"required"`
	// ExpiryDays: points expire this many days after they were credited
	// (0: never).
	ExpiryDays int64 `json:"expiry_days" binding:"required" example:"365"`
	// Tiers, by ascending min_spend_12m.
	Tiers     []Tier    `json:"tiers" binding:"required"`
	UpdatedAt time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name LoyaltyProgram

// Tier is a VIP tier: customers whose rolling 12-month spend (in the
// programme's currency) reaches MinSpend12m.
type Tier struct {
	Key         string       `json:"key" binding:"required" maxLength:"40" example:"silver"`
	Name        string       `json:"name" binding:"required" maxLength:"100" example:"Silver"`
	MinSpend12m money.Amount `json:"min_spend_12m" binding:"required"`
	Perks       Perks        `json:"perks" binding:"required"`
} // @name LoyaltyTier

// Perks are what a tier gives: an earn multiplier (1 when unset) and the
// customer group whose restricted promotions are the tier's offers.
type Perks struct {
	EarnMultiplier float64 `json:"earn_multiplier,omitempty" format:"double" example:"1.5"`
	GroupID        *string `json:"group_id,omitempty" example:"cgrp_06h1wbq28dxanf5st2bqp8yfxm"`
} // @name LoyaltyPerks

// ProgramInput replaces the programme.
type ProgramInput struct {
	Active      *bool        `json:"active,omitempty" example:"true"`
	EarnPerUnit int64        `json:"earn_per_unit" binding:"required" minimum:"0" example:"1"`
	RedeemValue money.Amount `json:"redeem_value" binding:"required"`
	ExpiryDays  int64        `json:"expiry_days" minimum:"0" example:"365"`
	Tiers       []Tier       `json:"tiers"`
} // @name LoyaltyProgramInput

type programRow struct {
	ID          string
	Active      bool
	EarnPerUnit int64
	RedeemValue int64
	Currency    string
	ExpiryDays  int64
	Tiers       string
	UpdatedAt   time.Time
}

func (programRow) TableName() string { return "loyalty_program" }

const programID = "default"

// Program returns the programme; a shop that has none has an inactive one
// earning and worth nothing.
func (s *Service) Program(ctx context.Context) (Program, error) {
	var r programRow
	err := s.db.Conn(ctx).Where("id = ?", programID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Program{RedeemValue: money.Zero("EUR"), Tiers: []Tier{}}, nil
	}
	if err != nil {
		return Program{}, fmt.Errorf("read loyalty program: %w", err)
	}
	p := Program{Active: r.Active, EarnPerUnit: r.EarnPerUnit, ExpiryDays: r.ExpiryDays, UpdatedAt: r.UpdatedAt,
		RedeemValue: money.Amount{Minor: r.RedeemValue, Currency: r.Currency}, Tiers: []Tier{}}
	if err := json.Unmarshal([]byte(r.Tiers), &p.Tiers); err != nil {
		return Program{}, fmt.Errorf("decode loyalty tiers: %w", err)
	}
	return p, nil
}

// PutProgram validates and replaces the programme.
func (s *Service) PutProgram(ctx context.Context, in ProgramInput) (Program, error) {
	var fe []errs.FieldError
	if in.EarnPerUnit < 0 || in.EarnPerUnit > 10000 {
		fe = append(fe, errs.FieldError{Field: "earn_per_unit", Message: "must be between 0 and 10000"})
	}
	if !money.ValidCurrency(in.RedeemValue.Currency) {
		fe = append(fe, errs.FieldError{Field: "redeem_value.currency", Message: "is not a known currency"})
	}
	if in.RedeemValue.Minor < 0 {
		fe = append(fe, errs.FieldError{Field: "redeem_value.amount", Message: "must be 0 or more"})
	}
	if in.ExpiryDays < 0 || in.ExpiryDays > 3650 {
		fe = append(fe, errs.FieldError{Field: "expiry_days", Message: "must be between 0 and 3650"})
	}
	seen := map[string]bool{}
	for i, t := range in.Tiers {
		f := fmt.Sprintf("tiers[%d]", i)
		if t.Key == "" || len(t.Key) > 40 || seen[t.Key] {
			fe = append(fe, errs.FieldError{Field: f + ".key", Message: "is required, unique, at most 40 characters"})
		}
		seen[t.Key] = true
		if t.Name == "" || len(t.Name) > 100 {
			fe = append(fe, errs.FieldError{Field: f + ".name", Message: "is required (at most 100 characters)"})
		}
		if t.MinSpend12m.Currency != in.RedeemValue.Currency || t.MinSpend12m.Minor < 0 {
			fe = append(fe, errs.FieldError{Field: f + ".min_spend_12m", Message: "must be 0 or more in the programme's currency"})
		}
		if i > 0 && t.MinSpend12m.Minor <= in.Tiers[i-1].MinSpend12m.Minor {
			fe = append(fe, errs.FieldError{Field: f + ".min_spend_12m", Message: "tiers must be in ascending order of spend"})
		}
		if t.Perks.EarnMultiplier < 0 || t.Perks.EarnMultiplier > 100 {
			fe = append(fe, errs.FieldError{Field: f + ".perks.earn_multiplier", Message: "must be between 0 and 100"})
		}
	}
	if len(fe) > 0 {
		return Program{}, errs.ErrValidation.WithFields(fe...)
	}
	if in.Tiers == nil {
		in.Tiers = []Tier{}
	}
	tiers, err := json.Marshal(in.Tiers)
	if err != nil {
		return Program{}, err
	}
	r := programRow{ID: programID, Active: in.Active == nil || *in.Active, EarnPerUnit: in.EarnPerUnit,
		RedeemValue: in.RedeemValue.Minor, Currency: in.RedeemValue.Currency, ExpiryDays: in.ExpiryDays,
		Tiers: string(tiers), UpdatedAt: s.now()}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Where("id = ?", programID).Delete(&programRow{}).Error; err != nil {
			return err
		}
		return s.db.Conn(ctx).Create(&r).Error
	})
	if err != nil {
		return Program{}, fmt.Errorf("save loyalty program: %w", err)
	}
	return s.Program(ctx)
}

// tierFor is the highest tier spend reaches ("" for none).
func (p Program) tierFor(spend int64) *Tier {
	var out *Tier
	for i := range p.Tiers {
		if spend >= p.Tiers[i].MinSpend12m.Minor {
			out = &p.Tiers[i]
		}
	}
	return out
}

func (p Program) tier(key string) *Tier {
	for i := range p.Tiers {
		if p.Tiers[i].Key == key {
			return &p.Tiers[i]
		}
	}
	return nil
}

// RedeemValue is what one point is worth at checkout and whether points
// can be redeemed (the programme is active).
func (s *Service) RedeemValue(ctx context.Context) (money.Amount, bool, error) {
	p, err := s.Program(ctx)
	return p.RedeemValue, p.Active, err
}
