package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Orders serves /v1/admin/orders.
type Orders struct{ Svc *orders.Service }

// RegisterOrders adds the staff order routes. Every staff role reads orders.
func RegisterOrders(r *web.Router, svc *orders.Service) {
	h := Orders{Svc: svc}
	r.GET("/v1/admin/orders", web.AnyStaff, h.listOrders)
	r.GET("/v1/admin/orders/:id", web.AnyStaff, h.getOrder)
	r.GET("/v1/admin/orders/:id/events", web.AnyStaff, h.orderEvents)
}

// AdminOrderList is a page of orders.
type AdminOrderList struct {
	Data       []orders.Order `json:"data" binding:"required"`
	NextCursor *string        `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name AdminOrderList

// OrderEventList is an order's timeline.
type OrderEventList struct {
	Data []orders.Event `json:"data" binding:"required"`
} // @name OrderEventList

// listOrders godoc
//
//	@Summary		List orders
//	@Description	Orders newest first, optionally with one status, one customer and/or one sales channel. Every staff role.
//	@Tags			orders-admin
//	@ID				listOrders
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status		query		string	false	"only this status"	Enums(pending, confirmed, completed, canceled)
//	@Param			customer_id	query		string	false	"only this customer's orders"
//	@Param			sales_channel_id	query		string	false	"only the orders placed on this sales channel"
//	@Param			limit		query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"
//	@Success		200			{object}	AdminOrderList
//	@Failure		400			{object}	web.Problem	"invalid_cursor"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad status or limit"
//	@Router			/v1/admin/orders [get]
func (h Orders) listOrders(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.Orders(ctx, auth.FromContext(ctx), orders.ListQuery{Status: c.QueryParam("status"),
		CustomerID: c.QueryParam("customer_id"), SalesChannelID: c.QueryParam("sales_channel_id"), Page: pr})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, AdminOrderList{Data: l.Data, NextCursor: l.NextCursor})
}

// getOrder godoc
//
//	@Summary		Get an order
//	@Tags			orders-admin
//	@ID				getOrder
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"order id"
//	@Success		200	{object}	orders.Order
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/orders/{id} [get]
func (h Orders) getOrder(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := h.Svc.Order(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// orderEvents godoc
//
//	@Summary		An order's timeline
//	@Description	Every state change and action on the order, oldest first: placed, payment confirmed or failed, fulfilled, a fulfilment canceled, shipped, delivered, canceled (the whole order, or its unfulfilled remainder and how its money was settled), refunded, returned.
//	@Tags			orders-admin
//	@ID				listOrderEvents
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"order id"
//	@Success		200	{object}	OrderEventList
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/orders/{id}/events [get]
func (h Orders) orderEvents(c echo.Context) error {
	ctx := c.Request().Context()
	evs, err := h.Svc.Events(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, OrderEventList{Data: evs})
}
