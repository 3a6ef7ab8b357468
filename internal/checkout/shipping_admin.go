package checkout

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// ShippingOptionInput creates a shipping option. Which money fields are
// needed depends on type: flat needs amount; free_over needs amount and
// free_over; weight needs rates and takes no amount (a parcel above the last
// bracket cannot use the option rather than paying a catch-all price). All
// money is in the region's currency.
type ShippingOptionInput struct {
	RegionID string        `json:"region_id" binding:"required" example:"reg_06h1wbq28dxanf5st2bqp8yfxm"`
	Name     string        `json:"name" binding:"required" maxLength:"200" example:"Colissimo"`
	Type     string        `json:"type" binding:"required" enums:"flat,free_over,weight" example:"free_over"`
	Amount   *money.Amount `json:"amount,omitempty"`
	FreeOver *money.Amount `json:"free_over,omitempty"`
	Rates    []WeightRate  `json:"rates,omitempty"`
	// Active defaults to true.
	Active *bool `json:"active,omitempty" example:"true"`
} // @name ShippingOptionInput

// ShippingOptionPatch changes some fields of a shipping option; absent fields
// are unchanged. The region and type cannot change (create another option);
// the result must still satisfy the type's rules.
type ShippingOptionPatch struct {
	Name     *string       `json:"name,omitempty" maxLength:"200" example:"Colissimo Express"`
	Amount   *money.Amount `json:"amount,omitempty"`
	FreeOver *money.Amount `json:"free_over,omitempty"`
	Rates    []WeightRate  `json:"rates,omitempty"`
	Active   *bool         `json:"active,omitempty" example:"false"`
} // @name ShippingOptionPatch

// CreateShippingOption validates in and creates the option.
func (s *Service) CreateShippingOption(ctx context.Context, actor auth.Actor, in ShippingOptionInput) (ShippingOption, error) {
	if err := canManagePricing(actor); err != nil {
		return ShippingOption{}, err
	}
	c := &pricingChecks{}
	reg, err := s.Region(ctx, in.RegionID)
	if errors.Is(err, ErrRegionNotFound) {
		c.add("region_id", "is not a region")
	} else if err != nil {
		return ShippingOption{}, err
	}
	now := s.now()
	o := ShippingOption{ID: id.New("so"), RegionID: in.RegionID, Name: strings.TrimSpace(in.Name),
		Type: in.Type, Active: in.Active == nil || *in.Active, CreatedAt: now, UpdatedAt: now}
	o = shapeOption(c, o, reg.Currency, in.Amount, in.FreeOver, in.Rates)
	if err := c.err(); err != nil {
		return ShippingOption{}, err
	}
	row := o.row()
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return ShippingOption{}, fmt.Errorf("insert shipping option: %w", err)
	}
	return o, nil
}

// UpdateShippingOption changes some fields of a shipping option.
func (s *Service) UpdateShippingOption(ctx context.Context, actor auth.Actor, optionID string, p ShippingOptionPatch) (ShippingOption, error) {
	if err := canManagePricing(actor); err != nil {
		return ShippingOption{}, err
	}
	var out ShippingOption
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		cur, err := s.ShippingOption(ctx, optionID)
		if err != nil {
			return err
		}
		o := cur
		if p.Name != nil {
			o.Name = strings.TrimSpace(*p.Name)
		}
		if p.Active != nil {
			o.Active = *p.Active
		}
		amount, freeOver, rates := &cur.Amount, cur.FreeOver, cur.Rates
		if cur.Type == ShippingWeight {
			amount = nil
		}
		if p.Amount != nil {
			amount = p.Amount
		}
		if p.FreeOver != nil {
			freeOver = p.FreeOver
		}
		if p.Rates != nil {
			rates = p.Rates
		}
		c := &pricingChecks{}
		o = shapeOption(c, o, cur.Amount.Currency, amount, freeOver, rates)
		if err := c.err(); err != nil {
			return err
		}
		o.UpdatedAt = s.now()
		row := o.row()
		err = s.db.Conn(ctx).Model(&shippingRow{ID: o.ID}).
			Select("name", "amount", "free_over", "rates", "active", "updated_at").Updates(&row).Error
		if err != nil {
			return fmt.Errorf("update shipping option: %w", err)
		}
		out = o
		return nil
	})
	return out, err
}

// DeactivateShippingOption takes an option off the storefront. It is never
// deleted: carts and orders refer to it.
func (s *Service) DeactivateShippingOption(ctx context.Context, actor auth.Actor, optionID string) error {
	f := false
	_, err := s.UpdateShippingOption(ctx, actor, optionID, ShippingOptionPatch{Active: &f})
	return err
}

// shapeOption checks the type's rules and returns o with its money fields
// set from amount, freeOver and rates (given = sent by the client or kept).
func shapeOption(c *pricingChecks, o ShippingOption, currency string, amount, freeOver *money.Amount,
	rates []WeightRate) ShippingOption {
	c.text("name", o.Name, MaxConfigNameLen, true)
	o.Amount, o.FreeOver, o.Rates = money.Zero(currency), nil, []WeightRate{}
	switch o.Type {
	case ShippingFlat, ShippingFreeOver:
		if amount == nil {
			c.add("amount", "is required for %s options", o.Type)
		} else {
			c.price("amount", *amount, currency, false)
			o.Amount = *amount
		}
		if len(rates) > 0 {
			c.add("rates", "only weight options have rates")
		}
		if o.Type == ShippingFlat && freeOver != nil {
			c.add("free_over", "only free_over options have a threshold")
		}
		if o.Type == ShippingFreeOver {
			if freeOver == nil {
				c.add("free_over", "is required for free_over options")
			} else {
				c.price("free_over", *freeOver, currency, true)
				f := *freeOver
				o.FreeOver = &f
			}
		}
	case ShippingWeight:
		if amount != nil {
			c.add("amount", "is not allowed for weight options: a parcel above the last bracket cannot use the option")
		}
		if freeOver != nil {
			c.add("free_over", "only free_over options have a threshold")
		}
		o.Rates = checkRates(c, currency, rates)
	default:
		c.add("type", "must be flat, free_over or weight")
	}
	return o
}

// checkRates validates weight brackets and returns them by ascending
// max_grams; two brackets with the same max_grams are an error.
func checkRates(c *pricingChecks, currency string, rates []WeightRate) []WeightRate {
	switch {
	case len(rates) == 0:
		c.add("rates", "weight options need at least one bracket")
		return []WeightRate{}
	case len(rates) > MaxShippingRates:
		c.add("rates", "must list at most %d brackets", MaxShippingRates)
		return []WeightRate{}
	}
	for i, r := range rates {
		f := fmt.Sprintf("rates[%d]", i)
		if r.MaxGrams < 1 || r.MaxGrams > MaxGrams {
			c.add(f+".max_grams", "must be between 1 and %d", int64(MaxGrams))
		}
		c.price(f+".amount", r.Amount, currency, false)
	}
	out := append([]WeightRate(nil), rates...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].MaxGrams < out[j].MaxGrams })
	for i := 1; i < len(out); i++ {
		if out[i].MaxGrams == out[i-1].MaxGrams {
			c.add("rates", "two brackets have max_grams %d", out[i].MaxGrams)
		}
	}
	return out
}
