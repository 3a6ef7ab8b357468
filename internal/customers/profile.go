package customers

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/locale"
)

// Limits on profile fields.
const (
	// MaxNameLen is the longest first or last name, in characters.
	MaxNameLen = 100
	// MaxPhoneLen is the longest phone number, in characters.
	MaxPhoneLen = 40
)

// ProfilePatch changes some of a customer's own profile fields; nil fields
// are unchanged. E-mail, password, ids and flags are not part of it, so a
// client cannot set them (the HTTP layer rejects unknown fields).
type ProfilePatch struct {
	FirstName        *string `json:"first_name,omitempty" minLength:"1" maxLength:"100" example:"Ada"`
	LastName         *string `json:"last_name,omitempty" minLength:"1" maxLength:"100" example:"Lovelace"`
	Phone            *string `json:"phone,omitempty" maxLength:"40" example:"+44 20 7946 0958"`
	AcceptsMarketing *bool   `json:"accepts_marketing,omitempty" example:"true"`
	// Locale is the language e-mails are written in (en or fr).
	Locale *string `json:"locale,omitempty" enums:"en,fr" example:"fr"`
} // @name CustomerProfilePatch

// UpdateProfile applies p to the active customer customerID and returns the
// result. An empty patch is allowed and changes nothing but updated_at.
func (s *Service) UpdateProfile(ctx context.Context, customerID string, p ProfilePatch) (Customer, error) {
	var out Customer
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		c, err := s.Get(ctx, customerID)
		if err != nil {
			return err
		}
		setTrimmed(&c.FirstName, p.FirstName)
		setTrimmed(&c.LastName, p.LastName)
		setTrimmed(&c.Phone, p.Phone)
		if p.AcceptsMarketing != nil {
			c.AcceptsMarketing = *p.AcceptsMarketing
		}
		if err := checkNames(c.FirstName, c.LastName, c.Phone); err != nil {
			return err
		}
		if err := setLocale(&c.Locale, p.Locale); err != nil {
			return err
		}
		c.setSearchText()
		c.UpdatedAt = s.clock()
		err = s.db.Conn(ctx).Model(&Customer{ID: c.ID}).
			Select("first_name", "last_name", "phone", "accepts_marketing", "locale", "search_text", "updated_at").
			UpdateColumns(&c).Error
		if err != nil {
			return fmt.Errorf("update customer: %w", err)
		}
		out = c
		return nil
	})
	return out, err
}

// checkNames validates trimmed profile fields and returns a 422 naming each
// bad one.
func checkNames(first, last, phone string) error {
	var fe []errs.FieldError
	for _, f := range []struct {
		name, v  string
		max      int
		required bool
	}{{"first_name", first, MaxNameLen, true}, {"last_name", last, MaxNameLen, true},
		{"phone", phone, MaxPhoneLen, false}} {
		switch {
		case f.required && f.v == "":
			fe = append(fe, errs.FieldError{Field: f.name, Message: "is required"})
		case utf8.RuneCountInString(f.v) > f.max:
			fe = append(fe, errs.FieldError{Field: f.name, Message: fmt.Sprintf("must be at most %d characters", f.max)})
		}
	}
	if len(fe) > 0 {
		return errs.ErrValidation.WithFields(fe...)
	}
	return nil
}

// setTrimmed sets *dst to the trimmed *v when v is given.
func setTrimmed(dst, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

// errLocale is the 422 for a locale Storekeep does not write in.
var errLocale = errs.Invalidf("locale", "must be one of %s", strings.Join(locale.Supported, ", "))

// setLocale sets *dst to *v when v is given and supported.
func setLocale(dst, v *string) error {
	if v == nil {
		return nil
	}
	if !locale.Valid(*v) {
		return errLocale
	}
	*dst = *v
	return nil
}

// CustomerLocale returns the language an account is written to in (checkout
// records it on the customer's orders when the request names none).
func (s *Service) CustomerLocale(ctx context.Context, customerID string) (string, error) {
	c, err := s.Get(ctx, customerID)
	if err != nil {
		return "", err
	}
	return c.Locale, nil
}
