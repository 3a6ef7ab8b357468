package checkout

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Region is where the shop sells: a set of countries sharing a currency and
// a tax rule. A cart's currency and shipping country pick its region.
type Region struct {
	ID       string `json:"id" binding:"required" example:"reg_06h1wbq28dxanf5st2bqp8yfxm"`
	Name     string `json:"name" binding:"required" example:"Europe"`
	Currency string `json:"currency" binding:"required" example:"EUR"`
	// CountryCodes are ISO 3166-1 alpha-2 codes, sorted; a country belongs to
	// at most one region.
	CountryCodes []string `json:"country_codes" binding:"required" example:"DE,FR"`
	// TaxRate is in basis points: 2000 = 20 %.
	TaxRate int64 `json:"tax_rate" binding:"required" minimum:"0" maximum:"10000" example:"2000"`
	// TaxInclusive: prices in this region already contain the tax.
	TaxInclusive bool      `json:"tax_inclusive" binding:"required" example:"true"`
	CreatedAt    time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt    time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Region

// Errors of regions. Codes are part of the API contract.
var (
	// ErrRegionNotFound is returned for unknown or malformed region ids.
	ErrRegionNotFound = errs.New(errs.NotFound, "not_found", "the region does not exist")
	// ErrRegionUnavailable is returned when no region serves a currency (and
	// country): the shop does not sell or ship there in that currency.
	ErrRegionUnavailable = errs.New(errs.Unprocessable, "region_unavailable", "we do not sell in this currency and country")
	// ErrCountryInUse is returned when a country already belongs to another region.
	ErrCountryInUse = errs.New(errs.Conflict, "country_in_use", "a country already belongs to another region")
	// ErrRegionInUse is returned when deleting a region that shipping options
	// (or carts and orders) still refer to.
	ErrRegionInUse = errs.New(errs.Conflict, "region_in_use", "shipping options still refer to this region")
)

// regionRow is the regions table.
type regionRow struct {
	ID           string
	Name         string
	Currency     string
	TaxRate      int64
	TaxInclusive bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (regionRow) TableName() string { return "regions" }

// regionCountry is the region_countries table.
type regionCountry struct {
	CountryCode string `gorm:"primaryKey"`
	RegionID    string
}

func (regionCountry) TableName() string { return "region_countries" }

func (r regionRow) region(countries []string) Region {
	if countries == nil {
		countries = []string{}
	}
	sort.Strings(countries)
	return Region{ID: r.ID, Name: r.Name, Currency: r.Currency, CountryCodes: countries, TaxRate: r.TaxRate,
		TaxInclusive: r.TaxInclusive, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// Region returns one region.
func (s *Service) Region(ctx context.Context, regionID string) (Region, error) {
	if !id.Valid("reg", regionID) {
		return Region{}, ErrRegionNotFound
	}
	var row regionRow
	err := s.db.Conn(ctx).Where("id = ?", regionID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Region{}, ErrRegionNotFound
	}
	if err != nil {
		return Region{}, fmt.Errorf("read region: %w", err)
	}
	out, err := s.withCountries(ctx, []regionRow{row})
	if err != nil {
		return Region{}, err
	}
	return out[0], nil
}

// GetRegion returns one region to staff.
func (s *Service) GetRegion(ctx context.Context, actor auth.Actor, regionID string) (Region, error) {
	if err := canReadPricing(actor); err != nil {
		return Region{}, err
	}
	return s.Region(ctx, regionID)
}

// RegionFor returns the region a cart in currency shipping to countryCode
// belongs to. With a country, it is the region containing that country, and
// that region must sell in currency; with no country yet, it is the oldest
// region in currency (so a fresh cart has a tax rule before an address).
// Anything else is 422 region_unavailable.
func (s *Service) RegionFor(ctx context.Context, currency, countryCode string) (Region, error) {
	currency = strings.ToUpper(strings.TrimSpace(currency))
	countryCode = strings.ToUpper(strings.TrimSpace(countryCode))
	var row regionRow
	q := s.db.Conn(ctx)
	var err error
	if countryCode != "" {
		err = q.Joins("JOIN region_countries rc ON rc.region_id = regions.id").
			Where("rc.country_code = ?", countryCode).Take(&row).Error
	} else {
		err = q.Where("currency = ?", currency).Order("created_at, id").Take(&row).Error
	}
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && row.Currency != currency) {
		return Region{}, unavailable(currency, countryCode)
	}
	if err != nil {
		return Region{}, fmt.Errorf("find region: %w", err)
	}
	out, err := s.withCountries(ctx, []regionRow{row})
	if err != nil {
		return Region{}, err
	}
	return out[0], nil
}

// unavailable is the region_unavailable error naming what was asked for.
func unavailable(currency, countryCode string) error {
	e := ErrRegionUnavailable.WithDetail("we do not sell in %s", currency)
	if countryCode != "" {
		e = ErrRegionUnavailable.WithDetail("we do not ship to %s in %s", countryCode, currency)
	}
	return e
}

// RegionFilter narrows ListRegions.
type RegionFilter struct {
	// Currency, when set, keeps the regions selling in it.
	Currency string
}

// ListRegions lists regions oldest first.
func (s *Service) ListRegions(ctx context.Context, actor auth.Actor, f RegionFilter, pr page.Request) (page.List[Region], error) {
	if err := canReadPricing(actor); err != nil {
		return page.List[Region]{}, err
	}
	var rows []regionRow
	q := s.db.Conn(ctx).Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	if f.Currency != "" {
		q = q.Where("currency = ?", strings.ToUpper(f.Currency))
	}
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Region]{}, fmt.Errorf("list regions: %w", err)
	}
	regions, err := s.withCountries(ctx, rows)
	if err != nil {
		return page.List[Region]{}, err
	}
	return page.Build(regions, pr.Limit, func(r Region) page.Cursor { return page.Cursor{ID: r.ID} }), nil
}

// withCountries loads the countries of rows, in one query.
func (s *Service) withCountries(ctx context.Context, rows []regionRow) ([]Region, error) {
	out := make([]Region, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var rcs []regionCountry
	if err := s.db.Conn(ctx).Where("region_id IN ?", ids).Find(&rcs).Error; err != nil {
		return nil, fmt.Errorf("read region countries: %w", err)
	}
	byRegion := map[string][]string{}
	for _, rc := range rcs {
		byRegion[rc.RegionID] = append(byRegion[rc.RegionID], rc.CountryCode)
	}
	for _, r := range rows {
		out = append(out, r.region(byRegion[r.ID]))
	}
	return out, nil
}
