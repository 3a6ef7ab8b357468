package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/idempotency"
	"storekeep/internal/platform/page"
)

// StockLevelList is a page of stock levels.
type StockLevelList struct {
	Data       []inventory.Level `json:"data" binding:"required"`
	NextCursor *string           `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name StockLevelList

// StockMovementList is a page of ledger rows.
type StockMovementList struct {
	Data       []inventory.Movement `json:"data" binding:"required"`
	NextCursor *string              `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name StockMovementList

// ReservationList is the reservations held for one reference.
type ReservationList struct {
	Data []inventory.Reservation `json:"data" binding:"required"`
} // @name ReservationList

// RequireIdempotencyKeyForAPIKeys rejects stock-moving requests from
// integrations (API keys) that carry no Idempotency-Key: 400
// idempotency_key_required: an integration retries on its own, and without a
// key a retried stock move would apply twice (docs/api.md). Staff using the
// admin UI may omit it. Register it after the
// policy and before web.Idempotent.
func RequireIdempotencyKeyForAPIKeys(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if auth.FromContext(c.Request().Context()).Kind == auth.APIKey &&
			c.Request().Header.Get(web.HeaderIdempotencyKey) == "" {
			return idempotency.ErrKeyRequired.WithDetail("integrations must send an Idempotency-Key when moving stock")
		}
		return next(c)
	}
}

// listLevels godoc
//
//	@Summary		List stock levels
//	@Description	Stock per variant per warehouse, ordered by variant then warehouse; `available` = on_hand - reserved. `below_reorder_point=true` lists the low-stock levels (reorder_point > 0 and available <= reorder_point). `sales_channel_id` keeps the levels in the warehouses that fulfil that sales channel (an unknown channel is 422). Warehouse staff, managers and admins.
//	@Tags			inventory-admin
//	@ID				listStockLevels
//	@Produce		json
//	@Security		BearerAuth
//	@Param			variant_id			query		string	false	"only this variant"
//	@Param			warehouse_id		query		string	false	"only this warehouse"
//	@Param			below_reorder_point	query		bool	false	"only levels at or below their reorder point"
//	@Param			sales_channel_id	query		string	false	"only the warehouses of this sales channel"
//	@Param			limit				query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor				query		string	false	"next_cursor of the previous page"
//	@Success		200					{object}	StockLevelList
//	@Failure		400					{object}	web.Problem	"invalid_cursor"
//	@Failure		401					{object}	web.Problem
//	@Failure		403					{object}	web.Problem
//	@Failure		422					{object}	web.Problem	"malformed filter or limit"
//	@Router			/v1/admin/inventory/levels [get]
func (h Inventory) listLevels(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	low, err := web.QueryBool(c, "below_reorder_point")
	if err != nil {
		return err
	}
	q := inventory.LevelQuery{VariantID: c.QueryParam("variant_id"),
		WarehouseID: c.QueryParam("warehouse_id"), Page: pr, BelowReorderPoint: low != nil && *low,
		SalesChannelID: c.QueryParam("sales_channel_id")}
	ctx := c.Request().Context()
	l, err := h.Svc.ListLevels(ctx, auth.FromContext(ctx), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, StockLevelList{Data: l.Data, NextCursor: l.NextCursor})
}

