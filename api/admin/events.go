package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/page"
)

// Events serves /v1/admin/events: the outbox of domain events, read-only
// (docs/events.md).
type Events struct{ Log *events.Log }

// eventsAccess: managers and admins (events carry whole orders and customers).
var eventsAccess = web.StaffRoles(auth.RoleManager)

// RegisterEvents adds the event routes to r.
func RegisterEvents(r *web.Router, h Events) {
	r.GET("/v1/admin/events", eventsAccess, h.listEvents)
	r.GET("/v1/admin/events/:id", eventsAccess, h.getEvent)
}

// EventList is a page of events, oldest first.
type EventList struct {
	Data       []events.Published `json:"data" binding:"required"`
	NextCursor *string            `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name EventList

// listEvents godoc
//
//	@Summary		List domain events
//	@Description	Every recorded domain event (order.created, order.paid, product.updated, cart.abandoned, ...) in the order it was recorded, oldest first, with the resource as the API returned it right after the change in `data`. `type` takes one type, a prefix wildcard such as `order.*`, or `*`; `resource_id` keeps one resource's events; `after` (an event id, exclusive) lets an integrator catch up from the last event it handled. Managers and admins.
//	@Tags			events
//	@ID				listEvents
//	@Produce		json
//	@Security		BearerAuth
//	@Param			type		query		string	false	"event type, prefix wildcard (order.*) or *"
//	@Param			resource_id	query		string	false	"only this resource's events"
//	@Param			after		query		string	false	"only events after this event id"
//	@Param			limit		query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"
//	@Success		200			{object}	EventList
//	@Failure		400			{object}	web.Problem	"invalid_cursor"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad type, resource_id, after or limit"
//	@Router			/v1/admin/events [get]
func (h Events) listEvents(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Log.List(ctx, auth.FromContext(ctx), events.Query{Type: c.QueryParam("type"),
		ResourceID: c.QueryParam("resource_id"), After: c.QueryParam("after"), Page: pr})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, EventList(l))
}

// getEvent godoc
//
//	@Summary		Get a domain event
//	@Description	Managers and admins.
//	@Tags			events
//	@ID				getEvent
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"event id"
//	@Success		200	{object}	events.Published
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/events/{id} [get]
func (h Events) getEvent(c echo.Context) error {
	ctx := c.Request().Context()
	e, err := h.Log.Get(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}
