package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Inventory serves /v1/admin/warehouses and /v1/admin/inventory/*.
type Inventory struct{ Svc *inventory.Service }

// Inventory access: managers (and admins) manage warehouses; warehouse staff
// and managers read and move stock. Support staff have no stock access.
var (
	stockManage = web.StaffRoles(auth.RoleManager)
	stockWork   = web.StaffRoles(auth.RoleManager, auth.RoleWarehouse)
)

// WarehouseList is a page of warehouses.
type WarehouseList struct {
	Data       []inventory.Warehouse `json:"data" binding:"required"`
	NextCursor *string               `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name WarehouseList

// RegisterInventory adds the admin warehouse and stock routes. stockMW (for
// example the Idempotency-Key middleware) wraps the POST routes that move stock.
func RegisterInventory(r *web.Router, svc *inventory.Service, stockMW ...echo.MiddlewareFunc) {
	h := Inventory{Svc: svc}
	r.POST("/v1/admin/warehouses", stockManage, h.createWarehouse)
	r.GET("/v1/admin/warehouses", stockWork, h.listWarehouses)
	r.GET("/v1/admin/warehouses/:id", stockWork, h.getWarehouse)
	r.PATCH("/v1/admin/warehouses/:id", stockManage, h.updateWarehouse)

	r.GET("/v1/admin/inventory/levels", stockWork, h.listLevels)
	r.PATCH("/v1/admin/inventory/levels/:variant_id/:warehouse_id", stockWork, h.updateLevel)
	r.POST("/v1/admin/inventory/adjustments", stockWork, h.createAdjustment, stockMW...)
	r.POST("/v1/admin/inventory/transfers", stockWork, h.createTransfer, stockMW...)
	r.POST("/v1/admin/inventory/counts", stockWork, h.createCount, stockMW...)
	r.GET("/v1/admin/inventory/movements", stockWork, h.listMovements)
	r.GET("/v1/admin/inventory/reservations", stockWork, h.listReservations)
}

// createWarehouse godoc
//
//	@Summary		Create a warehouse
//	@Description	Adds a warehouse. `code` is unique, upper-cased, 2-20 of A-Z, 0-9 and '-'. `priority` orders stock allocation for reservations: LOWER is preferred (default 100). Managers and admins.
//	@Tags			inventory-admin
//	@ID				createWarehouse
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		inventory.WarehouseInput	true	"the warehouse"
//	@Success		201		{object}	inventory.Warehouse
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"code_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/warehouses [post]
func (h Inventory) createWarehouse(c echo.Context) error {
	var in inventory.WarehouseInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	w, err := h.Svc.CreateWarehouse(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, w)
}

// listWarehouses godoc
//
//	@Summary		List warehouses
//	@Description	Warehouses in allocation order (priority ascending, then id), active or not. Warehouse staff, managers and admins.
//	@Tags			inventory-admin
//	@ID				listWarehouses
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	WarehouseList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/warehouses [get]
func (h Inventory) listWarehouses(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.ListWarehouses(ctx, auth.FromContext(ctx), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, WarehouseList{Data: l.Data, NextCursor: l.NextCursor})
}

// getWarehouse godoc
//
//	@Summary		Get a warehouse
//	@Description	One warehouse. Warehouse staff, managers and admins.
//	@Tags			inventory-admin
//	@ID				getWarehouse
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"warehouse id"
//	@Success		200	{object}	inventory.Warehouse
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/warehouses/{id} [get]
func (h Inventory) getWarehouse(c echo.Context) error {
	ctx := c.Request().Context()
	w, err := h.Svc.Warehouse(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

// updateWarehouse godoc
//
//	@Summary		Update a warehouse
//	@Description	Changes name, country, address, priority or active. Warehouses are never deleted: `active: false` deactivates one (its stock stops counting towards store availability and reservations skip it; history stays). The code cannot change. Managers and admins.
//	@Tags			inventory-admin
//	@ID				updateWarehouse
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string						true	"warehouse id"
//	@Param			body	body		inventory.WarehousePatch	true	"fields to change"
//	@Success		200		{object}	inventory.Warehouse
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/warehouses/{id} [patch]
func (h Inventory) updateWarehouse(c echo.Context) error {
	var in inventory.WarehousePatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	w, err := h.Svc.UpdateWarehouse(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}
