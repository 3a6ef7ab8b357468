package admin

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"

	"storekeep/internal/channels"
	"storekeep/internal/inventory"
	"storekeep/internal/metrics"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// Numbers per sales channel (docs/sales-channels.md): sales side by side
// and one channel's sales (KPIs routes), and what a channel can sell of
// each variant (SalesChannelStock).

// salesChannels godoc
//
//	@Summary		Sales per sales channel
//	@Description	Every sales channel (the default web channel first, then by id) with its orders placed in `[from, to)`: `orders` (not canceled), `canceled_orders`, `units` (net of canceled units), `revenue` and `average_order_value` (Money per currency, non-canceled orders) and `refunds` given in the period on its orders. The definitions are the KPI report's, restricted to the orders that record the channel; `currency` keeps one currency. `from` and `to` as for the KPIs (dates are midnight in `time_zone`); by default the last 30 days. At most two years; manager and admin staff.
//	@Tags			metrics
//	@ID				listSalesChannelStats
//	@Produce		json
//	@Security		BearerAuth
//	@Param			from		query		string	false	"start (inclusive), RFC 3339 or YYYY-MM-DD"
//	@Param			to			query		string	false	"end (exclusive), RFC 3339 or YYYY-MM-DD"
//	@Param			time_zone	query		string	false	"IANA time zone of dates (default UTC)"
//	@Param			currency	query		string	false	"ISO 4217 code"
//	@Success		200			{object}	metrics.ChannelStatsReport
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad from, to, time_zone or currency"
//	@Router			/v1/admin/metrics/sales-channels [get]
func (h KPIs) salesChannels(c echo.Context) error {
	q, err := h.channelStatsQuery(c)
	if err != nil {
		return err
	}
	rep, err := h.Engine.ChannelStats(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// salesChannelStats godoc
//
//	@Summary		Sales of one sales channel
//	@Description	The channel's orders placed in `[from, to)`, as one entry of `GET /v1/admin/metrics/sales-channels`: orders, canceled orders, units, revenue, average order value and refunds. Every other KPI of the channel: `GET /v1/admin/metrics/kpis?sales_channel=`. Manager and admin staff.
//	@Tags			metrics
//	@ID				getSalesChannelStats
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string	true	"sales channel id"
//	@Param			from		query		string	false	"start (inclusive), RFC 3339 or YYYY-MM-DD"
//	@Param			to			query		string	false	"end (exclusive), RFC 3339 or YYYY-MM-DD"
//	@Param			time_zone	query		string	false	"IANA time zone of dates (default UTC)"
//	@Param			currency	query		string	false	"ISO 4217 code"
//	@Success		200			{object}	metrics.ChannelStats
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		404			{object}	web.Problem	"sales_channel_not_found"
//	@Failure		422			{object}	web.Problem	"bad from, to, time_zone or currency"
//	@Router			/v1/admin/sales-channels/{id}/stats [get]
func (h KPIs) salesChannelStats(c echo.Context) error {
	q, err := h.channelStatsQuery(c)
	if err != nil {
		return err
	}
	q.SalesChannel = c.Param("id")
	rep, err := h.Engine.ChannelStats(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep.Data[0])
}

func (h KPIs) channelStatsQuery(c echo.Context) (metrics.ChannelStatsQuery, error) {
	loc, err := metrics.LoadTimeZone(c.QueryParam("time_zone"))
	if err != nil {
		return metrics.ChannelStatsQuery{}, err
	}
	from, to, err := h.period(c, loc)
	if err != nil {
		return metrics.ChannelStatsQuery{}, err
	}
	return metrics.ChannelStatsQuery{From: from, To: to, Currency: c.QueryParam("currency")}, nil
}

// SalesChannelStock serves what a sales channel can sell of each variant.
type SalesChannelStock struct {
	Channels  *channels.Service
	Inventory *inventory.Service
}

// maxAvailabilityVariants bounds the variants of one availability request.
const maxAvailabilityVariants = 100

// ChannelVariantStock is what a channel can sell of one variant.
type ChannelVariantStock struct {
	VariantID string `json:"variant_id" binding:"required" example:"var_01jc9z8m7k5w3v2t1s0r9q8p7n"`
	// Available is on_hand - reserved summed over the channel's active
	// warehouses (0 when the variant has no stock there).
	Available int64 `json:"available" binding:"required" example:"12"`
} // @name SalesChannelVariantStock

// ChannelStock is the answer of the channel availability route.
type ChannelStock struct {
	SalesChannelID string `json:"sales_channel_id" binding:"required"`
	// WarehouseIDs are the channel's active warehouses, in its priority
	// order: the ones the figures add up.
	WarehouseIDs []string              `json:"warehouse_ids" binding:"required"`
	Data         []ChannelVariantStock `json:"data" binding:"required"`
} // @name SalesChannelStock

// RegisterSalesChannelStock adds the channel availability route.
func RegisterSalesChannelStock(r *web.Router, h SalesChannelStock) {
	r.GET("/v1/admin/sales-channels/:id/availability", stockWork, h.availability)
}

// availability godoc
//
//	@Summary		Stock a sales channel can sell
//	@Description	For each variant named (`variant_id`, repeated or comma-separated, 1 to 100), what the channel can sell: on_hand - reserved over the channel's active warehouses, the figure its store requests show (a variant with no stock there, or unknown, shows 0). Per warehouse: `GET /v1/admin/inventory/levels?sales_channel_id=`. Warehouse staff, managers and admins.
//	@Tags			sales-channels-admin
//	@ID				getSalesChannelAvailability
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string		true	"sales channel id"
//	@Param			variant_id	query		[]string	true	"variant ids"	collectionFormat(multi)
//	@Success		200			{object}	ChannelStock
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		404			{object}	web.Problem	"sales_channel_not_found"
//	@Failure		422			{object}	web.Problem	"variant_id missing, malformed or more than 100"
//	@Router			/v1/admin/sales-channels/{id}/availability [get]
func (h SalesChannelStock) availability(c echo.Context) error {
	var variants []string
	seen := map[string]bool{}
	for _, v := range c.QueryParams()["variant_id"] {
		for part := range strings.SplitSeq(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" || seen[part] {
				continue
			}
			if !id.Valid("var", part) {
				return errs.Invalidf("variant_id", "malformed variant id %q", part)
			}
			seen[part] = true
			variants = append(variants, part)
		}
	}
	if len(variants) == 0 || len(variants) > maxAvailabilityVariants {
		return errs.Invalidf("variant_id", "name 1 to %d variants", maxAvailabilityVariants)
	}
	ctx := c.Request().Context()
	sc, err := h.Channels.Scope(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	avail, err := h.Inventory.AvailableIn(ctx, sc.WarehouseIDs, variants)
	if err != nil {
		return err
	}
	out := ChannelStock{SalesChannelID: sc.ID, WarehouseIDs: sc.WarehouseIDs, Data: make([]ChannelVariantStock, len(variants))}
	if out.WarehouseIDs == nil {
		out.WarehouseIDs = []string{}
	}
	for i, v := range variants {
		out.Data[i] = ChannelVariantStock{VariantID: v, Available: avail[v]}
	}
	return c.JSON(http.StatusOK, out)
}
