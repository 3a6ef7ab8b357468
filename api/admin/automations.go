package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/automations"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Automations serves /v1/admin/automations (rules and their run logs) and
// the codes issued to a customer (/v1/admin/customers/{id}/discounts).
type Automations struct{ Svc *automations.Service }

// automationsAccess: managers and admins; support staff also read a
// customer's issued codes.
var automationsAccess = web.StaffRoles(auth.RoleManager)

// RegisterAutomations adds the automation and issued-code routes to r; idem
// (the Idempotency-Key middleware) wraps issuing a code, so a retried
// request with the same key issues one code.
func RegisterAutomations(r *web.Router, h Automations, idem echo.MiddlewareFunc) {
	r.POST("/v1/admin/automations", automationsAccess, h.createAutomation)
	r.GET("/v1/admin/automations", automationsAccess, h.listAutomations)
	r.GET("/v1/admin/automations/:id", automationsAccess, h.getAutomation)
	r.PATCH("/v1/admin/automations/:id", automationsAccess, h.updateAutomation)
	r.DELETE("/v1/admin/automations/:id", automationsAccess, h.deleteAutomation)
	r.GET("/v1/admin/automations/:id/runs", automationsAccess, h.listAutomationRuns)
	r.POST("/v1/admin/customers/:id/discounts", automationsAccess, h.issueDiscount, idem)
	r.GET("/v1/admin/customers/:id/discounts", customersRead, h.listCustomerDiscounts)
}

