package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
)

// Fulfillments serves an order's fulfilments (pick, pack, ship, deliver).
type Fulfillments struct{ Svc *orders.Service }

// fulfilWork is the policy of routes that move goods: warehouse staff and
// managers (admins always).
var fulfilWork = web.StaffRoles(auth.RoleWarehouse, auth.RoleManager)

// RegisterFulfillments adds the fulfilment routes; idem (the
// Idempotency-Key middleware) wraps fulfilment creation and cancellation,
// which move stock: integrations (API keys) must send a key, as for stock
// adjustments.
func RegisterFulfillments(r *web.Router, svc *orders.Service, idem echo.MiddlewareFunc) {
	h := Fulfillments{Svc: svc}
	r.POST("/v1/admin/orders/:id/fulfillments", fulfilWork, h.createFulfillment, RequireIdempotencyKeyForAPIKeys, idem)
	r.GET("/v1/admin/orders/:id/fulfillments", web.AnyStaff, h.listFulfillments)
	r.POST("/v1/admin/orders/:id/fulfillments/:fid/pack", fulfilWork, h.packFulfillment)
	r.POST("/v1/admin/orders/:id/fulfillments/:fid/ship", fulfilWork, h.shipFulfillment)
	r.POST("/v1/admin/orders/:id/fulfillments/:fid/deliver", fulfilWork, h.deliverFulfillment)
	r.POST("/v1/admin/orders/:id/fulfillments/:fid/cancel", fulfilWork, h.cancelFulfillment, RequireIdempotencyKeyForAPIKeys, idem)
}

// FulfillmentList is an order's fulfilments.
type FulfillmentList struct {
	Data []orders.Fulfillment `json:"data" binding:"required"`
} // @name FulfillmentList

// createFulfillment godoc
//
//	@Summary		Fulfil order lines
//	@Description	Ships units of a confirmed order's lines from one warehouse and returns the fulfilment with its pick list (sku, title, quantity, warehouse, bin when set). `warehouse_id` defaults to the warehouse where the order's reservation holds most of the requested units. Quantities never exceed what is left to fulfil (422 quantity_exceeds_unfulfilled, also under concurrent requests). The stock leaves through the ledger (reserved units first); the order becomes partially_fulfilled or fulfilled, and a fully fulfilled order's authorised payment is captured. Send an `Idempotency-Key` (required for API keys) so a retry does not fulfil twice. Warehouse staff, managers and admins.
//	@Tags			fulfillment
//	@ID				createFulfillment
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string						true	"order id"
//	@Param			Idempotency-Key	header		string						false	"retry key (1-255 printable ASCII); required for API keys"
//	@Param			body			body		orders.FulfillmentInput		true	"what to ship"
//	@Success		201				{object}	orders.Fulfillment
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field, bad or (API keys) missing Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"invalid_status (order not confirmed), insufficient_stock, idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, quantity_exceeds_unfulfilled, idempotency_conflict"
//	@Router			/v1/admin/orders/{id}/fulfillments [post]
func (h Fulfillments) createFulfillment(c echo.Context) error {
	var in orders.FulfillmentInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, err := h.Svc.CreateFulfillment(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, f)
}

// listFulfillments godoc
//
//	@Summary		List an order's fulfilments
//	@Description	The order's fulfilments, oldest first, each with its pick list. Every staff role.
//	@Tags			fulfillment
//	@ID				listFulfillments
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"order id"
//	@Success		200	{object}	FulfillmentList
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/orders/{id}/fulfillments [get]
func (h Fulfillments) listFulfillments(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := h.Svc.Fulfillments(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, FulfillmentList{Data: l})
}

// packFulfillment godoc
//
//	@Summary		Pack a fulfilment
//	@Description	created -> packed (409 invalid_status otherwise). Warehouse staff, managers and admins.
//	@Tags			fulfillment
//	@ID				packFulfillment
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"order id"
//	@Param			fid	path		string	true	"fulfillment id"
//	@Success		200	{object}	orders.Fulfillment
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		409	{object}	web.Problem	"invalid_status"
//	@Router			/v1/admin/orders/{id}/fulfillments/{fid}/pack [post]
func (h Fulfillments) packFulfillment(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := h.Svc.PackFulfillment(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("fid"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

// shipFulfillment godoc
//
//	@Summary		Ship a fulfilment
//	@Description	created or packed -> shipped, with the carrier and tracking number. When every unit of the order is fulfilled and every fulfilment shipped, the order's fulfillment_status becomes shipped. Warehouse staff, managers and admins.
//	@Tags			fulfillment
//	@ID				shipFulfillment
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"order id"
//	@Param			fid		path		string				true	"fulfillment id"
//	@Param			body	body		orders.ShipInput	true	"carrier and tracking number"
//	@Success		200		{object}	orders.Fulfillment
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"invalid_status"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/orders/{id}/fulfillments/{fid}/ship [post]
func (h Fulfillments) shipFulfillment(c echo.Context) error {
	var in orders.ShipInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, err := h.Svc.ShipFulfillment(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("fid"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

// deliverFulfillment godoc
//
//	@Summary		Mark a fulfilment delivered
//	@Description	shipped -> delivered. When every fulfilment of a shipped order is delivered, its fulfillment_status becomes delivered and its status completed. Warehouse staff, managers and admins.
//	@Tags			fulfillment
//	@ID				deliverFulfillment
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"order id"
//	@Param			fid	path		string	true	"fulfillment id"
//	@Success		200	{object}	orders.Fulfillment
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		409	{object}	web.Problem	"invalid_status"
//	@Router			/v1/admin/orders/{id}/fulfillments/{fid}/deliver [post]
func (h Fulfillments) deliverFulfillment(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := h.Svc.DeliverFulfillment(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("fid"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

// cancelFulfillment godoc
//
//	@Summary		Cancel a fulfilment that has not shipped
//	@Description	created or packed -> canceled (`canceled_at` set). Its units go back to the order's lines (fulfilled_quantity drops: a new fulfilment can take them, or the remainder can be canceled) and its stock goes back on the warehouse's shelf held for the order, not on sale (on_hand and reserved rise, a `sale` movement with a positive delta reverses the sale). The order's fulfillment_status steps back to partially_fulfilled, or unfulfilled when nothing else is fulfilled. A captured payment stays captured. Shipped, delivered or already canceled fulfilments: 409 invalid_status (canceling twice is 409, or the stored answer when the same Idempotency-Key is sent again). Send an `Idempotency-Key` (required for API keys). Warehouse staff, managers and admins.
//	@Tags			fulfillment
//	@ID				cancelFulfillment
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string	true	"order id"
//	@Param			fid				path		string	true	"fulfillment id"
//	@Param			Idempotency-Key	header		string	false	"retry key (1-255 printable ASCII); required for API keys"
//	@Success		200				{object}	orders.Fulfillment
//	@Failure		400				{object}	web.Problem	"bad or (API keys) missing Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"invalid_status, idempotency_key_in_use"
//	@Failure		422				{object}	web.Problem	"idempotency_conflict"
//	@Router			/v1/admin/orders/{id}/fulfillments/{fid}/cancel [post]
func (h Fulfillments) cancelFulfillment(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := h.Svc.CancelFulfillment(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("fid"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}
