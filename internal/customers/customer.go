// Package customers owns shopper accounts (the customers table): sign-up,
// sign-in and profile reads. E-mails are stored lowercased so uniqueness is
// case-insensitive; passwords are argon2id hashes that never leave this
// package. Addresses, groups and loyalty join this package later.
package customers

import (
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
	ArchivedAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName is the GORM table.
func (Customer) TableName() string { return "customers" }

// Errors of this package.
var (
	// ErrEmailTaken is the 409 for signing up with an e-mail that has an account.
	ErrEmailTaken = errs.New(errs.Conflict, "email_taken", "an account with this e-mail already exists")
	// ErrNotFound is the 404 for an unknown customer id.
	ErrNotFound = errs.New(errs.NotFound, "not_found", "the customer does not exist")
)
