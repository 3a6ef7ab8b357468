package store

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/loyalty"
	"storekeep/internal/platform/auth"
)

// Loyalty serves /v1/store/customers/me/loyalty.
type Loyalty struct{ Svc *loyalty.Service }

// RegisterLoyalty adds the customer's loyalty route.
func RegisterLoyalty(r *web.Router, h Loyalty) {
	r.GET("/v1/store/customers/me/loyalty", web.CustomerOnly, h.myLoyalty)
}

// myLoyalty godoc
//
//	@Summary		The signed-in customer's loyalty points and tier
//	@Description	Points balance (and what it is worth at checkout), VIP tier, progress towards the next tier (rolling 12-month spend in the programme's currency) and the latest 50 ledger entries, newest first.
//	@Tags			loyalty
//	@ID				getMyLoyalty
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	loyalty.Summary
//	@Failure		401	{object}	web.Problem	"no or invalid customer token"
//	@Failure		403	{object}	web.Problem	"a staff token or API key"
//	@Router			/v1/store/customers/me/loyalty [get]
func (h Loyalty) myLoyalty(c echo.Context) error {
	sum, err := h.Svc.SummaryOf(c.Request().Context(), me(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// applyLoyalty godoc
//
//	@Summary		Redeem loyalty points on the cart
//	@Description	Redeems whole points (1 or more) on the signed-in customer's cart, as a discount worth points x the programme's redeem_value, taken off the items after the codes' discounts (before tax and shipping) and counted in discount_total. 422 insufficient_points when the customer holds fewer, points_exceed_subtotal when they are worth more than the items after other discounts, loyalty_unavailable when the programme is off or in another currency. The points are debited by the checkout, in its transaction: a failed checkout keeps them, and of two checkouts racing for the same points only those the balance covers succeed. Replaces any points already on the cart.
//	@Tags			cart
//	@ID				applyCartLoyalty
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"cart id"
//	@Param			body	body		checkout.LoyaltyInput	true	"the points"
//	@Success		200		{object}	checkout.Cart
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem	"a staff token or API key"
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"cart_completed"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed, insufficient_points, points_exceed_subtotal, loyalty_unavailable"
//	@Router			/v1/store/carts/{id}/loyalty [post]
func (h Carts) applyLoyalty(c echo.Context) error {
	var in checkout.LoyaltyInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cart, err := h.Svc.ApplyLoyalty(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}

// removeLoyalty godoc
//
//	@Summary		Stop redeeming loyalty points on the cart
//	@Tags			cart
//	@ID				removeCartLoyalty
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"cart id"
//	@Success		200	{object}	checkout.Cart
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem	"a staff token or API key"
//	@Failure		404	{object}	web.Problem
//	@Failure		409	{object}	web.Problem	"cart_completed"
//	@Router			/v1/store/carts/{id}/loyalty [delete]
func (h Carts) removeLoyalty(c echo.Context) error {
	ctx := c.Request().Context()
	cart, err := h.Svc.RemoveLoyalty(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}
