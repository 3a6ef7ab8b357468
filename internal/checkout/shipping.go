package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// Shipping option types.
const (
	// ShippingFlat charges Amount whatever the cart.
	ShippingFlat = "flat"
	// ShippingFreeOver charges Amount unless the cart's subtotal (after
	// discounts) reaches FreeOver, then nothing.
	ShippingFreeOver = "free_over"
	// ShippingWeight charges the first weight bracket the parcel fits in; a
	// parcel heavier than the last bracket cannot use the option.
	ShippingWeight = "weight"
)

// ShippingOption is a way a region's orders are shipped, with its price rule.
type ShippingOption struct {
	ID       string `json:"id" binding:"required" example:"so_06h1wbq28dxanf5st2bqp8yfxm"`
	RegionID string `json:"region_id" binding:"required" example:"reg_06h1wbq28dxanf5st2bqp8yfxm"`
	Name     string `json:"name" binding:"required" example:"Colissimo"`
	// Type is flat, free_over or weight.
	Type string `json:"type" binding:"required" enums:"flat,free_over,weight" example:"free_over"`
	// Amount is the price of flat and free_over options; zero for weight
	// options, which are priced by Rates.
	Amount money.Amount `json:"amount" binding:"required"`
	// FreeOver is the free_over threshold: a subtotal after discounts at or
	// above it ships free.
	FreeOver *money.Amount `json:"free_over" binding:"required" extensions:"x-nullable"`
	// Rates are the weight brackets, by ascending max_grams ([] unless weight).
	Rates     []WeightRate `json:"rates" binding:"required"`
	Active    bool         `json:"active" binding:"required" example:"true"`
	CreatedAt time.Time    `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time    `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name ShippingOption

// WeightRate is one weight bracket: parcels up to MaxGrams (inclusive) cost Amount.
type WeightRate struct {
	MaxGrams int64        `json:"max_grams" binding:"required" minimum:"1" example:"2000"`
	Amount   money.Amount `json:"amount" binding:"required"`
} // @name WeightRate

// ErrShippingOptionNotFound is returned for unknown or malformed shipping option ids.
var ErrShippingOptionNotFound = errs.New(errs.NotFound, "not_found", "the shipping option does not exist")

// Price is what the option charges for a cart whose item subtotal after
// discounts is subtotal and whose parcel weighs grams:
//
//   - flat: Amount;
//   - free_over: zero when subtotal >= FreeOver, else Amount;
//   - weight: the Amount of the first bracket with grams <= MaxGrams.
//
// ok is false when the option cannot ship the cart: heavier than the last
// weight bracket, or subtotal in another currency.
func (o ShippingOption) Price(subtotal money.Amount, grams int64) (price money.Amount, ok bool) {
	cur := o.Amount.Currency
	switch o.Type {
	case ShippingFlat:
		return o.Amount, true
	case ShippingFreeOver:
		if o.FreeOver == nil || subtotal.Currency != cur {
			return money.Amount{}, false
		}
		if subtotal.Minor >= o.FreeOver.Minor {
			return money.Zero(cur), true
		}
		return o.Amount, true
	case ShippingWeight:
		for _, r := range o.Rates {
			if grams <= r.MaxGrams {
				return r.Amount, true
			}
		}
	}
	return money.Amount{}, false
}

// shippingRow is the shipping_options table.
type shippingRow struct {
	ID        string
	RegionID  string
	Name      string
	Type      string
	Amount    int64
	Currency  string
	FreeOver  *int64
	Rates     string
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (shippingRow) TableName() string { return "shipping_options" }

func (r shippingRow) option() (ShippingOption, error) {
	rates, err := decodeList[WeightRate](r.Rates)
	if err != nil {
		return ShippingOption{}, err
	}
	o := ShippingOption{ID: r.ID, RegionID: r.RegionID, Name: r.Name, Type: r.Type,
		Amount: money.Amount{Minor: r.Amount, Currency: r.Currency}, Rates: rates, Active: r.Active,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.FreeOver != nil {
		o.FreeOver = &money.Amount{Minor: *r.FreeOver, Currency: r.Currency}
	}
	return o, nil
}

func (o ShippingOption) row() shippingRow {
	r := shippingRow{ID: o.ID, RegionID: o.RegionID, Name: o.Name, Type: o.Type, Amount: o.Amount.Minor,
		Currency: o.Amount.Currency, Rates: encodeList(o.Rates), Active: o.Active, CreatedAt: o.CreatedAt,
		UpdatedAt: o.UpdatedAt}
	if o.FreeOver != nil {
		v := o.FreeOver.Minor
		r.FreeOver = &v
	}
	return r
}

// ShippingOption returns one shipping option, active or not: the caller
// (checkout) checks Active and that it belongs to the cart's region.
func (s *Service) ShippingOption(ctx context.Context, optionID string) (ShippingOption, error) {
	if !id.Valid("so", optionID) {
		return ShippingOption{}, ErrShippingOptionNotFound
	}
	var row shippingRow
	err := s.db.Conn(ctx).Where("id = ?", optionID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ShippingOption{}, ErrShippingOptionNotFound
	}
	if err != nil {
		return ShippingOption{}, fmt.Errorf("read shipping option: %w", err)
	}
	return row.option()
}

// GetShippingOption returns one shipping option to staff.
func (s *Service) GetShippingOption(ctx context.Context, actor auth.Actor, optionID string) (ShippingOption, error) {
	if err := canReadPricing(actor); err != nil {
		return ShippingOption{}, err
	}
	return s.ShippingOption(ctx, optionID)
}

// ShippingOptionsFor returns the region's active shipping options, oldest
// first (a stable order for the storefront).
func (s *Service) ShippingOptionsFor(ctx context.Context, regionID string) ([]ShippingOption, error) {
	var rows []shippingRow
	err := s.db.Conn(ctx).Where("region_id = ? AND active = ?", regionID, true).Order("id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list shipping options: %w", err)
	}
	return optionsOf(rows)
}

// ShippingFilter narrows ListShippingOptions.
type ShippingFilter struct {
	// RegionID, when set, keeps the region's options.
	RegionID string
	// Active, when set, keeps options with that flag.
	Active *bool
}

// ListShippingOptions lists shipping options oldest first, active or not.
func (s *Service) ListShippingOptions(ctx context.Context, actor auth.Actor, f ShippingFilter, pr page.Request) (page.List[ShippingOption], error) {
	if err := canReadPricing(actor); err != nil {
		return page.List[ShippingOption]{}, err
	}
	var rows []shippingRow
	q := s.db.Conn(ctx).Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	if f.RegionID != "" {
		q = q.Where("region_id = ?", f.RegionID)
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	if err := q.Find(&rows).Error; err != nil {
		return page.List[ShippingOption]{}, fmt.Errorf("list shipping options: %w", err)
	}
	opts, err := optionsOf(rows)
	if err != nil {
		return page.List[ShippingOption]{}, err
	}
	return page.Build(opts, pr.Limit, func(o ShippingOption) page.Cursor { return page.Cursor{ID: o.ID} }), nil
}

func optionsOf(rows []shippingRow) ([]ShippingOption, error) {
	out := make([]ShippingOption, 0, len(rows))
	for _, r := range rows {
		o, err := r.option()
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}
