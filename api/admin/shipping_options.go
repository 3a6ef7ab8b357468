package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// ShippingOptionList is a page of shipping options.
type ShippingOptionList struct {
	Data       []checkout.ShippingOption `json:"data" binding:"required"`
	NextCursor *string                   `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name ShippingOptionList

// createShippingOption godoc
//
//	@Summary		Create a shipping option
//	@Description	Creates a shipping option for a region, all money in the region's currency. `flat` needs `amount`; `free_over` needs `amount` and `free_over` (a cart whose item subtotal after discounts reaches it ships free); `weight` needs `rates` (brackets `{max_grams, amount}`, sorted by max_grams, no two alike) and takes no `amount`: a parcel heavier than the last bracket cannot use the option. Managers and admins.
//	@Tags			pricing
//	@ID				createShippingOption
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		checkout.ShippingOptionInput	true	"the shipping option"
//	@Success		201		{object}	checkout.ShippingOption
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/shipping-options [post]
func (h Pricing) createShippingOption(c echo.Context) error {
	var in checkout.ShippingOptionInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	o, err := h.Svc.CreateShippingOption(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, o)
}

// listShippingOptions godoc
//
//	@Summary		List shipping options
//	@Description	Shipping options oldest first, active or not, optionally of one region and by active flag. Any staff.
//	@Tags			pricing
//	@ID				listShippingOptions
//	@Produce		json
//	@Security		BearerAuth
//	@Param			region_id	query		string	false	"region id"
//	@Param			active		query		bool	false	"only active (true) or inactive (false) options"
//	@Param			limit		query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"
//	@Success		200			{object}	ShippingOptionList
//	@Failure		400			{object}	web.Problem	"invalid_cursor"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad limit or active"
//	@Router			/v1/admin/shipping-options [get]
func (h Pricing) listShippingOptions(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	active, err := web.QueryBool(c, "active")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := checkout.ShippingFilter{RegionID: c.QueryParam("region_id"), Active: active}
	l, err := h.Svc.ListShippingOptions(ctx, auth.FromContext(ctx), f, pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ShippingOptionList(l))
}

// getShippingOption godoc
//
//	@Summary		Get a shipping option
//	@Description	Any staff.
//	@Tags			pricing
//	@ID				getShippingOption
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"shipping option id"
//	@Success		200	{object}	checkout.ShippingOption
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/shipping-options/{id} [get]
func (h Pricing) getShippingOption(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := h.Svc.GetShippingOption(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// updateShippingOption godoc
//
//	@Summary		Update a shipping option
//	@Description	Partial update of name, amount, free_over, rates (replaces the brackets) and active. The region and type cannot change; the result must still follow the type's rules. Managers and admins.
//	@Tags			pricing
//	@ID				updateShippingOption
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string							true	"shipping option id"
//	@Param			body	body		checkout.ShippingOptionPatch	true	"the fields to change"
//	@Success		200		{object}	checkout.ShippingOption
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/shipping-options/{id} [patch]
func (h Pricing) updateShippingOption(c echo.Context) error {
	var in checkout.ShippingOptionPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	o, err := h.Svc.UpdateShippingOption(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// deleteShippingOption godoc
//
//	@Summary		Deactivate a shipping option
//	@Description	Takes the option off the storefront (active false). It is kept: carts and orders refer to it; PATCH active true brings it back. Managers and admins.
//	@Tags			pricing
//	@ID				deleteShippingOption
//	@Security		BearerAuth
//	@Param			id	path	string	true	"shipping option id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/shipping-options/{id} [delete]
func (h Pricing) deleteShippingOption(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.DeactivateShippingOption(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