// AutomationList is a page of automations.
type AutomationList struct {
	Data       []automations.Automation `json:"data" binding:"required"`
	NextCursor *string                  `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name AutomationList

// AutomationRunList is a page of an automation's runs.
type AutomationRunList struct {
	Data       []automations.Run `json:"data" binding:"required"`
	NextCursor *string           `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name AutomationRunList

// CustomerDiscountList is a page of codes issued to a customer.
type CustomerDiscountList struct {
	Data       []automations.CustomerDiscount `json:"data" binding:"required"`
	NextCursor *string                        `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name CustomerDiscountList

// createAutomation godoc
//
//	@Summary		Create an automation
//	@Description	A rule: when an event of type `trigger` is recorded, wait `delay_seconds`, then if every condition holds (judged on fresh data when the run happens) perform the actions in order. Conditions: `{field, op, value}` on `customer.order_count` (orders not canceled, up to and including the event's order), `customer.total_spent` (Money), `customer.group_ids`, `customer.locale`, `order.total` (Money), `order.product_ids`, `order.category_ids`; ops `eq, ne, gt, gte, lt, lte` (numbers, Money, locale), `in` (a list), `contains` (an id in an id list). Actions: `issue_discount` {percentage (basis points) | amount, expires_in_days, product_ids?, category_ids?}, `send_email` {template}, `add_to_group` {group_id}, `call_webhook` {webhook_id}, `award_points` {points} (credited to the event's customer through the loyalty ledger, once per run; the run fails when the programme is inactive). Each bad field is named (`conditions[1].op`). The rule runs once per event recorded from now on. Managers and admins.
//	@Tags			automations
//	@ID				createAutomation
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		automations.AutomationInput	true	"the rule"
//	@Success		201		{object}	automations.Automation
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/automations [post]
func (h Automations) createAutomation(c echo.Context) error {
	var in automations.AutomationInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := h.Svc.Create(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

// listAutomations godoc
//
//	@Summary		List automations
//	@Description	Rules oldest first, optionally those on one trigger or with one active flag. Deleted rules are not listed. Managers and admins.
//	@Tags			automations
//	@ID				listAutomations
//	@Produce		json
//	@Security		BearerAuth
//	@Param			trigger	query		string	false	"only rules on this event type"
//	@Param			active	query		bool	false	"only active (true) or inactive (false) rules"
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	AutomationList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit or active"
//	@Router			/v1/admin/automations [get]
func (h Automations) listAutomations(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	active, err := web.QueryBool(c, "active")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := automations.Filter{Trigger: c.QueryParam("trigger"), Active: active}
	l, err := h.Svc.List(ctx, auth.FromContext(ctx), f, pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, AutomationList(l))
}

// getAutomation godoc
//
//	@Summary		Get an automation
//	@Tags			automations
//	@ID				getAutomation
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"automation id"
//	@Success		200	{object}	automations.Automation
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/automations/{id} [get]
func (h Automations) getAutomation(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := h.Svc.Get(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// updateAutomation godoc
//
//	@Summary		Update an automation
//	@Description	Partial update, held to the same rules as a new one; a list, when given, replaces the stored one. Runs already scheduled keep their time but use the rule as it is when they happen: a rule deactivated meanwhile skips them. Managers and admins.
//	@Tags			automations
//	@ID				updateAutomation
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string						true	"automation id"
//	@Param			body	body		automations.AutomationPatch	true	"the fields to change"
//	@Success		200		{object}	automations.Automation
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/automations/{id} [patch]
func (h Automations) updateAutomation(c echo.Context) error {
	var in automations.AutomationPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := h.Svc.Update(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// deleteAutomation godoc
//
//	@Summary		Delete an automation
//	@Description	The rule stops running (its scheduled runs are skipped) and is no longer listed; the codes it issued stay valid. Managers and admins.
//	@Tags			automations
//	@ID				deleteAutomation
//	@Security		BearerAuth
//	@Param			id	path	string	true	"automation id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/automations/{id} [delete]
func (h Automations) deleteAutomation(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.Delete(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// listAutomationRuns godoc
//
//	@Summary		List an automation's runs
//	@Description	The run log, newest first: one run per triggering event, `scheduled` until it happens (at `scheduled_at`), then `skipped` (with the reason: a condition that did not hold, or the rule deactivated or deleted meanwhile), `succeeded` or `failed` (some action failed; each action's outcome is listed). Managers and admins.
//	@Tags			automations
//	@ID				listAutomationRuns
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"automation id"
//	@Param			status	query		string	false	"only runs with this status"	Enums(scheduled, skipped, succeeded, failed)
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	AutomationRunList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit or status"
//	@Router			/v1/admin/automations/{id}/runs [get]
func (h Automations) listAutomationRuns(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.Runs(ctx, auth.FromContext(ctx), c.Param("id"), c.QueryParam("status"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, AutomationRunList(l))
}

// issueDiscount godoc
//
//	@Summary		Issue a discount code to a customer
//	@Description	Creates a single-use code (THANKS-XXXX-XXXX) that only this customer can use: a percentage (basis points) or a fixed amount, valid `expires_in_days` from now, optionally for some products or categories. Records discount.issued, which sends the customer the discount_issued e-mail. Honours an Idempotency-Key (a retry with the same key issues one code). Managers and admins.
//	@Tags			automations
//	@ID				issueCustomerDiscount
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string						true	"customer id"
//	@Param			Idempotency-Key	header		string						false	"retry key (1-255 printable ASCII)"
//	@Param			body			body		automations.DiscountInput	true	"the code"
//	@Success		201				{object}	automations.CustomerDiscount
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field or bad Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem	"no such customer (or archived)"
//	@Failure		409				{object}	web.Problem	"idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed or idempotency_conflict"
//	@Router			/v1/admin/customers/{id}/discounts [post]
func (h Automations) issueDiscount(c echo.Context) error {
	var in automations.DiscountInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := h.Svc.IssueDiscount(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, d)
}

// listCustomerDiscounts godoc
//
//	@Summary		List the codes issued to a customer
//	@Description	Newest first, by automations and staff, with their expiry and use. Admins, managers and support staff.
//	@Tags			automations
//	@ID				listCustomerDiscounts
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"customer id"
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	CustomerDiscountList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem	"no such customer (or archived)"
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/customers/{id}/discounts [get]
func (h Automations) listCustomerDiscounts(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.AdminCustomerDiscounts(ctx, auth.FromContext(ctx), c.Param("id"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CustomerDiscountList(l))
}
