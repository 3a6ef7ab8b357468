package customers

import (
	"time"

	"storekeep/internal/platform/address"
	"storekeep/internal/platform/errs"
)

// MaxAddresses is how many addresses one customer's address book holds.
const MaxAddresses = 50

// Address is an entry of a customer's address book: a postal address
// (docs/api.md, "Addresses") plus whether it is the default for shipping and for billing.
// At most one address of a customer is each default.
type Address struct {
	ID                string    `json:"id" binding:"required" example:"addr_06h1wbq28dxanf5st2bqp8yfxm"`
	CustomerID        string    `json:"-"`
	FirstName         string    `json:"first_name" binding:"required" example:"Camille"`
	LastName          string    `json:"last_name" binding:"required" example:"Martin"`
	Company           string    `json:"company" binding:"required" example:"Atelier Martin"`
	Line1             string    `json:"line1" binding:"required" gorm:"column:line1" example:"12 rue de Rivoli"`
	Line2             string    `json:"line2" binding:"required" gorm:"column:line2" example:"3e étage"`
	City              string    `json:"city" binding:"required" example:"Paris"`
	Province          string    `json:"province" binding:"required" example:"Île-de-France"`
	PostalCode        string    `json:"postal_code" binding:"required" example:"75001"`
	CountryCode       string    `json:"country_code" binding:"required" example:"FR"`
	Phone             string    `json:"phone" binding:"required" example:"+33 1 23 45 67 89"`
	IsDefaultShipping bool      `json:"is_default_shipping" binding:"required" example:"true"`
	IsDefaultBilling  bool      `json:"is_default_billing" binding:"required" example:"false"`
	CreatedAt         time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt         time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name CustomerAddress

// TableName maps Address to its table.
func (Address) TableName() string { return "customer_addresses" }

// Postal returns the postal address alone, as carts and orders copy it.
func (a Address) Postal() address.Address {
	return address.Address{FirstName: a.FirstName, LastName: a.LastName, Company: a.Company, Line1: a.Line1,
		Line2: a.Line2, City: a.City, Province: a.Province, PostalCode: a.PostalCode, CountryCode: a.CountryCode,
		Phone: a.Phone}
}

// setPostal copies a normalized postal address into a.
func (a *Address) setPostal(p address.Address) {
	a.FirstName, a.LastName, a.Company, a.Line1, a.Line2 = p.FirstName, p.LastName, p.Company, p.Line1, p.Line2
	a.City, a.Province, a.PostalCode, a.CountryCode, a.Phone = p.City, p.Province, p.PostalCode, p.CountryCode, p.Phone
}

// normalise puts times in UTC (SQLite hands them back in the local zone).
func (a *Address) normalise() {
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
}

// AddressInput adds an address to the signed-in customer's book. The
// customer's first address becomes both defaults whatever the flags say.
type AddressInput struct {
	FirstName         string `json:"first_name" binding:"required" maxLength:"100" example:"Camille"`
	LastName          string `json:"last_name" binding:"required" maxLength:"100" example:"Martin"`
	Company           string `json:"company,omitempty" maxLength:"200" example:"Atelier Martin"`
	Line1             string `json:"line1" binding:"required" maxLength:"200" example:"12 rue de Rivoli"`
	Line2             string `json:"line2,omitempty" maxLength:"200" example:"3e étage"`
	City              string `json:"city" binding:"required" maxLength:"100" example:"Paris"`
	Province          string `json:"province,omitempty" maxLength:"100" example:"Île-de-France"`
	PostalCode        string `json:"postal_code" binding:"required" maxLength:"20" example:"75001"`
	CountryCode       string `json:"country_code" binding:"required" minLength:"2" maxLength:"2" example:"FR"`
	Phone             string `json:"phone,omitempty" maxLength:"40" example:"+33 1 23 45 67 89"`
	IsDefaultShipping bool   `json:"is_default_shipping,omitempty" example:"true"`
	IsDefaultBilling  bool   `json:"is_default_billing,omitempty" example:"false"`
} // @name CustomerAddressInput

func (in AddressInput) postal() address.Address {
	return address.Address{FirstName: in.FirstName, LastName: in.LastName, Company: in.Company, Line1: in.Line1,
		Line2: in.Line2, City: in.City, Province: in.Province, PostalCode: in.PostalCode, CountryCode: in.CountryCode,
		Phone: in.Phone}
}

// AddressPatch changes some fields of an address; nil fields are unchanged.
// Setting a default flag to true clears it on the customer's other
// addresses; setting it to false leaves the customer without that default.
type AddressPatch struct {
	FirstName         *string `json:"first_name,omitempty" maxLength:"100" example:"Camille"`
	LastName          *string `json:"last_name,omitempty" maxLength:"100" example:"Martin"`
	Company           *string `json:"company,omitempty" maxLength:"200" example:"Atelier Martin"`
	Line1             *string `json:"line1,omitempty" maxLength:"200" example:"12 rue de Rivoli"`
	Line2             *string `json:"line2,omitempty" maxLength:"200" example:"3e étage"`
	City              *string `json:"city,omitempty" maxLength:"100" example:"Paris"`
	Province          *string `json:"province,omitempty" maxLength:"100" example:"Île-de-France"`
	PostalCode        *string `json:"postal_code,omitempty" maxLength:"20" example:"75001"`
	CountryCode       *string `json:"country_code,omitempty" minLength:"2" maxLength:"2" example:"FR"`
	Phone             *string `json:"phone,omitempty" maxLength:"40" example:"+33 1 23 45 67 89"`
	IsDefaultShipping *bool   `json:"is_default_shipping,omitempty" example:"true"`
	IsDefaultBilling  *bool   `json:"is_default_billing,omitempty" example:"true"`
} // @name CustomerAddressPatch

// apply merges p into the postal part of a (not yet normalized).
func (p AddressPatch) apply(a address.Address) address.Address {
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&a.FirstName, p.FirstName}, {&a.LastName, p.LastName}, {&a.Company, p.Company}, {&a.Line1, p.Line1},
		{&a.Line2, p.Line2}, {&a.City, p.City}, {&a.Province, p.Province}, {&a.PostalCode, p.PostalCode},
		{&a.CountryCode, p.CountryCode}, {&a.Phone, p.Phone}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	return a
}

// Address book errors.
var (
	// ErrAddressNotFound is the 404 for a missing address and for another
	// customer's address alike (never 403: that would confirm it exists).
	ErrAddressNotFound = errs.New(errs.NotFound, "not_found", "the address does not exist")
	// ErrAddressLimit is the 422 for adding an address to a full book.
	ErrAddressLimit = errs.New(errs.Unprocessable, "address_limit_reached",
		"an address book holds at most 50 addresses; delete one first")
)
