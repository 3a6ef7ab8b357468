package auth

import (
	"unicode/utf8"

	"storekeep/internal/platform/errs"
)

// ErrInvalidCredentials is the one answer to a failed sign-in, whether the
// e-mail is unknown or the password wrong, so it cannot be used to find out
// which e-mails have accounts.
var ErrInvalidCredentials = errs.New(errs.Unauthenticated, "invalid_credentials", "the e-mail or password is wrong")

// Password policy (NIST SP 800-63B: length over composition rules).
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
)

// CheckPassword enforces the password policy on a new password and returns a
// 422 naming field when it fails. The maximum bounds argon2's input and keeps
// a giant password from being a cheap denial of service.
func CheckPassword(field, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return errs.Invalidf(field, "must be at least %d characters", MinPasswordLen)
	case n > MaxPasswordLen:
		return errs.Invalidf(field, "must be at most %d characters", MaxPasswordLen)
	}
	return nil
}

// CheckNewCredentials checks a new account's e-mail (already normalized) and
// password, reporting both fields at once when both are wrong.
func CheckNewCredentials(email, password string) error {
	var fields []errs.FieldError
	for _, err := range []error{CheckEmail("email", email), CheckPassword("password", password)} {
		if e, ok := errs.As(err); ok {
			fields = append(fields, e.Fields...)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return errs.ErrValidation.WithFields(fields...)
}
