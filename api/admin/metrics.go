package admin

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// KPIs serves the KPI report and the funnel (/v1/admin/metrics/...).
type KPIs struct {
	Engine *metrics.KPIs
	// Now is the clock the default period is taken from.
	Now func() time.Time
}

// kpiRead may read the KPIs: managers (and admins).
var kpiRead = web.StaffRoles(auth.RoleManager)

// kpiDefaultDays is the period of a report without ?from=.
const kpiDefaultDays = 30

// RegisterKPIs adds the KPI routes to r.
func RegisterKPIs(r *web.Router, h KPIs) {
	r.GET("/v1/admin/metrics/kpis", kpiRead, h.kpis)
	r.GET("/v1/admin/metrics/funnel", kpiRead, h.funnel)
	r.GET("/v1/admin/metrics/sales-channels", kpiRead, h.salesChannels)
	r.GET("/v1/admin/sales-channels/:id/stats", kpiRead, h.salesChannelStats)
}

// kpis godoc
//
//	@Summary		KPIs
//	@Description	Every KPI of `[from, to)` (docs/kpis.md has the exact definitions): for the whole period (`summary`, with the top products and the low-stock count) and for each day, week (from Monday) or month of it (`series`; the first and last bucket may be partial). `from` and `to` are RFC 3339 times or dates (YYYY-MM-DD, midnight in `time_zone`); by default the last 30 days up to the end of today. `time_zone` (IANA name, default UTC) sets day boundaries and the days of marketing spend. Rates are fractions in [0,1], null without a denominator; Money figures list one amount per currency. `currency` keeps orders, refunds and spend in that currency; `channel` keeps customers acquired through that channel (and anonymous shoppers whose first event came from it) and the spend on it; `customer_group` keeps the group's members; `sales_channel` keeps that sales channel's orders, carts and storefront events and the stock of its warehouses (computed from the base tables). `Accept: text/csv` returns the series as CSV: a header row, then one row per bucket and currency (one per bucket when the report has a single currency) with the Money figures as amounts in minor units and a `currency` column; an empty cell is null. At most two years; manager and admin staff.
//	@Tags			metrics
//	@ID				getKPIs
//	@Produce		json
//	@Produce		text/csv
//	@Security		BearerAuth
//	@Param			from			query		string	false	"start (inclusive), RFC 3339 or YYYY-MM-DD"
//	@Param			to				query		string	false	"end (exclusive), RFC 3339 or YYYY-MM-DD"
//	@Param			interval		query		string	false	"bucket size (default day)"	Enums(day, week, month)
//	@Param			time_zone		query		string	false	"IANA time zone (default UTC)"
//	@Param			currency		query		string	false	"ISO 4217 code"
//	@Param			channel			query		string	false	"acquisition channel (UTM source)"
//	@Param			customer_group	query		string	false	"customer group id"
//	@Param			sales_channel	query		string	false	"sales channel id"
//	@Success		200				{object}	metrics.KPIReport
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"bad from, to, interval, time_zone, currency or sales_channel"
//	@Router			/v1/admin/metrics/kpis [get]
func (h KPIs) kpis(c echo.Context) error {
	loc, err := metrics.LoadTimeZone(c.QueryParam("time_zone"))
	if err != nil {
		return err
	}
	from, to, err := h.period(c, loc)
	if err != nil {
		return err
	}
	q := metrics.KPIQuery{From: from, To: to, Interval: c.QueryParam("interval"), Currency: c.QueryParam("currency"),
		Channel: c.QueryParam("channel"), CustomerGroup: c.QueryParam("customer_group"), TimeZone: c.QueryParam("time_zone"),
		SalesChannel: c.QueryParam("sales_channel")}
	rep, err := h.Engine.Report(c.Request().Context(), q)
	if err != nil {
		return err
	}
	if wantsCSV(c.Request().Header.Get(echo.HeaderAccept)) {
		body, err := kpiCSV(rep)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", `attachment; filename="kpis.csv"`)
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", body)
	}
	return c.JSON(http.StatusOK, rep)
}

