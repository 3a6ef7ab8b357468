package web

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/errs"
)

// QueryBool reads an optional true/false query parameter: nil when absent,
// 422 naming the parameter for anything strconv.ParseBool refuses.
func QueryBool(c echo.Context, name string) (*bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, errs.Invalidf(name, "must be true or false")
	}
	return &b, nil
}
