package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Marketing serves /v1/admin/marketing/spend: what the shop spends per
// channel, which the acquisition cost KPI divides.
type Marketing struct{ Tracker *metrics.Tracker }

// marketingAccess: managers and admins (metrics are theirs).
var marketingAccess = web.StaffRoles(auth.RoleManager)

// RegisterMarketing adds the marketing spend routes to r.
func RegisterMarketing(r *web.Router, h Marketing) {
	r.POST("/v1/admin/marketing/spend", marketingAccess, h.createSpend)
	r.GET("/v1/admin/marketing/spend", marketingAccess, h.listSpend)
	r.GET("/v1/admin/marketing/spend/:id", marketingAccess, h.getSpend)
	r.PATCH("/v1/admin/marketing/spend/:id", marketingAccess, h.updateSpend)
	r.DELETE("/v1/admin/marketing/spend/:id", marketingAccess, h.deleteSpend)
}

// SpendList is a page of marketing spend.
type SpendList struct {
	Data       []metrics.Spend `json:"data" binding:"required"`
	NextCursor *string         `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name MarketingSpendList

// createSpend godoc
//
//	@Summary		Record marketing spend
//	@Description	Records what was spent on a channel (a UTM source, as customers' acquisition channel names it) over `period_start`..`period_end`, both days included. The end may not be before the start; the amount is 0 or more in a known currency. Managers and admins.
//	@Tags			metrics
//	@ID				createMarketingSpend
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		metrics.SpendInput	true	"the spend"
//	@Success		201		{object}	metrics.Spend
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/marketing/spend [post]
func (h Marketing) createSpend(c echo.Context) error {
	var in metrics.SpendInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	sp, err := h.Tracker.CreateSpend(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, sp)
}

// listSpend godoc
//
//	@Summary		List marketing spend
//	@Description	Spend records in the order they were recorded, optionally of one channel. Managers and admins.
//	@Tags			metrics
//	@ID				listMarketingSpend
//	@Produce		json
//	@Security		BearerAuth
//	@Param			channel	query		string	false	"only this channel"
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	SpendList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/marketing/spend [get]
func (h Marketing) listSpend(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Tracker.ListSpend(ctx, auth.FromContext(ctx), c.QueryParam("channel"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SpendList(l))
}

// getSpend godoc
//
//	@Summary		Get a marketing spend record
//	@Tags			metrics
//	@ID				getMarketingSpend
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"spend id"
//	@Success		200	{object}	metrics.Spend
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/marketing/spend/{id} [get]
func (h Marketing) getSpend(c echo.Context) error {
	ctx := c.Request().Context()
	sp, err := h.Tracker.GetSpend(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sp)
}

// updateSpend godoc
//
//	@Summary		Update a marketing spend record
//	@Description	Partial update, held to the same rules as a new record. Managers and admins.
//	@Tags			metrics
//	@ID				updateMarketingSpend
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"spend id"
//	@Param			body	body		metrics.SpendPatch	true	"the fields to change"
//	@Success		200		{object}	metrics.Spend
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/marketing/spend/{id} [patch]
func (h Marketing) updateSpend(c echo.Context) error {
	var in metrics.SpendPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	sp, err := h.Tracker.UpdateSpend(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sp)
}

// deleteSpend godoc
//
//	@Summary		Delete a marketing spend record
//	@Description	Managers and admins.
//	@Tags			metrics
//	@ID				deleteMarketingSpend
//	@Security		BearerAuth
//	@Param			id	path	string	true	"spend id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/marketing/spend/{id} [delete]
func (h Marketing) deleteSpend(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Tracker.DeleteSpend(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
