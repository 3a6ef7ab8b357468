package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// CustomerGroupList is a page of customer groups.
type CustomerGroupList struct {
	Data       []customers.Group `json:"data" binding:"required"`
	NextCursor *string           `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name CustomerGroupList

// createGroup godoc
//
//	@Summary		Create a customer group
//	@Description	A segment of customers that promotions can be restricted to. Names are unique regardless of case (409 group_name_taken). With rules it is rule-based: a job keeps its members (the customers every rule holds for), recomputed when a customer's orders or profile change and nightly. Admins and managers.
//	@Tags			customers
//	@ID				createCustomerGroup
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		customers.GroupInput	true	"the group"
//	@Success		201		{object}	customers.Group
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"group_name_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/customer-groups [post]
func (h Customers) createGroup(c echo.Context) error {
	var in customers.GroupInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	g, err := h.Svc.CreateGroup(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, g)
}

// previewGroup godoc
//
//	@Summary		Preview a segment's size
//	@Description	Counts the active customers a rule set selects now, before saving it as a rule-based group; nothing is saved. Admins, managers and support staff.
//	@Tags			customers
//	@ID				previewCustomerGroup
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		customers.PreviewInput	true	"the rules"
//	@Success		200		{object}	customers.Preview
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/customer-groups/preview [post]
func (h Customers) previewGroup(c echo.Context) error {
	var in customers.PreviewInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.Svc.PreviewSegment(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// listGroups godoc
//
//	@Summary		List customer groups
//	@Description	Groups by name. Admins, managers and support staff.
//	@Tags			customers
//	@ID				listCustomerGroups
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	CustomerGroupList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/customer-groups [get]
func (h Customers) listGroups(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.Groups(ctx, auth.FromContext(ctx), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CustomerGroupList(l))
}

// getGroup godoc
//
//	@Summary		Get a customer group
//	@Tags			customers
//	@ID				getCustomerGroup
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"group id"
//	@Success		200	{object}	customers.Group
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/customer-groups/{id} [get]
func (h Customers) getGroup(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := h.Svc.Group(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, g)
}

// updateGroup godoc
//
//	@Summary		Update a customer group
//	@Description	Partial update of name, description and rules (new rules recompute the members; an empty list makes the group manual). Admins and managers.
//	@Tags			customers
//	@ID				updateCustomerGroup
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"group id"
//	@Param			body	body		customers.GroupPatch	true	"the fields to change"
//	@Success		200		{object}	customers.Group
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"group_name_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/customer-groups/{id} [patch]
func (h Customers) updateGroup(c echo.Context) error {
	var in customers.GroupPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	g, err := h.Svc.UpdateGroup(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, g)
}

// deleteGroup godoc
//
//	@Summary		Delete a customer group
//	@Description	Deletes the group and its memberships; the customers stay. A group something else still refers to (a promotion) is 409 group_in_use. Admins and managers.
//	@Tags			customers
//	@ID				deleteCustomerGroup
//	@Security		BearerAuth
//	@Param			id	path	string	true	"group id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		409	{object}	web.Problem	"group_in_use"
//	@Router			/v1/admin/customer-groups/{id} [delete]
func (h Customers) deleteGroup(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.DeleteGroup(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// addGroupMember godoc
//
//	@Summary		Add a customer to a group
//	@Description	Idempotent: adding a member again changes nothing. A rule-based group is 409 group_rule_based. Admins and managers.
//	@Tags			customers
//	@ID				addCustomerGroupMember
//	@Security		BearerAuth
//	@Param			id			path	string	true	"group id"
//	@Param			customer_id	path	string	true	"customer id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem	"unknown group or customer"
//	@Failure		409	{object}	web.Problem	"group_rule_based"
//	@Router			/v1/admin/customer-groups/{id}/customers/{customer_id} [put]
func (h Customers) addGroupMember(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.AddToGroup(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("customer_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// removeGroupMember godoc
//
//	@Summary		Remove a customer from a group
//	@Description	A customer who is not a member is 404; a rule-based group is 409 group_rule_based. Admins and managers.
//	@Tags			customers
//	@ID				removeCustomerGroupMember
//	@Security		BearerAuth
//	@Param			id			path	string	true	"group id"
//	@Param			customer_id	path	string	true	"customer id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem	"unknown group or not a member"
//	@Failure		409	{object}	web.Problem	"group_rule_based"
//	@Router			/v1/admin/customer-groups/{id}/customers/{customer_id} [delete]
func (h Customers) removeGroupMember(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.RemoveFromGroup(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("customer_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
