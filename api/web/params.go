package web

import (
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/text"
)

// StoredHeaders are the request headers whose values are stored (on carts
// and orders, for analytics): opaque ids a client chooses. Each, when sent,
// must be at most MaxStoredHeaderLen printable ASCII characters. Go's server
// already refuses control characters in header values, but not bytes over
// 0x7F, which may be invalid UTF-8 (PostgreSQL refuses those).
var StoredHeaders = []string{"X-Session-Id", "X-Anonymous-Id"}

// MaxStoredHeaderLen is the longest value of a StoredHeaders header.
const MaxStoredHeaderLen = 100

// CheckParams is middleware that holds every path parameter, every query
// parameter (name and value) and the StoredHeaders to the single-line text
// rules (internal/platform/text): no control characters (NUL included), no
// line breaks, no invisible or bidirectional formatting characters, valid
// UTF-8. A request that breaks them is 400 malformed_request with one
// errors[] entry per offending parameter, named as the client sent it, and
// reaches no handler. Register it once with echo's Use, which runs after
// routing, so the route's path parameters are known; bodies are checked by
// Bind.
func CheckParams() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if fe := paramErrors(c); len(fe) > 0 {
				return errs.ErrMalformed.WithDetail("a path or query parameter or header holds characters that are not allowed").
					WithFields(fe...)
			}
			return next(c)
		}
	}
}

func paramErrors(c echo.Context) []errs.FieldError {
	var fe []errs.FieldError
	add := func(field, msg string) {
		if len(fe) < maxReported {
			fe = append(fe, errs.FieldError{Field: field, Message: msg})
		}
	}
	values := c.ParamValues()
	for i, name := range c.ParamNames() {
		if i < len(values) {
			if p := text.Check(values[i], text.Line); p != text.OK {
				add(name, p.Message())
			}
		}
	}
	query := c.QueryParams()
	names := make([]string, 0, len(query))
	for name := range query {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if p := text.Check(name, text.Line); p != text.OK {
			add(strconv.QuoteToASCII(name), "the parameter name "+p.Message())
			continue
		}
		for _, v := range query[name] {
			if p := text.Check(v, text.Line); p != text.OK {
				add(name, p.Message())
				break
			}
		}
	}
	for _, name := range StoredHeaders {
		if v, ok := c.Request().Header[name]; ok && !storableHeader(v) {
			add(name, "must be one value of at most "+strconv.Itoa(MaxStoredHeaderLen)+" printable ASCII characters")
		}
	}
	return fe
}

// storableHeader reports whether a StoredHeaders header's values are one
// printable ASCII token of at most MaxStoredHeaderLen bytes (empty is the
// same as absent).
func storableHeader(values []string) bool {
	if len(values) != 1 || len(values[0]) > MaxStoredHeaderLen {
		return false
	}
	for i := 0; i < len(values[0]); i++ {
		if b := values[0][i]; b < 0x21 || b > 0x7e {
			return false
		}
	}
	return true
}
