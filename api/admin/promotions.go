package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// PromotionList is a page of promotions.
type PromotionList struct {
	Data       []checkout.Promotion `json:"data" binding:"required"`
	NextCursor *string              `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name PromotionList

// createPromotion godoc
//
//	@Summary		Create a promotion
//	@Description	Creates a discount code (stored upper case, matched in any case; 409 code_taken when another promotion has it). Types: `percentage` (percentage in basis points, 1-10000), `fixed` (amounts: one per currency, capped at the eligible subtotal) and `free_shipping`. Optional: min_subtotals (one per currency), a validity window [starts_at, ends_at), usage_limit (total orders) and per_customer_limit (enforced atomically at checkout), product_ids / category_ids (lines it applies to), customer_group_ids (customers it is for), combinable. Managers and admins.
//	@Tags			pricing
//	@ID				createPromotion
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		checkout.PromotionInput	true	"the promotion"
//	@Success		201		{object}	checkout.Promotion
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"code_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/promotions [post]
func (h Pricing) createPromotion(c echo.Context) error {
	var in checkout.PromotionInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.Svc.CreatePromotion(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

// listPromotions godoc
//
//	@Summary		List promotions
//	@Description	Promotions oldest first, optionally the one with a code (any case) or by active flag. Any staff.
//	@Tags			pricing
//	@ID				listPromotions
//	@Produce		json
//	@Security		BearerAuth
//	@Param			code	query		string	false	"discount code, any case"
//	@Param			active	query		bool	false	"only active (true) or inactive (false) promotions"
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	PromotionList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit or active"
//	@Router			/v1/admin/promotions [get]
func (h Pricing) listPromotions(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	active, err := web.QueryBool(c, "active")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := checkout.PromotionFilter{Code: c.QueryParam("code"), Active: active}
	l, err := h.Svc.ListPromotions(ctx, auth.FromContext(ctx), f, pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, PromotionList(l))
}

// getPromotion godoc
//
//	@Summary		Get a promotion
//	@Description	With its usage count. Any staff.
//	@Tags			pricing
//	@ID				getPromotion
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"promotion id"
//	@Success		200	{object}	checkout.Promotion
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/promotions/{id} [get]
func (h Pricing) getPromotion(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := h.Svc.GetPromotion(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// updatePromotion godoc
//
//	@Summary		Update a promotion
//	@Description	Partial update; a list, when given, replaces the stored one; `clear` removes starts_at, ends_at, usage_limit or per_customer_limit. The code, type and usage count cannot change. Managers and admins.
//	@Tags			pricing
//	@ID				updatePromotion
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"promotion id"
//	@Param			body	body		checkout.PromotionPatch	true	"the fields to change"
//	@Success		200		{object}	checkout.Promotion
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/promotions/{id} [patch]
func (h Pricing) updatePromotion(c echo.Context) error {
	var in checkout.PromotionPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.Svc.UpdatePromotion(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// deletePromotion godoc
//
//	@Summary		Deactivate a promotion
//	@Description	The code stops applying (carts holding it lose it on their next change; checkout refuses it). The promotion and its usage history are kept; PATCH active true brings it back. Managers and admins.
//	@Tags			pricing
//	@ID				deletePromotion
//	@Security		BearerAuth
//	@Param			id	path	string	true	"promotion id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/promotions/{id} [delete]
func (h Pricing) deletePromotion(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.DeactivatePromotion(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
