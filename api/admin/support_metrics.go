package admin

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/errs"
)

// metricsDefaultDays is the period of the support metrics without ?from=.
const metricsDefaultDays = 7

// metrics godoc
//
//	@Summary		Support metrics
//	@Description	For `[from, to)` and each UTC day of it: conversations started and closed, `first_response_seconds` (median, the customer's first message -> the first agent reply that is not a note, counted on the day of the reply), `resolution_seconds` (median, start -> close, on the day of the close), `bot_containment_rate` (closed conversations no agent answered / closed conversations), `csat` (mean rating, on the day of the rating). A figure without a denominator is null. `from` and `to` are RFC 3339 times or dates (YYYY-MM-DD, UTC midnight); by default the last 7 UTC days up to the end of today. At most 366 days.
//	@Tags			support
//	@ID				getSupportMetrics
//	@Produce		json
//	@Security		BearerAuth
//	@Param			from	query		string	false	"start (inclusive), RFC 3339 or YYYY-MM-DD"
//	@Param			to		query		string	false	"end (exclusive), RFC 3339 or YYYY-MM-DD"
//	@Success		200		{object}	support.Metrics
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad from or to"
//	@Router			/v1/admin/support/metrics [get]
func (h Support) metrics(c echo.Context) error {
	today := h.now().UTC().Truncate(24 * time.Hour)
	to, err := timeParam(c, "to", today.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	from, err := timeParam(c, "from", to.AddDate(0, 0, -metricsDefaultDays))
	if err != nil {
		return err
	}
	m, err := h.Svc.Metrics(c.Request().Context(), from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

// timeParam reads an RFC 3339 time or a date (UTC midnight) from the query.
func timeParam(c echo.Context, name string, def time.Time) (time.Time, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, errs.Invalidf(name, "must be an RFC 3339 time or a date (YYYY-MM-DD)")
}

// now is the handler's clock (Support.Now, or the system clock).
func (h Support) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
