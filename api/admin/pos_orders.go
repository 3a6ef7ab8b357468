package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/platform/auth"
)

// StaffOrders serves POST /v1/admin/orders: orders staff record for a
// sales channel (point of sale, draft orders).
type StaffOrders struct{ Svc *checkout.Service }

// RegisterStaffOrders adds the route; idemRequired is the Idempotency-Key
// middleware with the key required (a retried sale must not sell twice).
func RegisterStaffOrders(r *web.Router, svc *checkout.Service, idemRequired echo.MiddlewareFunc) {
	h := StaffOrders{Svc: svc}
	r.POST("/v1/admin/orders", web.StaffRoles(auth.RoleManager), h.createOrder, idemRequired)
}

// createOrder godoc
//
//	@Summary		Record an order for a sales channel (point of sale, draft order)
//	@Description	Staff record a sale for a channel: prices come from the catalog in the currency of the channel's region and tax from that region (422 channel_has_no_region without one), stock is reserved from the channel's warehouses in its priority order (422 channel_has_no_warehouses without any; 409 insufficient_stock), products not sold on the channel are 422 variant_unavailable. `payment`: provider `manual` (cash, or a terminal outside Storekeep: method cash, card or other, default cash; `reference` is the receipt or terminal number) is recorded as captured; an online provider (`test`, `stripe`) is authorised and captured with `token` (402 payment_declined). Without `payment` the order is a draft: pending, its stock held 24 hours, then canceled unless paid. `fulfill` (default true on a pos channel) hands a paid order over at once: fulfilled from the warehouses the stock was reserved in (the stock leaves through the ledger with the order as reference), shipped "over the counter" and delivered, so the order is completed. order.created, order.paid and the fulfilment events fire as for a checkout. `Idempotency-Key` is required: a retry returns the first answer. Bad input changes nothing. Managers and admins.
//	@Tags			orders-admin
//	@ID				createStaffOrder
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string						true	"unique per sale; reuse it to retry"
//	@Param			body			body		checkout.StaffOrderInput	true	"channel, items, payment"
//	@Success		201				{object}	orders.Order
//	@Header			201				{string}	Idempotent-Replayed	"true on a replayed response"
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field, idempotency_key_required"
//	@Failure		401				{object}	web.Problem
//	@Failure		402				{object}	web.Problem	"payment_declined"
//	@Failure		403				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"insufficient_stock, idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, variant_unavailable, channel_has_no_region, channel_has_no_warehouses, sales_channel_inactive, idempotency_conflict"
//	@Failure		503				{object}	web.Problem	"payment_provider_unavailable"
//	@Router			/v1/admin/orders [post]
func (h StaffOrders) createOrder(c echo.Context) error {
	var in checkout.StaffOrderInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	// Like a checkout, a sale runs to its end once started (the client
	// retries with its key and gets the stored answer).
	ctx, cancel := web.Detached(c.Request().Context())
	defer cancel()
	o, err := h.Svc.CreateStaffOrder(ctx, auth.FromContext(ctx), in, checkout.Meta{IP: c.RealIP(),
		SessionID: c.Request().Header.Get("X-Session-Id"), IdempotencyKey: c.Request().Header.Get(web.HeaderIdempotencyKey)})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, o)
}
