package checkout

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// ErrPricingForbidden is returned when the actor may not read or change the
// checkout configuration (regions, shipping options, promotions).
var ErrPricingForbidden = errs.New(errs.Forbidden, "forbidden", "your role does not allow this")

// Limits on checkout configuration input.
const (
	MaxConfigNameLen = 200
	// MaxRegionCountries bounds the countries of one region.
	MaxRegionCountries = 250
	// MaxShippingRates bounds the weight brackets of one shipping option.
	MaxShippingRates = 50
	// MaxPriceMinor is the largest configured amount in minor units
	// (a thousand million units of the currency): larger is a typo.
	MaxPriceMinor = 100_000_000_000
	// MaxGrams bounds a weight bracket: 100 tonnes.
	MaxGrams = 100_000_000
)

// canManagePricing reports whether a may change regions, shipping options
// and promotions: managers (and admins).
func canManagePricing(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return ErrPricingForbidden
	}
	return nil
}

// canReadPricing reports whether a may read the configuration: any staff.
func canReadPricing(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager, auth.RoleSupport, auth.RoleWarehouse) {
		return ErrPricingForbidden
	}
	return nil
}

// pricingChecks collects field errors into one 422 validation_failed.
type pricingChecks struct{ list []errs.FieldError }

func (c *pricingChecks) add(field, format string, args ...any) {
	c.list = append(c.list, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// text checks a free-text field's length in characters.
func (c *pricingChecks) text(field, v string, maxLen int, required bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		c.add(field, "is required")
	case !utf8.ValidString(v):
		c.add(field, "must be valid UTF-8")
	case utf8.RuneCountInString(v) > maxLen:
		c.add(field, "must be at most %d characters", maxLen)
	}
}

// price checks a configured amount: in currency, 0 <= amount <= MaxPriceMinor
// (positive when positive is set).
func (c *pricingChecks) price(field string, a money.Amount, currency string, positive bool) {
	switch {
	case a.Currency != currency && currency != "":
		c.add(field+".currency", "must be %s", currency)
	case !money.ValidCurrency(a.Currency):
		c.add(field+".currency", "must be an ISO 4217 currency code such as EUR")
	}
	switch {
	case positive && a.Minor <= 0:
		c.add(field+".amount", "must be greater than 0")
	case a.Minor < 0 || a.Minor > MaxPriceMinor:
		c.add(field+".amount", "must be between 0 and %d", int64(MaxPriceMinor))
	}
}

func (c *pricingChecks) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return errs.ErrValidation.WithFields(c.list...)
}

// encodeList stores a list column as JSON ("[]" for none).
func encodeList[T any](v []T) string {
	if len(v) == 0 {
		return "[]"
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Only money amounts, rates and strings are stored: they always marshal.
		panic("checkout: encode list: " + err.Error())
	}
	return string(b)
}

// decodeList reads a JSON list column; an empty list decodes to a non-nil
// empty slice so responses show [] rather than null.
func decodeList[T any](s string) ([]T, error) {
	out := []T{}
	if s == "" {
		return out, nil
	}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("decode list column: %w", err)
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}
