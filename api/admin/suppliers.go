package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Purchasing serves /v1/admin/suppliers, /v1/admin/purchase-orders and
// /v1/admin/inventory/forecast.
type Purchasing struct{ Svc *inventory.Service }

// Purchasing access: managers (and admins) buy; warehouse staff read and
// receive goods.
var (
	purchasingWrite   = web.StaffRoles(auth.RoleManager)
	purchasingRead    = web.StaffRoles(auth.RoleManager, auth.RoleWarehouse)
	purchasingReceive = web.StaffRoles(auth.RoleManager, auth.RoleWarehouse)
)

// SupplierList is a page of suppliers.
type SupplierList struct {
	Data       []inventory.Supplier `json:"data" binding:"required"`
	NextCursor *string              `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name SupplierList

// SupplierItemList is a page of a supplier's items.
type SupplierItemList struct {
	Data       []inventory.SupplierItem `json:"data" binding:"required"`
	NextCursor *string                  `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name SupplierItemList

// createSupplier godoc
//
//	@Summary		Create a supplier
//	@Description	Creates a supplier with its contact, lead time (0-365 days) and ISO 4217 currency. Managers and admins.
//	@Tags			purchasing
//	@ID				createSupplier
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		inventory.SupplierInput	true	"the supplier"
//	@Success		201		{object}	inventory.Supplier
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/suppliers [post]
func (h Purchasing) createSupplier(c echo.Context) error {
	var in inventory.SupplierInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	sup, err := h.Svc.CreateSupplier(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, sup)
}

// listSuppliers godoc
//
//	@Summary		List suppliers
//	@Description	Suppliers oldest first. Managers, warehouse staff and admins.
//	@Tags			purchasing
//	@ID				listSuppliers
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	SupplierList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/suppliers [get]
func (h Purchasing) listSuppliers(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.ListSuppliers(ctx, auth.FromContext(ctx), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SupplierList(l))
}

// getSupplier godoc
//
//	@Summary		Get a supplier
//	@Tags			purchasing
//	@ID				getSupplier
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"supplier id"
//	@Success		200	{object}	inventory.Supplier
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/suppliers/{id} [get]
func (h Purchasing) getSupplier(c echo.Context) error {
	ctx := c.Request().Context()
	sup, err := h.Svc.Supplier(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sup)
}

// updateSupplier godoc
//
//	@Summary		Update a supplier
//	@Description	Partial update; the currency cannot change. Managers and admins.
//	@Tags			purchasing
//	@ID				updateSupplier
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"supplier id"
//	@Param			body	body		inventory.SupplierPatch	true	"the fields to change"
//	@Success		200		{object}	inventory.Supplier
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/suppliers/{id} [patch]
func (h Purchasing) updateSupplier(c echo.Context) error {
	var in inventory.SupplierPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	sup, err := h.Svc.UpdateSupplier(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sup)
}

// putSupplierItem godoc
//
//	@Summary		Set a supplier's terms for a variant
//	@Description	Creates or replaces what the supplier charges for a variant (unit_cost in the supplier's currency), its minimum order quantity (default 1) and whether it is the variant's preferred supplier. Making it preferred clears the flag on the variant's other suppliers. Managers and admins.
//	@Tags			purchasing
//	@ID				putSupplierItem
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string						true	"supplier id"
//	@Param			variant_id	path		string						true	"variant id"
//	@Param			body		body		inventory.SupplierItemInput	true	"the terms"
//	@Success		200			{object}	inventory.SupplierItem
//	@Failure		400			{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		404			{object}	web.Problem	"unknown supplier or variant"
//	@Failure		409			{object}	web.Problem	"preferred_taken"
//	@Failure		413			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/suppliers/{id}/items/{variant_id} [put]
func (h Purchasing) putSupplierItem(c echo.Context) error {
	var in inventory.SupplierItemInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	it, err := h.Svc.PutSupplierItem(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("variant_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, it)
}

// deleteSupplierItem godoc
//
//	@Summary		Remove a supplier's terms for a variant
//	@Description	Purchase orders already made keep their costs. Managers and admins.
//	@Tags			purchasing
//	@ID				deleteSupplierItem
//	@Security		BearerAuth
//	@Param			id			path	string	true	"supplier id"
//	@Param			variant_id	path	string	true	"variant id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/suppliers/{id}/items/{variant_id} [delete]
func (h Purchasing) deleteSupplierItem(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.DeleteSupplierItem(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("variant_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// listSupplierItems godoc
//
//	@Summary		List a supplier's items
//	@Description	What the supplier sells us, by variant id. Managers, warehouse staff and admins.
//	@Tags			purchasing
//	@ID				listSupplierItems
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"supplier id"
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	SupplierItemList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/suppliers/{id}/items [get]
func (h Purchasing) listSupplierItems(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.SupplierItems(ctx, auth.FromContext(ctx), c.Param("id"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SupplierItemList(l))
}
