package store

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
)

// Returns serves a customer's returns of their own orders.
type Returns struct{ Svc *orders.Service }

// RegisterReturns adds /v1/store/orders/{id}/returns (customers only).
func RegisterReturns(r *web.Router, svc *orders.Service) {
	h := Returns{Svc: svc}
	r.POST("/v1/store/orders/:id/returns", web.CustomerOnly, h.requestReturn)
	r.GET("/v1/store/orders/:id/returns", web.CustomerOnly, h.listReturns)
}

// ReturnList is an order's returns.
type ReturnList struct {
	Data []orders.Return `json:"data" binding:"required"`
} // @name StoreReturnList

// requestReturn godoc
//
//	@Summary		Request a return
//	@Description	Asks to send back units of one of my delivered orders (409 invalid_status when not delivered), at most the units delivered and neither returned nor already requested (422 quantity_exceeds_returnable). Someone else's order is 404.
//	@Tags			orders
//	@ID				requestReturn
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"order id"
//	@Param			body	body		orders.ReturnInput	true	"lines and reason"
//	@Success		201		{object}	orders.Return
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"invalid_status"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed, quantity_exceeds_returnable"
//	@Router			/v1/store/orders/{id}/returns [post]
func (h Returns) requestReturn(c echo.Context) error {
	var in orders.ReturnInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := h.Svc.RequestReturn(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

// listReturns godoc
//
//	@Summary		List my order's returns
//	@Description	The returns of one of my orders, oldest first, with their status and refund amount.
//	@Tags			orders
//	@ID				listMyReturns
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"order id"
//	@Success		200	{object}	ReturnList
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/store/orders/{id}/returns [get]
func (h Returns) listReturns(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := h.Svc.CustomerReturns(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReturnList{Data: l})
}