// funnel godoc
//
//	@Summary		Marketing funnel
//	@Description	Sessions with an event in `[from, to)` at each step: sessions, product views, add to cart, checkout start, orders (an order carrying the session id). A session reached a step when it has the step's event or a later one (an order counts as every step). `drop` is how many sessions of the step before did not reach it, `drop_rate` that share (null for the first step or after an empty one). `sales_channel` counts that sales channel's events and orders only. `from` and `to` as for the KPIs (dates are midnight in `time_zone`, default UTC); by default the last 30 days. At most two years; manager and admin staff.
//	@Tags			metrics
//	@ID				getFunnel
//	@Produce		json
//	@Security		BearerAuth
//	@Param			from		query		string	false	"start (inclusive), RFC 3339 or YYYY-MM-DD"
//	@Param			to			query		string	false	"end (exclusive), RFC 3339 or YYYY-MM-DD"
//	@Param			time_zone		query		string	false	"IANA time zone of dates (default UTC)"
//	@Param			sales_channel	query		string	false	"sales channel id"
//	@Success		200			{object}	metrics.Funnel
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad from, to, time_zone or sales_channel"
//	@Router			/v1/admin/metrics/funnel [get]
func (h KPIs) funnel(c echo.Context) error {
	loc, err := metrics.LoadTimeZone(c.QueryParam("time_zone"))
	if err != nil {
		return err
	}
	from, to, err := h.period(c, loc)
	if err != nil {
		return err
	}
	f, err := h.Engine.Funnel(c.Request().Context(), from, to, c.QueryParam("sales_channel"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

// period reads from and to: RFC 3339 times, or dates at midnight in loc;
// by default the kpiDefaultDays days up to the end of today in loc.
func (h KPIs) period(c echo.Context, loc *time.Location) (from, to time.Time, err error) {
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	y, m, d := now().In(loc).Date()
	to, err = zonedTime(c, "to", loc, time.Date(y, m, d+1, 0, 0, 0, 0, loc))
	if err != nil {
		return from, to, err
	}
	l := to.In(loc)
	from, err = zonedTime(c, "from", loc, time.Date(l.Year(), l.Month(), l.Day()-kpiDefaultDays, 0, 0, 0, 0, loc))
	return from, to, err
}

// zonedTime reads an RFC 3339 time or a date (midnight in loc).
func zonedTime(c echo.Context, name string, loc *time.Location, def time.Time) (time.Time, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t, nil
	}
	return time.Time{}, errs.Invalidf(name, "must be an RFC 3339 time or a date (YYYY-MM-DD)")
}

// wantsCSV: the client asked for text/csv.
func wantsCSV(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, _ := strings.Cut(part, ";")
		if strings.EqualFold(strings.TrimSpace(mt), "text/csv") {
			return true
		}
	}
	return false
}

// kpiCSVColumns are the CSV's columns after start, end and currency.
var kpiCSVColumns = []string{"sessions", "conversion_rate", "bounce_rate", "unique_users", "orders", "canceled_orders",
	"revenue", "average_order_value", "refunds", "new_customers", "marketing_spend", "customer_acquisition_cost",
	"customer_retention_rate", "customer_lifetime_value", "carts", "cart_abandonment_rate", "inventory_turnover",
	"inventory_turnover_basis", "first_response_seconds", "resolution_seconds", "bot_containment_rate", "csat"}

// kpiCSV writes the series: one row per bucket and currency of the report
// (one row per bucket, with an empty currency, when it has no money).
func kpiCSV(rep metrics.KPIReport) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(append([]string{"start", "end", "currency"}, kpiCSVColumns...)); err != nil {
		return nil, err
	}
	currencies := reportCurrencies(rep)
	for _, b := range rep.Series {
		for _, cur := range currencies {
			f := b.Figures
			amount := func(list []money.Amount) string {
				if list == nil {
					return ""
				}
				for _, a := range list {
					if a.Currency == cur {
						return strconv.FormatInt(a.Minor, 10)
					}
				}
				if cur == "" {
					return ""
				}
				return "0"
			}
			// Means and CAC without an amount in this currency are null, not 0.
			mean := func(list []money.Amount) string {
				for _, a := range list {
					if a.Currency == cur {
						return strconv.FormatInt(a.Minor, 10)
					}
				}
				return ""
			}
			row := []string{b.Start.Format(time.RFC3339), b.End.Format(time.RFC3339), cur,
				strconv.Itoa(f.Sessions), kpiCell(f.ConversionRate), kpiCell(f.BounceRate), strconv.Itoa(f.UniqueUsers),
				strconv.Itoa(f.Orders), strconv.Itoa(f.CanceledOrders), amount(f.Revenue), mean(f.AverageOrderValue),
				amount(f.Refunds), strconv.Itoa(f.NewCustomers), amount(f.MarketingSpend),
				mean(f.CustomerAcquisitionCost), kpiCell(f.CustomerRetentionRate), mean(f.CustomerLifetimeValue),
				strconv.Itoa(f.Carts), kpiCell(f.CartAbandonmentRate), kpiCell(f.InventoryTurnover), f.InventoryTurnoverBasis,
				kpiCell(f.FirstResponseSeconds), kpiCell(f.ResolutionSeconds), kpiCell(f.BotContainmentRate), kpiCell(f.CSAT)}
			if err := w.Write(row); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// reportCurrencies are the currencies any Money figure of the report has,
// sorted ("" alone when there are none).
func reportCurrencies(rep metrics.KPIReport) []string {
	seen := map[string]bool{}
	var out []string
	add := func(lists ...[]money.Amount) {
		for _, l := range lists {
			for _, a := range l {
				if !seen[a.Currency] {
					seen[a.Currency] = true
					out = append(out, a.Currency)
				}
			}
		}
	}
	for _, b := range rep.Series {
		f := b.Figures
		add(f.Revenue, f.AverageOrderValue, f.Refunds, f.MarketingSpend, f.CustomerAcquisitionCost, f.CustomerLifetimeValue)
	}
	if len(out) == 0 {
		return []string{""}
	}
	slices.Sort(out)
	return out
}

// kpiCell formats a nullable number (empty for null).
func kpiCell(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
