package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Pricing serves /v1/admin/regions, /v1/admin/shipping-options and
// /v1/admin/promotions: the checkout configuration.
type Pricing struct{ Svc *checkout.Service }

// Pricing access: managers (and admins) change the configuration; every
// staff role reads it (support answers questions about codes and shipping).
var (
	pricingWrite = web.StaffRoles(auth.RoleManager)
	pricingRead  = web.AnyStaff
)

// RegisterPricing registers the regions, shipping options and promotions routes.
func RegisterPricing(r *web.Router, h Pricing) {
	r.POST("/v1/admin/regions", pricingWrite, h.createRegion)
	r.GET("/v1/admin/regions", pricingRead, h.listRegions)
	r.GET("/v1/admin/regions/:id", pricingRead, h.getRegion)
	r.PATCH("/v1/admin/regions/:id", pricingWrite, h.updateRegion)
	r.DELETE("/v1/admin/regions/:id", pricingWrite, h.deleteRegion)

	r.POST("/v1/admin/shipping-options", pricingWrite, h.createShippingOption)
	r.GET("/v1/admin/shipping-options", pricingRead, h.listShippingOptions)
	r.GET("/v1/admin/shipping-options/:id", pricingRead, h.getShippingOption)
	r.PATCH("/v1/admin/shipping-options/:id", pricingWrite, h.updateShippingOption)
	r.DELETE("/v1/admin/shipping-options/:id", pricingWrite, h.deleteShippingOption)

	r.POST("/v1/admin/promotions", pricingWrite, h.createPromotion)
	r.GET("/v1/admin/promotions", pricingRead, h.listPromotions)
	r.GET("/v1/admin/promotions/:id", pricingRead, h.getPromotion)
	r.PATCH("/v1/admin/promotions/:id", pricingWrite, h.updatePromotion)
	r.DELETE("/v1/admin/promotions/:id", pricingWrite, h.deletePromotion)
}

// RegionList is a page of regions.
type RegionList struct {
	Data       []checkout.Region `json:"data" binding:"required"`
	NextCursor *string           `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name RegionList

// createRegion godoc
//
//	@Summary		Create a region
//	@Description	Creates a region: a name, an ISO 4217 currency, ISO 3166-1 alpha-2 countries (each in at most one region: 409 country_in_use names the region that has it), a tax rate in basis points (0-10000; 2000 = 20 %) and whether prices in it include the tax. Managers and admins.
//	@Tags			pricing
//	@ID				createRegion
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		checkout.RegionInput	true	"the region"
//	@Success		201		{object}	checkout.Region
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"country_in_use"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/regions [post]
func (h Pricing) createRegion(c echo.Context) error {
	var in checkout.RegionInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	reg, err := h.Svc.CreateRegion(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, reg)
}

// listRegions godoc
//
//	@Summary		List regions
//	@Description	Regions oldest first, optionally those selling in one currency. Any staff.
//	@Tags			pricing
//	@ID				listRegions
//	@Produce		json
//	@Security		BearerAuth
//	@Param			currency	query		string	false	"ISO 4217 currency"
//	@Param			limit		query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"
//	@Success		200			{object}	RegionList
//	@Failure		400			{object}	web.Problem	"invalid_cursor"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/regions [get]
func (h Pricing) listRegions(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.ListRegions(ctx, auth.FromContext(ctx), checkout.RegionFilter{Currency: c.QueryParam("currency")}, pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, RegionList(l))
}

// getRegion godoc
//
//	@Summary		Get a region
//	@Description	Any staff.
//	@Tags			pricing
//	@ID				getRegion
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"region id"
//	@Success		200	{object}	checkout.Region
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/regions/{id} [get]
func (h Pricing) getRegion(c echo.Context) error {
	ctx := c.Request().Context()
	reg, err := h.Svc.GetRegion(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, reg)
}

// updateRegion godoc
//
//	@Summary		Update a region
//	@Description	Partial update of name, country_codes (replaces the list), tax_rate and tax_inclusive. The currency cannot change. Carts pick up the new tax rule on their next change; orders keep theirs. Managers and admins.
//	@Tags			pricing
//	@ID				updateRegion
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"region id"
//	@Param			body	body		checkout.RegionPatch	true	"the fields to change"
//	@Success		200		{object}	checkout.Region
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"country_in_use"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/regions/{id} [patch]
func (h Pricing) updateRegion(c echo.Context) error {
	var in checkout.RegionPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	reg, err := h.Svc.UpdateRegion(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, reg)
}

// deleteRegion godoc
//
//	@Summary		Delete a region
//	@Description	Deletes a region that nothing refers to. A region with shipping options (active or not) or carts is 409 region_in_use: deactivate its options and move its countries instead. Managers and admins.
//	@Tags			pricing
//	@ID				deleteRegion
//	@Security		BearerAuth
//	@Param			id	path	string	true	"region id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		409	{object}	web.Problem	"region_in_use"
//	@Router			/v1/admin/regions/{id} [delete]
func (h Pricing) deleteRegion(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.DeleteRegion(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
