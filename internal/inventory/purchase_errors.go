package inventory

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// Errors of suppliers and purchase orders. Codes are part of the API contract.
var (
	// ErrSupplierNotFound is returned for unknown or malformed supplier ids.
	ErrSupplierNotFound = errs.New(errs.NotFound, "not_found", "the supplier does not exist")
	// ErrSupplierItemNotFound is returned when the supplier does not sell the variant.
	ErrSupplierItemNotFound = errs.New(errs.NotFound, "not_found", "the supplier item does not exist")
	// ErrPurchaseOrderNotFound is returned for unknown or malformed purchase order ids.
	ErrPurchaseOrderNotFound = errs.New(errs.NotFound, "not_found", "the purchase order does not exist")
	// ErrVariantNotFound is returned for an unknown variant named in a path or query.
	ErrVariantNotFound = errs.New(errs.NotFound, "not_found", "the variant does not exist")
	// ErrInvalidStatus is returned when a purchase order's status does not allow
	// the operation (the transition table is in purchase_status.go).
	ErrInvalidStatus = errs.New(errs.Conflict, "invalid_status", "the purchase order's status does not allow this")
	// ErrOverReceipt is returned when a receipt would take a line's received
	// quantity above the quantity ordered. Nothing of the receipt is applied.
	ErrOverReceipt = errs.New(errs.Unprocessable, "over_receipt", "receiving more than was ordered")
	// ErrPreferredTaken is returned when two requests make different
	// suppliers preferred for one variant at the same moment.
	ErrPreferredTaken = errs.New(errs.Conflict, "preferred_taken", "another supplier became preferred for this variant at the same time")
)

// Limits on purchasing input.
const (
	MaxSupplierNameLen = 200
	MaxContactLen      = 200
	MaxEmailLen        = 254
	MaxPhoneLen        = 50
	MaxSupplierSKULen  = 64
	MaxNotesLen        = 5000
	// MaxLeadTimeDays is a year: longer lead times are data-entry errors.
	MaxLeadTimeDays = 365
	// MaxMOQ bounds minimum order quantities (and purchase order lines).
	MaxMOQ = MaxDelta
	// MaxPOItems bounds the lines of one purchase order.
	MaxPOItems = 200
	// MaxUnitCost is the largest unit cost in minor units.
	MaxUnitCost = 100_000_000_000
)

// canBuy reports whether a may manage suppliers and purchase orders: managers
// (and admins).
func canBuy(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return ErrForbidden
	}
	return nil
}

// canReadPurchasing reports whether a may read suppliers and purchase
// orders: managers and warehouse staff (who receive the goods).
func canReadPurchasing(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager, auth.RoleWarehouse) {
		return ErrForbidden
	}
	return nil
}

// canReceive reports whether a may receive goods against a purchase order:
// warehouse staff and managers.
func canReceive(a auth.Actor) error { return canReadPurchasing(a) }

// fieldChecks collects field errors into one 422 validation_failed.
type fieldChecks struct{ list []errs.FieldError }

func (c *fieldChecks) add(field, format string, args ...any) {
	c.list = append(c.list, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// text checks a free-text field's length in characters.
func (c *fieldChecks) text(field, v string, maxLen int, required bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		c.add(field, "is required")
	case utf8.RuneCountInString(v) > maxLen:
		c.add(field, "must be at most %d characters", maxLen)
	case !utf8.ValidString(v):
		c.add(field, "must be valid UTF-8")
	}
}

// between checks lo <= v <= hi.
func (c *fieldChecks) between(field string, v, lo, hi int64) {
	if v < lo || v > hi {
		c.add(field, "must be between %d and %d", lo, hi)
	}
}

func (c *fieldChecks) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return errs.ErrValidation.WithFields(c.list...)
}
