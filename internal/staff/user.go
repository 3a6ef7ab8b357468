// Package staff owns the people and integrations that use the admin API:
// staff users (staff_users: e-mail, argon2id password, role, token_version)
// and secret API keys (api_keys, "sk_..." shown once and stored as SHA-256).
//
// Invariants: a staff access token is honoured only while its user exists, is
// not disabled and its token version equals the stored one, so a role change,
// a disable or "log out everywhere" takes effect on the next request; an API
// key is honoured only while it is neither revoked nor expired.
package staff

import (
	"time"

	"storekeep/internal/platform/errs"
)

// User is a staff member.
type User struct {
	ID           string
	Email        string
	PasswordHash string
	Role         string
	TokenVersion int
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName is the GORM table.
func (User) TableName() string { return "staff_users" }

// Errors of this package.
var (
	// ErrEmailTaken is the 409 for a second staff user with the same e-mail.
	ErrEmailTaken = errs.New(errs.Conflict, "email_taken", "a staff user with this e-mail already exists")
	// ErrNotFound is the 404 for an unknown staff user.
	ErrNotFound = errs.New(errs.NotFound, "not_found", "the staff user does not exist")
	// ErrKeyNotFound is the 404 for an unknown API key.
	ErrKeyNotFound = errs.New(errs.NotFound, "not_found", "the API key does not exist")
	// ErrStaleToken is the 401 for a staff token whose user was disabled,
	// changed role or signed out everywhere after it was issued.
	ErrStaleToken = errs.New(errs.Unauthenticated, "invalid_token", "the access token was revoked; sign in again")
)
