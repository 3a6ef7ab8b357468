package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/loyalty"
	"storekeep/internal/platform/auth"
)

// Loyalty serves /v1/admin/loyalty and customers' point adjustments.
type Loyalty struct {
	Svc *loyalty.Service
	// Exists reports whether a customer account exists (404 otherwise).
	Exists func(c echo.Context, customerID string) error
}

var (
	loyaltyProgramAccess = web.StaffRoles(auth.RoleManager)
	loyaltyAdjustAccess  = web.StaffRoles(auth.RoleManager, auth.RoleSupport)
)

// RegisterLoyalty adds the loyalty routes to r.
func RegisterLoyalty(r *web.Router, h Loyalty) {
	r.GET("/v1/admin/loyalty/program", loyaltyProgramAccess, h.getProgram)
	r.PUT("/v1/admin/loyalty/program", loyaltyProgramAccess, h.putProgram)
	r.POST("/v1/admin/customers/:id/loyalty/adjustments", loyaltyAdjustAccess, h.adjust)
}

// getProgram godoc
//
//	@Summary		The loyalty programme
//	@Description	Earn rate, point value, expiry and VIP tiers. A shop that never set one has an inactive programme worth nothing. Managers and admins.
//	@Tags			loyalty
//	@ID				getLoyaltyProgram
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	loyalty.Program
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Router			/v1/admin/loyalty/program [get]
func (h Loyalty) getProgram(c echo.Context) error {
	p, err := h.Svc.Program(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// putProgram godoc
//
//	@Summary		Replace the loyalty programme
//	@Description	earn_per_unit points per whole currency unit of an order's paid total excluding shipping and tax (credited on fulfilment, per currency), redeem_value per point (points are redeemable in that currency), expiry_days (0: never), tiers in ascending min_spend_12m (rolling 12-month spend in redeem_value's currency) with perks (earn_multiplier, group_id). Points already earned keep their expiry. Managers and admins.
//	@Tags			loyalty
//	@ID				putLoyaltyProgram
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		loyalty.ProgramInput	true	"the programme"
//	@Success		200		{object}	loyalty.Program
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/loyalty/program [put]
func (h Loyalty) putProgram(c echo.Context) error {
	var in loyalty.ProgramInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.Svc.PutProgram(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// adjust godoc
//
//	@Summary		Adjust a customer's loyalty points
//	@Description	Credits (positive) or debits (negative) points with a reason, as a ledger entry. A debit may not take the balance below zero (422 insufficient_points); credits expire like earned points. Managers, support and admins.
//	@Tags			loyalty
//	@ID				adjustCustomerLoyalty
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"customer id"
//	@Param			body	body		loyalty.AdjustInput	true	"the adjustment"
//	@Success		201		{object}	loyalty.Entry
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed or insufficient_points"
//	@Router			/v1/admin/customers/{id}/loyalty/adjustments [post]
func (h Loyalty) adjust(c echo.Context) error {
	var in loyalty.AdjustInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	if err := h.Exists(c, c.Param("id")); err != nil {
		return err
	}
	e, err := h.Svc.Adjust(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}
