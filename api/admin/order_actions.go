package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
)

// OrderActions serves the money and lifecycle actions on an order:
// cancel, cancel the unfulfilled remainder, capture, refunds.
type OrderActions struct{ Svc *orders.Service }

// orderManage is the policy of routes that move an order's money.
var orderManage = web.StaffRoles(auth.RoleManager)

// RegisterOrderActions adds cancel, capture and refund routes. idemRequired
// (an Idempotency-Key is required on routes that give money back) wraps
// cancel, cancel-remainder and refunds; idem (optional key) wraps capture.
func RegisterOrderActions(r *web.Router, svc *orders.Service, idem, idemRequired echo.MiddlewareFunc) {
	h := OrderActions{Svc: svc}
	r.POST("/v1/admin/orders/:id/cancel", orderManage, h.cancelOrder, idemRequired)
	r.POST("/v1/admin/orders/:id/cancel-remainder", orderManage, h.cancelRemainder, idemRequired)
	r.POST("/v1/admin/orders/:id/capture", orderManage, h.captureOrder, idem)
	r.POST("/v1/admin/orders/:id/refunds", orderManage, h.createRefund, idemRequired)
	r.GET("/v1/admin/orders/:id/refunds", web.AnyStaff, h.listRefunds)
}

// RefundList is an order's refunds.
type RefundList struct {
	Data []orders.Refund `json:"data" binding:"required"`
} // @name RefundList

// cancelOrder godoc
//
//	@Summary		Cancel an order
//	@Description	Cancels a pending or confirmed order of which nothing is fulfilled yet (else 409 invalid_status: cancel the unfulfilled remainder with POST /v1/admin/orders/{id}/cancel-remainder, or ship it and take a return). Its reserved stock is released, then its payment is voided (authorised) or refunded in full (captured); if the payment provider fails at that point the order stays canceled and the payment is settled by the next run of the expiry job (see the timeline). `Idempotency-Key` is required. Managers and admins.
//	@Tags			orders-admin
//	@ID				cancelOrder
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string	true	"order id"
//	@Param			Idempotency-Key	header		string	true	"retry key (1-255 printable ASCII)"
//	@Success		200				{object}	orders.Order
//	@Failure		400				{object}	web.Problem	"idempotency_key_required or malformed key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"invalid_status, idempotency_key_in_use"
//	@Failure		422				{object}	web.Problem	"idempotency_conflict"
//	@Router			/v1/admin/orders/{id}/cancel [post]
func (h OrderActions) cancelOrder(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := h.Svc.Cancel(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// cancelRemainder godoc
//
//	@Summary		Cancel the unfulfilled remainder of an order
//	@Description	For a confirmed order of which some units are fulfilled and others will never ship: every unit not yet fulfilled is canceled (each line's `canceled_quantity`), exactly its reserved stock is released (back on sale), and the order becomes fulfilled (then ships, is delivered and completes as usual; when every fulfilment already shipped or was delivered it moves on at once). The canceled units' share of the total (their lines' totals after discounts, with tax, split per unit by largest remainder; shipping is kept) is added to `canceled_total` and given back: an authorised payment is captured for the total minus that share (the rest of the authorisation lapses), a captured one refunds it. If the payment provider fails at that point the order stays as it is and the next run of the periodic order job settles the money (see the timeline). Nothing fulfilled (cancel the whole order instead), nothing left to fulfil, or not confirmed: 409 invalid_status. `Idempotency-Key` is required. Managers and admins.
//	@Tags			orders-admin
//	@ID				cancelOrderRemainder
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string	true	"order id"
//	@Param			Idempotency-Key	header		string	true	"retry key (1-255 printable ASCII)"
//	@Success		200				{object}	orders.Order
//	@Failure		400				{object}	web.Problem	"idempotency_key_required or malformed key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"invalid_status, idempotency_key_in_use"
//	@Failure		422				{object}	web.Problem	"idempotency_conflict"
//	@Router			/v1/admin/orders/{id}/cancel-remainder [post]
func (h OrderActions) cancelRemainder(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := h.Svc.CancelRemainder(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// captureOrder godoc
//
//	@Summary		Capture an order's payment
//	@Description	Captures the authorised payment of a confirmed or completed order: its total minus `canceled_total` (payment_status authorized -> captured; otherwise 409 invalid_status). The amount is fixed at the first capture attempt, so a remainder canceled afterwards is refunded instead. Orders are also captured automatically when fully fulfilled. Managers and admins.
//	@Tags			orders-admin
//	@ID				captureOrder
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string	true	"order id"
//	@Param			Idempotency-Key	header		string	false	"retry key (1-255 printable ASCII)"
//	@Success		200				{object}	orders.Order
//	@Failure		400				{object}	web.Problem	"malformed Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		402				{object}	web.Problem	"payment_declined"
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"invalid_status, payment_state_conflict, idempotency_key_in_use"
//	@Failure		422				{object}	web.Problem	"idempotency_conflict"
//	@Failure		503				{object}	web.Problem	"payment_provider_unavailable"
//	@Router			/v1/admin/orders/{id}/capture [post]
func (h OrderActions) captureOrder(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := h.Svc.CapturePayment(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// createRefund godoc
//
//	@Summary		Refund an order
//	@Description	Refunds `amount` (in the order's currency, else 422 currency_mismatch) of what the order's payment captured, never above captured minus refunded (422 refund_exceeds_captured, also under concurrent refunds). Only captured or partially refunded payments (409 invalid_status otherwise). payment_status becomes partially_refunded or refunded and the refund appears in the timeline. `Idempotency-Key` is required. Managers and admins.
//	@Tags			orders-admin
//	@ID				createRefund
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string				true	"order id"
//	@Param			Idempotency-Key	header		string				true	"retry key (1-255 printable ASCII)"
//	@Param			body			body		orders.RefundInput	true	"amount and reason"
//	@Success		201				{object}	orders.Refund
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field, missing or malformed Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		402				{object}	web.Problem	"payment_declined"
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"invalid_status, idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, refund_exceeds_captured, currency_mismatch, idempotency_conflict"
//	@Failure		503				{object}	web.Problem	"payment_provider_unavailable"
//	@Router			/v1/admin/orders/{id}/refunds [post]
func (h OrderActions) createRefund(c echo.Context) error {
	var in orders.RefundInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := h.Svc.CreateRefund(ctx, auth.FromContext(ctx), c.Param("id"), in, c.Request().Header.Get(web.HeaderIdempotencyKey))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

// listRefunds godoc
//
//	@Summary		List an order's refunds
//	@Description	Staff refunds, return refunds and cancellation refunds, oldest first. Every staff role.
//	@Tags			orders-admin
//	@ID				listRefunds
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"order id"
//	@Success		200	{object}	RefundList
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/orders/{id}/refunds [get]
func (h OrderActions) listRefunds(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := h.Svc.Refunds(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, RefundList{Data: l})
}
