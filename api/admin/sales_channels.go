package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/channels"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// SalesChannels serves /v1/admin/sales-channels and /v1/admin/publishable-keys.
type SalesChannels struct{ Svc *channels.Service }

// Sales channels and their keys are managed by managers and admins.
var channelManage = web.StaffRoles(auth.RoleManager)

// SalesChannelList is a page of sales channels.
type SalesChannelList struct {
	Data       []channels.Channel `json:"data" binding:"required"`
	NextCursor *string            `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name SalesChannelList

// PublishableKeyList is a page of publishable keys.
type PublishableKeyList struct {
	Data       []channels.Key `json:"data" binding:"required"`
	NextCursor *string        `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name PublishableKeyList

// RegisterSalesChannels adds the sales channel and publishable key routes.
func RegisterSalesChannels(r *web.Router, svc *channels.Service) {
	h := SalesChannels{Svc: svc}
	r.POST("/v1/admin/sales-channels", channelManage, h.create)
	r.GET("/v1/admin/sales-channels", channelManage, h.list)
	r.GET("/v1/admin/sales-channels/:id", channelManage, h.get)
	r.PATCH("/v1/admin/sales-channels/:id", channelManage, h.update)
	r.POST("/v1/admin/publishable-keys", channelManage, h.createKey)
	r.GET("/v1/admin/publishable-keys", channelManage, h.listKeys)
	r.DELETE("/v1/admin/publishable-keys/:id", channelManage, h.revokeKey)
}

// create godoc
//
//	@Summary		Create a sales channel
//	@Description	Adds a sales channel: where the shop sells (web, mobile app, point of sale, social or marketplace catalog). `warehouse_ids` are the warehouses that fulfil it, in priority order (first preferred); stock shown and reserved on the channel comes from these only. Managers and admins.
//	@Tags			sales-channels-admin
//	@ID				createSalesChannel
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		channels.Input	true	"the channel"
//	@Success		201		{object}	channels.Channel
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed (unknown warehouse, bad kind)"
//	@Router			/v1/admin/sales-channels [post]
func (h SalesChannels) create(c echo.Context) error {
	var in channels.Input
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	ch, err := h.Svc.Create(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ch)
}

// list godoc
//
//	@Summary		List sales channels
//	@Description	Every sales channel, active or not, by id (the default web channel first). Managers and admins.
//	@Tags			sales-channels-admin
//	@ID				listSalesChannels
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	SalesChannelList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/sales-channels [get]
func (h SalesChannels) list(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.List(ctx, auth.FromContext(ctx), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SalesChannelList{Data: l.Data, NextCursor: l.NextCursor})
}

// get godoc
//
//	@Summary		Get a sales channel
//	@Description	One sales channel with its warehouses in priority order. Managers and admins.
//	@Tags			sales-channels-admin
//	@ID				getSalesChannel
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"sales channel id"
//	@Success		200	{object}	channels.Channel
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem	"sales_channel_not_found"
//	@Router			/v1/admin/sales-channels/{id} [get]
func (h SalesChannels) get(c echo.Context) error {
	ctx := c.Request().Context()
	ch, err := h.Svc.Get(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ch)
}

// update godoc
//
//	@Summary		Update a sales channel
//	@Description	Changes name, kind, warehouses (the list given replaces the old one; its order is the priority order) or active. A deactivated channel's publishable keys are refused with 403 `sales_channel_inactive`. The default web channel cannot be deactivated (409 `default_channel_required`). Managers and admins.
//	@Tags			sales-channels-admin
//	@ID				updateSalesChannel
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"sales channel id"
//	@Param			body	body		channels.Patch		true	"fields to change"
//	@Success		200		{object}	channels.Channel
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem	"sales_channel_not_found"
//	@Failure		409		{object}	web.Problem	"default_channel_required"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/sales-channels/{id} [patch]
func (h SalesChannels) update(c echo.Context) error {
	var in channels.Patch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	ch, err := h.Svc.Update(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ch)
}

// createKey godoc
//
//	@Summary		Create a publishable key
//	@Description	Makes a publishable key (`pk_...`) for a sales channel. Publishable keys are public: they ship inside apps and web pages and only scope store requests (`X-Publishable-Key` header) to their channel's products, stock, carts and orders; they never authenticate anyone and grant no admin access. Managers and admins.
//	@Tags			sales-channels-admin
//	@ID				createPublishableKey
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		channels.KeyInput	true	"the channel"
//	@Success		201		{object}	channels.Key
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed (no such channel)"
//	@Router			/v1/admin/publishable-keys [post]
func (h SalesChannels) createKey(c echo.Context) error {
	var in channels.KeyInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	k, err := h.Svc.CreateKey(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, k)
}

// listKeys godoc
//
//	@Summary		List publishable keys
//	@Description	Publishable keys, revoked ones included (with `revoked_at`), oldest first. Managers and admins.
//	@Tags			sales-channels-admin
//	@ID				listPublishableKeys
//	@Produce		json
//	@Security		BearerAuth
//	@Param			sales_channel_id	query		string	false	"only this channel's keys"
//	@Param			limit				query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor				query		string	false	"next_cursor of the previous page"
//	@Success		200					{object}	PublishableKeyList
//	@Failure		400					{object}	web.Problem	"invalid_cursor"
//	@Failure		401					{object}	web.Problem
//	@Failure		403					{object}	web.Problem
//	@Failure		422					{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/publishable-keys [get]
func (h SalesChannels) listKeys(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.ListKeys(ctx, auth.FromContext(ctx), c.QueryParam("sales_channel_id"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, PublishableKeyList{Data: l.Data, NextCursor: l.NextCursor})
}

// revokeKey godoc
//
//	@Summary		Revoke a publishable key
//	@Description	Revokes a publishable key: store requests carrying it are refused with 401 `invalid_publishable_key` (at once on the node that revoked it, within 5 seconds on the others). Revoking twice is harmless. Managers and admins.
//	@Tags			sales-channels-admin
//	@ID				revokePublishableKey
//	@Security		BearerAuth
//	@Param			id	path	string	true	"publishable key id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/publishable-keys/{id} [delete]
func (h SalesChannels) revokeKey(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := h.Svc.RevokeKey(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
