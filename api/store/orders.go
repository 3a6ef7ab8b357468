package store

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Orders serves a customer's own orders.
type Orders struct{ Svc *orders.Service }

// RegisterOrders adds /v1/store/orders (customers only).
func RegisterOrders(r *web.Router, svc *orders.Service) {
	h := Orders{Svc: svc}
	r.GET("/v1/store/orders", web.CustomerOnly, h.listOrders)
	r.GET("/v1/store/orders/:id", web.CustomerOnly, h.getOrder)
}

// OrderList is a page of orders.
type OrderList struct {
	Data       []orders.Order `json:"data" binding:"required"`
	NextCursor *string        `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name OrderList

// listOrders godoc
//
//	@Summary		List my orders
//	@Description	The signed-in customer's orders, newest first (order history).
//	@Tags			orders
//	@ID				listMyOrders
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	OrderList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem	"not a customer token"
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/store/orders [get]
func (h Orders) listOrders(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.CustomerOrders(ctx, auth.FromContext(ctx), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, OrderList{Data: l.Data, NextCursor: l.NextCursor})
}

// getOrder godoc
//
//	@Summary		Get one of my orders
//	@Description	One of the signed-in customer's orders; anyone else's is 404, exactly like a missing one.
//	@Tags			orders
//	@ID				getMyOrder
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"order id"
//	@Success		200	{object}	orders.Order
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem	"not a customer token"
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/store/orders/{id} [get]
func (h Orders) getOrder(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := h.Svc.CustomerOrder(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}
