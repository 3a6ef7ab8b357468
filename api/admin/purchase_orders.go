package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// PurchaseOrderList is a page of purchase orders.
type PurchaseOrderList struct {
	Data       []inventory.PurchaseOrder `json:"data" binding:"required"`
	NextCursor *string                   `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name PurchaseOrderList

// createPurchaseOrder godoc
//
//	@Summary		Create a draft purchase order
//	@Description	Creates a draft for an active supplier, in its currency, with a human number (PO-000123). A line without unit_cost takes the supplier item's cost. Managers and admins.
//	@Tags			purchasing
//	@ID				createPurchaseOrder
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		inventory.PurchaseOrderInput	true	"the order"
//	@Success		201		{object}	inventory.PurchaseOrder
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/purchase-orders [post]
func (h Purchasing) createPurchaseOrder(c echo.Context) error {
	var in inventory.PurchaseOrderInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	po, err := h.Svc.CreatePurchaseOrder(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, po)
}

// listPurchaseOrders godoc
//
//	@Summary		List purchase orders
//	@Description	Purchase orders newest first, optionally with one status. Managers, warehouse staff and admins.
//	@Tags			purchasing
//	@ID				listPurchaseOrders
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status	query		string	false	"only orders with this status"	Enums(draft, sent, partially_received, received, canceled)
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	PurchaseOrderList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit or status"
//	@Router			/v1/admin/purchase-orders [get]
func (h Purchasing) listPurchaseOrders(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.ListPurchaseOrders(ctx, auth.FromContext(ctx), c.QueryParam("status"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, PurchaseOrderList(l))
}

// getPurchaseOrder godoc
//
//	@Summary		Get a purchase order
//	@Tags			purchasing
//	@ID				getPurchaseOrder
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"purchase order id"
//	@Success		200	{object}	inventory.PurchaseOrder
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/purchase-orders/{id} [get]
func (h Purchasing) getPurchaseOrder(c echo.Context) error {
	ctx := c.Request().Context()
	po, err := h.Svc.PurchaseOrder(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, po)
}

// updatePurchaseOrder godoc
//
//	@Summary		Update a draft purchase order
//	@Description	Changes a draft's notes, destination or lines (items, when given, replace every line). Only drafts: anything else is 409 invalid_status. Managers and admins.
//	@Tags			purchasing
//	@ID				updatePurchaseOrder
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string							true	"purchase order id"
//	@Param			body	body		inventory.PurchaseOrderPatch	true	"the fields to change"
//	@Success		200		{object}	inventory.PurchaseOrder
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"invalid_status"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/purchase-orders/{id} [patch]
func (h Purchasing) updatePurchaseOrder(c echo.Context) error {
	var in inventory.PurchaseOrderPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	po, err := h.Svc.UpdatePurchaseOrder(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, po)
}

// sendPurchaseOrder godoc
//
//	@Summary		Send a purchase order
//	@Description	Marks a draft as sent to the supplier (draft -> sent); anything else is 409 invalid_status. Managers and admins.
//	@Tags			purchasing
//	@ID				sendPurchaseOrder
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"purchase order id"
//	@Success		200	{object}	inventory.PurchaseOrder
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		409	{object}	web.Problem	"invalid_status"
//	@Router			/v1/admin/purchase-orders/{id}/send [post]
func (h Purchasing) sendPurchaseOrder(c echo.Context) error {
	ctx := c.Request().Context()
	po, err := h.Svc.SendPurchaseOrder(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, po)
}

// cancelPurchaseOrder godoc
//
//	@Summary		Cancel a purchase order
//	@Description	Cancels a draft or sent order. Once goods were received it cannot be canceled (409 invalid_status). Managers and admins.
//	@Tags			purchasing
//	@ID				cancelPurchaseOrder
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"purchase order id"
//	@Success		200	{object}	inventory.PurchaseOrder
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		409	{object}	web.Problem	"invalid_status"
//	@Router			/v1/admin/purchase-orders/{id}/cancel [post]
func (h Purchasing) cancelPurchaseOrder(c echo.Context) error {
	ctx := c.Request().Context()
	po, err := h.Svc.CancelPurchaseOrder(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, po)
}

// receivePurchaseOrder godoc
//
//	@Summary		Receive goods against a purchase order
//	@Description	Adds the received units to stock in the given warehouse (ledger movements of kind receipt, reference = the order id) and raises each line's received, all in one transaction. The order becomes partially_received, or received when every line is complete. More than ordered: 422 over_receipt naming the line, nothing applied. Draft, received or canceled orders: 409 invalid_status. Send an Idempotency-Key so a retried request is not received twice. Warehouse staff, managers and admins.
//	@Tags			purchasing
//	@ID				receivePurchaseOrder
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string							true	"purchase order id"
//	@Param			Idempotency-Key	header		string							false	"retry key (1-255 printable ASCII): a retry replays the first response instead of receiving again"
//	@Param			body			body		inventory.ReceiveInput			true	"what arrived"
//	@Success		200				{object}	inventory.PurchaseOrder
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field or bad Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"invalid_status or idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, over_receipt or idempotency_conflict"
//	@Router			/v1/admin/purchase-orders/{id}/receive [post]
func (h Purchasing) receivePurchaseOrder(c echo.Context) error {
	var in inventory.ReceiveInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	po, err := h.Svc.ReceivePurchaseOrder(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, po)
}
