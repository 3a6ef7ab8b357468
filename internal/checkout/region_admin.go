package checkout

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"storekeep/internal/platform/address"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// RegionInput creates a region.
type RegionInput struct {
	Name     string `json:"name" binding:"required" maxLength:"200" example:"Europe"`
	Currency string `json:"currency" binding:"required" minLength:"3" maxLength:"3" example:"EUR"`
	// CountryCodes are ISO 3166-1 alpha-2 codes not in another region.
	CountryCodes []string `json:"country_codes" binding:"required" example:"FR,DE"`
	// TaxRate is in basis points (0-10000): 2000 = 20 %.
	TaxRate int64 `json:"tax_rate" minimum:"0" maximum:"10000" example:"2000"`
	// TaxInclusive: prices in this region already contain the tax.
	TaxInclusive bool `json:"tax_inclusive" example:"true"`
} // @name RegionInput

// RegionPatch changes some fields of a region; absent fields are unchanged.
// The currency cannot change: shipping options and carts are priced in it.
// country_codes, when given, replaces the whole list.
type RegionPatch struct {
	Name         *string  `json:"name,omitempty" maxLength:"200" example:"Europe"`
	CountryCodes []string `json:"country_codes,omitempty" example:"FR,DE,BE"`
	TaxRate      *int64   `json:"tax_rate,omitempty" minimum:"0" maximum:"10000" example:"2100"`
	TaxInclusive *bool    `json:"tax_inclusive,omitempty" example:"false"`
} // @name RegionPatch

// CreateRegion validates in and creates the region with its countries.
func (s *Service) CreateRegion(ctx context.Context, actor auth.Actor, in RegionInput) (Region, error) {
	if err := canManagePricing(actor); err != nil {
		return Region{}, err
	}
	now := s.now()
	row := regionRow{ID: id.New("reg"), Name: strings.TrimSpace(in.Name),
		Currency: strings.TrimSpace(in.Currency), TaxRate: in.TaxRate, TaxInclusive: in.TaxInclusive,
		CreatedAt: now, UpdatedAt: now}
	countries := normalCountries(in.CountryCodes)
	c := &pricingChecks{}
	if !money.ValidCurrency(row.Currency) {
		c.add("currency", "must be an ISO 4217 currency code such as EUR")
	}
	checkRegion(c, row, countries)
	if err := c.err(); err != nil {
		return Region{}, err
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return fmt.Errorf("insert region: %w", err)
		}
		return s.setCountries(ctx, row.ID, countries)
	})
	if err != nil {
		return Region{}, err
	}
	return row.region(countries), nil
}

// UpdateRegion changes some fields of a region.
func (s *Service) UpdateRegion(ctx context.Context, actor auth.Actor, regionID string, p RegionPatch) (Region, error) {
	if err := canManagePricing(actor); err != nil {
		return Region{}, err
	}
	var out Region
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		cur, err := s.Region(ctx, regionID)
		if err != nil {
			return err
		}
		row := regionRow{ID: cur.ID, Name: cur.Name, Currency: cur.Currency, TaxRate: cur.TaxRate,
			TaxInclusive: cur.TaxInclusive, CreatedAt: cur.CreatedAt, UpdatedAt: s.now()}
		if p.Name != nil {
			row.Name = strings.TrimSpace(*p.Name)
		}
		if p.TaxRate != nil {
			row.TaxRate = *p.TaxRate
		}
		if p.TaxInclusive != nil {
			row.TaxInclusive = *p.TaxInclusive
		}
		countries := cur.CountryCodes
		if p.CountryCodes != nil {
			countries = normalCountries(p.CountryCodes)
		}
		c := &pricingChecks{}
		checkRegion(c, row, countries)
		if err := c.err(); err != nil {
			return err
		}
		err = s.db.Conn(ctx).Model(&regionRow{ID: row.ID}).
			Select("name", "tax_rate", "tax_inclusive", "updated_at").Updates(&row).Error
		if err != nil {
			return fmt.Errorf("update region: %w", err)
		}
		if p.CountryCodes != nil {
			if err := s.setCountries(ctx, row.ID, countries); err != nil {
				return err
			}
		}
		out = row.region(countries)
		return nil
	})
	return out, err
}

