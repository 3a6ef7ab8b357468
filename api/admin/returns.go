package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Returns serves customer returns to staff.
type Returns struct{ Svc *orders.Service }

// RegisterReturns adds the staff return routes. idem (the Idempotency-Key
// middleware) wraps receiving, which moves stock and money (integrations
// must send a key), and the refund retry.
func RegisterReturns(r *web.Router, svc *orders.Service, idem echo.MiddlewareFunc) {
	h := Returns{Svc: svc}
	r.GET("/v1/admin/returns", web.AnyStaff, h.listReturns)
	r.POST("/v1/admin/returns/:id/receive", fulfilWork, h.receiveReturn, RequireIdempotencyKeyForAPIKeys, idem)
	r.POST("/v1/admin/returns/:id/refund", orderManage, h.refundReturn, idem)
}

// ReturnList is a page of returns.
type ReturnList struct {
	Data       []orders.Return `json:"data" binding:"required"`
	NextCursor *string         `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name ReturnList

// listReturns godoc
//
//	@Summary		List returns
//	@Description	Customer returns newest first, optionally with one status. Every staff role.
//	@Tags			returns
//	@ID				listReturns
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status	query		string	false	"only this status"	Enums(requested, received, refunded)
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	ReturnList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad status or limit"
//	@Router			/v1/admin/returns [get]
func (h Returns) listReturns(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.Returns(ctx, auth.FromContext(ctx), orders.ReturnQuery{Status: c.QueryParam("status"), Page: pr})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReturnList{Data: l.Data, NextCursor: l.NextCursor})
}

// receiveReturn godoc
//
//	@Summary		Receive a return
//	@Description	Books a requested return in at a warehouse: `sellable` units go back on the shelf through the ledger (return_restock movements), `damaged` ones do not; the order lines' returned_quantity rises; the refund amount is the received units' share of their lines' totals (largest remainder, so a whole line refunds exactly its total). The amount is then refunded automatically: the return comes back `refunded`, or stays `received` when the payment provider refused (see the order timeline; retry with POST /v1/admin/returns/{id}/refund). When every unit is returned the order's fulfillment_status becomes returned. Warehouse staff, managers and admins.
//	@Tags			returns
//	@ID				receiveReturn
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string				true	"return id"
//	@Param			Idempotency-Key	header		string				false	"retry key (1-255 printable ASCII); required for API keys"
//	@Param			body			body		orders.ReceiveInput	true	"what arrived"
//	@Success		200				{object}	orders.Return
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field, bad or (API keys) missing Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"invalid_status (not requested), idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, quantity_exceeds_returnable, idempotency_conflict"
//	@Router			/v1/admin/returns/{id}/receive [post]
func (h Returns) receiveReturn(c echo.Context) error {
	var in orders.ReceiveInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := h.Svc.ReceiveReturn(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// refundReturn godoc
//
//	@Summary		Refund a received return
//	@Description	Refunds a received return's amount (received -> refunded), when the automatic refund on receipt failed. Keyed by the return: the money moves once. Managers and admins.
//	@Tags			returns
//	@ID				refundReturn
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string	true	"return id"
//	@Param			Idempotency-Key	header		string	false	"retry key (1-255 printable ASCII)"
//	@Success		200				{object}	orders.Return
//	@Failure		400				{object}	web.Problem	"malformed Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		402				{object}	web.Problem	"payment_declined"
//	@Failure		403				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"invalid_status, payment_state_conflict, idempotency_key_in_use"
//	@Failure		422				{object}	web.Problem	"refund_exceeds_captured, idempotency_conflict"
//	@Failure		503				{object}	web.Problem	"payment_provider_unavailable"
//	@Router			/v1/admin/returns/{id}/refund [post]
func (h Returns) refundReturn(c echo.Context) error {
	ctx := c.Request().Context()
	r, err := h.Svc.RefundReturn(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
