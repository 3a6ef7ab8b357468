// Package errs defines the domain error type every Storekeep package returns.
//
// An *Error carries a Kind (what class of failure it is, which the HTTP layer maps
// to a status) and a stable snake_case Code that clients may switch on. Business
// code never deals in HTTP status codes; api/web owns that mapping.
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the transport layer.
type Kind int

// The kinds of error. The comment names the HTTP status api/web renders.
const (
	Internal        Kind = iota // 500
	Invalid                     // 400: the request itself is malformed
	Unauthenticated             // 401
	PaymentFailed               // 402
	Forbidden                   // 403
	NotFound                    // 404
	Conflict                    // 409: the state of a resource forbids it
	TooLarge                    // 413
	Unprocessable               // 422: well-formed but breaks a rule
	TooMany                     // 429
	Unavailable                 // 503
)

// FieldError names one invalid field of a request and why.
type FieldError struct {
	Field   string `json:"field" binding:"required" example:"variants[0].sku"`
	Message string `json:"message" binding:"required" example:"is required"`
} // @name FieldError

// Error is a domain error with a stable code.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  []FieldError
	// RetryAfter, in seconds, is set on TooMany errors.
	RetryAfter int
}

// New returns a new *Error. Domains declare their errors as package values built
// with New and return them (optionally wrapped with %w or refined with WithDetail).
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s (%d field errors)", e.Code, e.Message, len(e.Fields))
	}
	return e.Code + ": " + e.Message
}

// Is reports whether target is an *Error with the same code, so errors.Is works
// against the declared values even after WithDetail made a copy.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// WithDetail returns a copy of e with a more specific message.
func (e *Error) WithDetail(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// WithFields returns a copy of e listing the offending fields.
func (e *Error) WithFields(fields ...FieldError) *Error {
	c := *e
	c.Fields = append(append([]FieldError(nil), e.Fields...), fields...)
	return &c
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	return errors.AsType[*Error](err)
}

// Common errors shared by every domain.
var (
	ErrNotFound   = New(NotFound, "not_found", "the resource does not exist")
	ErrValidation = New(Unprocessable, "validation_failed", "the request has invalid fields")
	ErrMalformed  = New(Invalid, "malformed_request", "the request body could not be parsed")
	ErrConflict   = New(Conflict, "conflict", "the resource was changed or already exists")
	ErrAuth       = New(Unauthenticated, "unauthenticated", "authentication is required")
	ErrForbidden  = New(Forbidden, "forbidden", "you are not allowed to do this")
)

// Invalidf is shorthand for a validation failure on one field.
func Invalidf(field, format string, args ...any) *Error {
	return ErrValidation.WithFields(FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}
