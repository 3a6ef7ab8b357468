// Package address is the postal address shared by carts, orders and the
// customer address book (docs/api.md, "Addresses"), with the one validation every
// domain applies, so an address accepted on a cart is accepted on the order
// made from it.
package address

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"storekeep/internal/platform/errs"
)

// Address is a postal address. company, line2, province and phone are optional.
type Address struct {
	FirstName   string `json:"first_name" validate:"required,max=100" example:"Camille"`
	LastName    string `json:"last_name" validate:"required,max=100" example:"Martin"`
	Company     string `json:"company,omitempty" validate:"max=200" example:"Atelier Martin"`
	Line1       string `json:"line1" validate:"required,max=200" example:"12 rue de Rivoli"`
	Line2       string `json:"line2,omitempty" validate:"max=200" example:"3e étage"`
	City        string `json:"city" validate:"required,max=100" example:"Paris"`
	Province    string `json:"province,omitempty" validate:"max=100" example:"Île-de-France"`
	PostalCode  string `json:"postal_code" validate:"required,max=20" example:"75001"`
	CountryCode string `json:"country_code" validate:"required,len=2" example:"FR"`
	Phone       string `json:"phone,omitempty" validate:"max=40" example:"+33 1 23 45 67 89"`
} // @name Address

// Normalize trims every part and upper-cases the country code.
func (a Address) Normalize() Address {
	for _, p := range []*string{&a.FirstName, &a.LastName, &a.Company, &a.Line1, &a.Line2, &a.City,
		&a.Province, &a.PostalCode, &a.Phone} {
		*p = strings.TrimSpace(*p)
	}
	a.CountryCode = strings.ToUpper(strings.TrimSpace(a.CountryCode))
	return a
}

// Validate checks a normalized address and returns a 422 naming every bad
// field, each prefixed with field (e.g. "shipping_address.").
func (a Address) Validate(field string) error {
	var fe []errs.FieldError
	req := func(name, v string, max int) {
		switch {
		case v == "":
			fe = append(fe, errs.FieldError{Field: field + name, Message: "is required"})
		case utf8.RuneCountInString(v) > max:
			fe = append(fe, errs.FieldError{Field: field + name, Message: "is too long"})
		}
	}
	opt := func(name, v string, max int) {
		if utf8.RuneCountInString(v) > max {
			fe = append(fe, errs.FieldError{Field: field + name, Message: "is too long"})
		}
	}
	req("first_name", a.FirstName, 100)
	req("last_name", a.LastName, 100)
	opt("company", a.Company, 200)
	req("line1", a.Line1, 200)
	opt("line2", a.Line2, 200)
	req("city", a.City, 100)
	opt("province", a.Province, 100)
	req("postal_code", a.PostalCode, 20)
	opt("phone", a.Phone, 40)
	if !ValidCountry(a.CountryCode) {
		fe = append(fe, errs.FieldError{Field: field + "country_code", Message: "must be an ISO 3166-1 alpha-2 country code"})
	}
	if len(fe) > 0 {
		return errs.ErrValidation.WithFields(fe...)
	}
	return nil
}

// ValidCountry reports whether code is an upper-case ISO 3166-1 alpha-2
// country (not a macro-region such as EU, not a private-use code).
func ValidCountry(code string) bool {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry() && r.String() == code
}