// updateLevel godoc
//
//	@Summary		Set reorder settings of a stock level
//	@Description	Sets reorder_point and/or safety_stock of the level (created empty if the variant was never stocked there). Raising the reorder point to or above available flags the level as low stock. Warehouse staff, managers and admins.
//	@Tags			inventory-admin
//	@ID				updateStockLevel
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			variant_id		path		string					true	"variant id"
//	@Param			warehouse_id	path		string					true	"warehouse id"
//	@Param			body			body		inventory.LevelPatch	true	"settings to change"
//	@Success		200				{object}	inventory.Level
//	@Failure		400				{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem	"unknown variant or warehouse"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/inventory/levels/{variant_id}/{warehouse_id} [patch]
func (h Inventory) updateLevel(c echo.Context) error {
	var in inventory.LevelPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.UpdateLevel(ctx, auth.FromContext(ctx), c.Param("variant_id"), c.Param("warehouse_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

// createAdjustment godoc
//
//	@Summary		Adjust stock
//	@Description	Adds `delta` (non-zero, at most 1000000 either way) to on_hand of a level, with a required reason; the ledger records an `adjustment` movement. Send an `Idempotency-Key` (required for API keys) so a retry does not adjust twice: a replay returns the first response with `Idempotent-Replayed: true`. Warehouse staff, managers and admins.
//	@Tags			inventory-admin
//	@ID				createStockAdjustment
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string							false	"retry key (1-255 printable ASCII); required for API keys"
//	@Param			body			body		inventory.AdjustmentInput	true	"the adjustment"
//	@Success		201				{object}	inventory.StockChange
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field, bad or (API keys) missing Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"insufficient_stock (on_hand would go negative), stock_reserved (below reserved), idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed (unknown variant or warehouse), idempotency_conflict"
//	@Router			/v1/admin/inventory/adjustments [post]
func (h Inventory) createAdjustment(c echo.Context) error {
	var in inventory.AdjustmentInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	out, err := h.Svc.Adjust(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// createTransfer godoc
//
//	@Summary		Transfer stock between warehouses
//	@Description	Moves `quantity` available units of a variant from one warehouse to another: a `transfer_out` and a `transfer_in` movement, both or neither, sharing the transfer id as reference. Send an `Idempotency-Key` (required for API keys) so a retry does not transfer twice. Warehouse staff, managers and admins.
//	@Tags			inventory-admin
//	@ID				createStockTransfer
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string						false	"retry key (1-255 printable ASCII); required for API keys"
//	@Param			body			body		inventory.TransferInput	true	"the transfer"
//	@Success		201				{object}	inventory.Transfer
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field, bad or (API keys) missing Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"insufficient_stock at the source, idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, same_warehouse, idempotency_conflict"
//	@Router			/v1/admin/inventory/transfers [post]
func (h Inventory) createTransfer(c echo.Context) error {
	var in inventory.TransferInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	out, err := h.Svc.Transfer(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// createCount godoc
//
//	@Summary		Record a stock count
//	@Description	Sets on_hand to the counted quantity; the ledger records the difference as a `cycle_count` movement (`movement` is null when the count matched). Counting fewer than the reserved units is 409 stock_reserved. Send an `Idempotency-Key` (required for API keys) so a retry is safe. Warehouse staff, managers and admins.
//	@Tags			inventory-admin
//	@ID				createStockCount
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string					false	"retry key (1-255 printable ASCII); required for API keys"
//	@Param			body			body		inventory.CountInput	true	"the count"
//	@Success		201				{object}	inventory.CountResult
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field, bad or (API keys) missing Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"stock_reserved, idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, idempotency_conflict"
//	@Router			/v1/admin/inventory/counts [post]
func (h Inventory) createCount(c echo.Context) error {
	var in inventory.CountInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	out, err := h.Svc.Count(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// listMovements godoc
//
//	@Summary		List stock movements
//	@Description	The append-only ledger, newest first. Kinds: adjustment, receipt, transfer_out, transfer_in, sale, return_restock, cycle_count. Warehouse staff, managers and admins.
//	@Tags			inventory-admin
//	@ID				listStockMovements
//	@Produce		json
//	@Security		BearerAuth
//	@Param			variant_id		query		string	false	"only this variant"
//	@Param			warehouse_id	query		string	false	"only this warehouse"
//	@Param			limit			query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"
//	@Success		200				{object}	StockMovementList
//	@Failure		400				{object}	web.Problem	"invalid_cursor"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"malformed filter or limit"
//	@Router			/v1/admin/inventory/movements [get]
func (h Inventory) listMovements(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.ListMovements(ctx, auth.FromContext(ctx), inventory.MovementQuery{
		VariantID: c.QueryParam("variant_id"), WarehouseID: c.QueryParam("warehouse_id"), Page: pr})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, StockMovementList{Data: l.Data, NextCursor: l.NextCursor})
}

// listReservations godoc
//
//	@Summary		List reservations of a checkout
//	@Description	The stock reservations held for a cart or order id (`reference`), newest first, with where each unit is held; backordered lines have no warehouse. Warehouse staff, managers and admins.
//	@Tags			inventory-admin
//	@ID				listStockReservations
//	@Produce		json
//	@Security		BearerAuth
//	@Param			reference	query		string	true	"cart or order id"
//	@Success		200			{object}	ReservationList
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"reference missing"
//	@Router			/v1/admin/inventory/reservations [get]
func (h Inventory) listReservations(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := h.Svc.ListReservations(ctx, auth.FromContext(ctx), c.QueryParam("reference"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReservationList{Data: l})
}