// DeleteRegion deletes a region no shipping option refers to (deactivated
// ones included: orders name them); otherwise 409 region_in_use.
func (s *Service) DeleteRegion(ctx context.Context, actor auth.Actor, regionID string) error {
	if err := canManagePricing(actor); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.Region(ctx, regionID); err != nil {
			return err
		}
		var n int64
		if err := s.db.Conn(ctx).Table("shipping_options").Where("region_id = ?", regionID).Count(&n).Error; err != nil {
			return fmt.Errorf("count shipping options: %w", err)
		}
		if n > 0 {
			return ErrRegionInUse.WithDetail("%d shipping option(s) refer to region %s; deactivate them and keep the region, or move its countries", n, regionID)
		}
		err := s.db.Conn(ctx).Where("region_id = ?", regionID).Delete(&regionCountry{}).Error
		if err == nil {
			err = s.db.Conn(ctx).Where("id = ?", regionID).Delete(&regionRow{}).Error
		}
		if errors.Is(err, gorm.ErrForeignKeyViolated) {
			// Carts or orders created by other domains still point at it.
			return ErrRegionInUse.WithDetail("region %s is still referred to by carts or orders", regionID)
		}
		if err != nil {
			return fmt.Errorf("delete region: %w", err)
		}
		return nil
	})
}

// setCountries makes countries the region's list: a country already in
// another region is 409 country_in_use naming that region.
func (s *Service) setCountries(ctx context.Context, regionID string, countries []string) error {
	conn := s.db.Conn(ctx)
	if len(countries) > 0 {
		var taken []regionCountry
		err := conn.Where("country_code IN ? AND region_id <> ?", countries, regionID).
			Order("country_code").Find(&taken).Error
		if err != nil {
			return fmt.Errorf("read region countries: %w", err)
		}
		if len(taken) > 0 {
			var other regionRow
			if err := conn.Where("id = ?", taken[0].RegionID).Take(&other).Error; err != nil {
				return fmt.Errorf("read region: %w", err)
			}
			return ErrCountryInUse.WithDetail("%s already belongs to region %s (%s)", taken[0].CountryCode, other.Name, other.ID)
		}
	}
	if err := conn.Where("region_id = ?", regionID).Delete(&regionCountry{}).Error; err != nil {
		return fmt.Errorf("clear region countries: %w", err)
	}
	if len(countries) == 0 {
		return nil
	}
	rows := make([]regionCountry, len(countries))
	for i, cc := range countries {
		rows[i] = regionCountry{CountryCode: cc, RegionID: regionID}
	}
	err := conn.Create(&rows).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Another region took one of them at the same moment.
		return ErrCountryInUse.WithDetail("a country of this region was just added to another region")
	}
	if err != nil {
		return fmt.Errorf("insert region countries: %w", err)
	}
	return nil
}

// normalCountries upper-cases, trims, de-duplicates and sorts codes.
func normalCountries(codes []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, cc := range codes {
		cc = strings.ToUpper(strings.TrimSpace(cc))
		if !seen[cc] {
			seen[cc] = true
			out = append(out, cc)
		}
	}
	sort.Strings(out)
	return out
}

func checkRegion(c *pricingChecks, r regionRow, countries []string) {
	c.text("name", r.Name, MaxConfigNameLen, true)
	if r.TaxRate < 0 || r.TaxRate > 10000 {
		c.add("tax_rate", "must be between 0 and 10000 basis points")
	}
	if len(countries) > MaxRegionCountries {
		c.add("country_codes", "must list at most %d countries", MaxRegionCountries)
	}
	for _, cc := range countries {
		if !address.ValidCountry(cc) {
			c.add("country_codes", "%q is not an ISO 3166-1 alpha-2 country code", cc)
		}
	}
}
