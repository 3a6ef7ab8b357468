package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Customers serves /v1/admin/customers and /v1/admin/customer-groups.
type Customers struct{ Svc *customers.Service }

// Customer access (roles: docs/auth.md): support staff read customers; managers
// (and admins) also change accounts and groups. The service checks again.
var (
	customersRead  = web.StaffRoles(auth.RoleManager, auth.RoleSupport)
	customersWrite = web.StaffRoles(auth.RoleManager)
)

// RegisterCustomers adds the staff customer and customer-group routes to r.
func RegisterCustomers(r *web.Router, h Customers) {
	r.GET("/v1/admin/customers", customersRead, h.listCustomers)
	r.GET("/v1/admin/customers/:id", customersRead, h.getCustomer)
	r.PATCH("/v1/admin/customers/:id", customersWrite, h.updateCustomer)
	r.DELETE("/v1/admin/customers/:id", customersWrite, h.archiveCustomer)

	r.POST("/v1/admin/customer-groups", customersWrite, h.createGroup)
	r.GET("/v1/admin/customer-groups", customersRead, h.listGroups)
	r.POST("/v1/admin/customer-groups/preview", customersRead, h.previewGroup)
	r.GET("/v1/admin/customer-groups/:id", customersRead, h.getGroup)
	r.PATCH("/v1/admin/customer-groups/:id", customersWrite, h.updateGroup)
	r.DELETE("/v1/admin/customer-groups/:id", customersWrite, h.deleteGroup)
	r.PUT("/v1/admin/customer-groups/:id/customers/:customer_id", customersWrite, h.addGroupMember)
	r.DELETE("/v1/admin/customer-groups/:id/customers/:customer_id", customersWrite, h.removeGroupMember)
}

// CustomerList is a page of customers.
type CustomerList struct {
	Data       []customers.Profile `json:"data" binding:"required"`
	NextCursor *string             `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name CustomerList

// listCustomers godoc
//
//	@Summary		List customers
//	@Description	Customers newest first, archived ones included (archived_at set). q matches e-mail, first and last name case-insensitively (every word must match); group_id keeps members of one group. Admins, managers and support staff.
//	@Tags			customers
//	@ID				listCustomers
//	@Produce		json
//	@Security		BearerAuth
//	@Param			q			query		string	false	"search text (at most 200 characters)"
//	@Param			group_id	query		string	false	"customer group id"
//	@Param			limit		query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"
//	@Success		200			{object}	CustomerList
//	@Failure		400			{object}	web.Problem	"invalid_cursor"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad limit, q or group_id"
//	@Router			/v1/admin/customers [get]
func (h Customers) listCustomers(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.List(ctx, auth.FromContext(ctx),
		customers.ListQuery{Q: c.QueryParam("q"), GroupID: c.QueryParam("group_id")}, pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CustomerList(l))
}

// getCustomer godoc
//
//	@Summary		Get a customer
//	@Description	The staff view of a customer: account fields (never the password hash), address book, groups and order figures (count, lifetime spend per currency, last order). Archived customers too. Admins, managers and support staff.
//	@Tags			customers
//	@ID				getCustomer
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"customer id"
//	@Success		200	{object}	customers.Detail
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/customers/{id} [get]
func (h Customers) getCustomer(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := h.Svc.Detail(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// updateCustomer godoc
//
//	@Summary		Update a customer
//	@Description	Partial update of names, phone and locale (the language e-mails are written in: en or fr, 422 otherwise); group_ids, when sent, replaces the customer's group memberships (an unknown group is 422 naming group_ids[i]). E-mail, password and marketing consent stay the customer's. Admins and managers.
//	@Tags			customers
//	@ID				updateCustomer
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"customer id"
//	@Param			body	body		customers.AdminPatch	true	"the fields to change"
//	@Success		200		{object}	customers.Detail
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/customers/{id} [patch]
func (h Customers) updateCustomer(c echo.Context) error {
	var in customers.AdminPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := h.Svc.AdminUpdate(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// archiveCustomer godoc
//
//	@Summary		Archive a customer
//	@Description	Soft delete: the account and its orders stay, but it can no longer sign in or refresh its tokens (its refresh tokens are revoked; an access token already issued lapses within 15 minutes). Archiving again changes nothing. Admins and managers.
//	@Tags			customers
//	@ID				archiveCustomer
//	@Security		BearerAuth
//	@Param			id	path	string	true	"customer id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/customers/{id} [delete]
func (h Customers) archiveCustomer(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.Archive(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
