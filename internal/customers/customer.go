// Package customers owns shopper accounts (the customers table): sign-up,
// sign-in and profile reads. E-mails are stored lowercased so uniqueness is
// case-insensitive; passwords are argon2id hashes that never leave this
// package. The package also owns each customer's address book (every query
// scoped by customer_id in the SQL), customer groups (which promotions
// restrict by) and the staff view of a customer.
package customers

import (
	"strings"
	"time"

	"storekeep/internal/platform/errs"
)

// Customer is a shopper account.
type Customer struct {
	ID           string
	Email        string
	PasswordHash string
	FirstName    string
	LastName     string
	Phone        string
	// AcceptsMarketing is the customer's consent to marketing e-mail; only
	// the customer changes it.
	AcceptsMarketing bool
	// Locale is the language Storekeep writes to the customer in (e-mails):
	// one of locale.Supported, "en" unless chosen.
	Locale string
	// SearchText is lower(email first_name last_name) for staff search;
	// refreshed on every write through setSearchText.
	SearchText string
	ArchivedAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName is the GORM table.
func (Customer) TableName() string { return "customers" }

// setSearchText recomputes SearchText from the searchable fields. Go's
// ToLower folds non-ASCII letters too, which SQLite's lower() does not.
func (c *Customer) setSearchText() {
	c.SearchText = strings.ToLower(c.Email + " " + c.FirstName + " " + c.LastName)
}

// normalise puts times in UTC (SQLite hands them back in the local zone).
func (c *Customer) normalise() {
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if c.ArchivedAt != nil {
		t := c.ArchivedAt.UTC()
		c.ArchivedAt = &t
	}
}

// Errors of this package.
var (
	// ErrEmailTaken is the 409 for signing up with an e-mail that has an account.
	ErrEmailTaken = errs.New(errs.Conflict, "email_taken", "an account with this e-mail already exists")
	// ErrNotFound is the 404 for an unknown customer id.
	ErrNotFound = errs.New(errs.NotFound, "not_found", "the customer does not exist")
)
