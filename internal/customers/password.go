package customers

import (
	"context"
	"fmt"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// PasswordChange replaces a signed-in customer's password. The current
// password is required, so a stolen access token alone cannot take the
// account over.
type PasswordChange struct {
	CurrentPassword string `json:"current_password" text:"free" validate:"required,max=128" maxLength:"128" example:"correct horse battery"`
	NewPassword     string `json:"new_password" text:"free" validate:"required" minLength:"10" maxLength:"128" example:"a much longer passphrase"`
} // @name CustomerPasswordChange

// ErrWrongPassword is the 422 for a password change whose current password
// is wrong. It is not a 401: the caller's token is fine and must not be
// mistaken for expired.
var ErrWrongPassword = errs.New(errs.Unprocessable, "invalid_current_password", "the current password is wrong").
	WithFields(errs.FieldError{Field: "current_password", Message: "is wrong"})

// ChangePassword checks the current password, stores the new one, signs the
// customer out everywhere (every refresh token is revoked; access tokens
// already issued lapse within auth.AccessTTL) and starts a fresh session for
// the caller. Wrong current passwords are limited per customer
// (CurrentPasswordFailures per window, then 429), in a bucket of their own:
// failed sign-ins by others must not stop the owner changing the password.
func (s *Service) ChangePassword(ctx context.Context, customerID string, in PasswordChange) (auth.Pair, error) {
	if err := auth.CheckPassword("new_password", in.NewPassword); err != nil {
		return auth.Pair{}, err
	}
	c, err := s.Get(ctx, customerID)
	if err != nil {
		return auth.Pair{}, err
	}
	undo, err := s.limiter.Hit(ctx, auth.Limit{Bucket: "password:customer:" + c.ID, Max: CurrentPasswordFailures})
	if err != nil {
		return auth.Pair{}, err
	}
	ok, err := auth.VerifyPassword(c.PasswordHash, in.CurrentPassword)
	if err != nil {
		return auth.Pair{}, err
	}
	if !ok {
		return auth.Pair{}, ErrWrongPassword
	}
	undo(ctx)
	hash, err := auth.HashPassword(in.NewPassword)
	if err != nil {
		return auth.Pair{}, err
	}
	var pair auth.Pair
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.setPasswordHash(ctx, c.ID, hash); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if err := s.sessions.RevokeSubject(ctx, auth.Customer, c.ID); err != nil {
			return fmt.Errorf("revoke sessions: %w", err)
		}
		pair, err = s.sessions.Start(ctx, auth.Subject{Kind: auth.Customer, ID: c.ID})
		return err
	})
	if err != nil {
		return auth.Pair{}, err
	}
	return pair, nil
}
