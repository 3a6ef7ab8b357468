package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/idempotency"
	"storekeep/internal/platform/page"
	"storekeep/internal/webhooks"
)

// Webhooks serves /v1/admin/webhooks: the endpoints events are delivered
// to, their delivery log, redelivery, test pings and secret rotation
// (docs/webhooks.md). Admins only: a webhook decides where the shop's data
// goes.
type Webhooks struct{ Service *webhooks.Service }

// webhookAccess: admins (and admin API keys) only.
var webhookAccess = web.StaffRoles()

// RegisterWebhooks adds the webhook routes to r; idem (web.Idempotent)
// guards creation, where an integration's retry would otherwise register
// the endpoint twice.
func RegisterWebhooks(r *web.Router, h Webhooks, idem echo.MiddlewareFunc) {
	r.POST("/v1/admin/webhooks", webhookAccess, h.createWebhook, requireKeyForIntegrations, idem)
	r.GET("/v1/admin/webhooks", webhookAccess, h.listWebhooks)
	r.GET("/v1/admin/webhooks/:id", webhookAccess, h.getWebhook)
	r.PATCH("/v1/admin/webhooks/:id", webhookAccess, h.updateWebhook)
	r.DELETE("/v1/admin/webhooks/:id", webhookAccess, h.deleteWebhook)
	r.POST("/v1/admin/webhooks/:id/rotate-secret", webhookAccess, h.rotateWebhookSecret)
	r.POST("/v1/admin/webhooks/:id/test", webhookAccess, h.testWebhook)
	r.GET("/v1/admin/webhooks/:id/deliveries", webhookAccess, h.listWebhookDeliveries)
	r.POST("/v1/admin/webhooks/:id/deliveries/:delivery_id/redeliver", webhookAccess, h.redeliverWebhook)
}

// requireKeyForIntegrations: an API key creating a webhook must send an
// Idempotency-Key (400 idempotency_key_required), so its retry cannot
// register the endpoint twice; staff may omit it.
func requireKeyForIntegrations(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if auth.FromContext(c.Request().Context()).Kind == auth.APIKey &&
			c.Request().Header.Get(web.HeaderIdempotencyKey) == "" {
			return idempotency.ErrKeyRequired.WithDetail("integrations must send an Idempotency-Key when creating a webhook")
		}
		return next(c)
	}
}

// WebhookList is a page of webhooks.
type WebhookList struct {
	Data       []webhooks.Webhook `json:"data" binding:"required"`
	NextCursor *string            `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name WebhookList

// WebhookDeliveryList is a page of a webhook's delivery log.
type WebhookDeliveryList struct {
	Data       []webhooks.Delivery `json:"data" binding:"required"`
	NextCursor *string             `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name WebhookDeliveryList

// createWebhook godoc
//
//	@Summary		Register a webhook
//	@Description	Registers an endpoint that receives the events listed in `event_types` (names, `*` for every event, or a prefix such as `order.*`), signed per Standard Webhooks. The answer carries the signing `secret` (`whsec_...`): it is shown only here and at rotation. The URL must be https (http only with STOREKEEP_WEBHOOKS_ALLOW_HTTP) and its host must not be or resolve to a loopback, private, link-local, CGNAT, multicast or otherwise internal address, nor be an IP written in a non-standard form: 422 webhook_url_not_allowed, with the reason on `url`. An unknown event type is 422 validation_failed. Send an `Idempotency-Key` (required for API keys) so a retry does not register it twice. Admins only.
//	@Tags			webhooks
//	@ID				createWebhook
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string					false	"retry key (1-255 printable ASCII); required for API keys"
//	@Param			body			body		webhooks.WebhookInput	true	"the endpoint"
//	@Success		201				{object}	webhooks.WebhookWithSecret
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field, bad or (API keys) missing Idempotency-Key"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem	"not an admin"
//	@Failure		409				{object}	web.Problem	"idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, webhook_url_not_allowed, idempotency_conflict"
//	@Router			/v1/admin/webhooks [post]
func (h Webhooks) createWebhook(c echo.Context) error {
	var in webhooks.WebhookInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	w, err := h.Service.Create(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, w)
}

// listWebhooks godoc
//
//	@Summary		List webhooks
//	@Description	Webhooks in the order they were registered, without their secrets. Admins only.
//	@Tags			webhooks
//	@ID				listWebhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	WebhookList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/webhooks [get]
func (h Webhooks) listWebhooks(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Service.List(ctx, auth.FromContext(ctx), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, WebhookList(l))
}

// getWebhook godoc
//
//	@Summary		Get a webhook
//	@Description	Admins only.
//	@Tags			webhooks
//	@ID				getWebhook
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"webhook id"
//	@Success		200	{object}	webhooks.Webhook
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/webhooks/{id} [get]
func (h Webhooks) getWebhook(c echo.Context) error {
	ctx := c.Request().Context()
	w, err := h.Service.Get(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

// updateWebhook godoc
//
//	@Summary		Update a webhook
//	@Description	Partial update, held to the creation rules (a new URL is checked again). `active: true` re-enables a webhook the server disabled after a run of failures (its failure count starts over); events that happened while it was off are not sent by themselves: redeliver them from the log, or read them from GET /v1/admin/events. Admins only.
//	@Tags			webhooks
//	@ID				updateWebhook
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"webhook id"
//	@Param			body	body		webhooks.WebhookPatch	true	"the fields to change"
//	@Success		200		{object}	webhooks.Webhook
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed, webhook_url_not_allowed"
//	@Router			/v1/admin/webhooks/{id} [patch]
func (h Webhooks) updateWebhook(c echo.Context) error {
	var in webhooks.WebhookPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	w, err := h.Service.Update(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

// deleteWebhook godoc
//
//	@Summary		Delete a webhook
//	@Description	Removes the webhook and its delivery log; attempts still scheduled are not made. Admins only.
//	@Tags			webhooks
//	@ID				deleteWebhook
//	@Security		BearerAuth
//	@Param			id	path	string	true	"webhook id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/webhooks/{id} [delete]
func (h Webhooks) deleteWebhook(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Service.Delete(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// rotateWebhookSecret godoc
//
//	@Summary		Rotate a webhook's signing secret
//	@Description	Gives the webhook a new secret, returned here only. For `overlap_seconds` (default 86400; 0 to 604800) deliveries carry two signatures in `webhook-signature`, one per secret, so the receiver can switch to the new secret without missing one; rotating again within the overlap drops the oldest. The body is optional. Admins only.
//	@Tags			webhooks
//	@ID				rotateWebhookSecret
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"webhook id"
//	@Param			body	body		webhooks.RotateInput	false	"the overlap"
//	@Success		200		{object}	webhooks.WebhookWithSecret
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/webhooks/{id}/rotate-secret [post]
func (h Webhooks) rotateWebhookSecret(c echo.Context) error {
	var in webhooks.RotateInput
	if c.Request().ContentLength != 0 {
		if err := web.Bind(c, &in); err != nil {
			return err
		}
	}
	ctx := c.Request().Context()
	w, err := h.Service.RotateSecret(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

// testWebhook godoc
//
//	@Summary		Send a test ping
//	@Description	Sends a `webhook.test` event (`data: {webhook_id}`) to the webhook now, signed like any delivery, even while the webhook is disabled, and answers with the attempt: `succeeded` on a 2xx, else `failed` with the receiver's status or the reason (`error`). The ping is in the delivery log; it is not retried and does not count towards disabling the webhook. Admins only.
//	@Tags			webhooks
//	@ID				testWebhook
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"webhook id"
//	@Success		200	{object}	webhooks.Delivery
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/webhooks/{id}/test [post]
func (h Webhooks) testWebhook(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := h.Service.Test(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// listWebhookDeliveries godoc
//
//	@Summary		List a webhook's deliveries
//	@Description	The delivery log, newest first: one entry per attempt, with the receiver's status, the start of its answer, the latency, why it failed, and when a failed attempt is retried. `event_id` is the `webhook-id` header the receiver saw. Admins only.
//	@Tags			webhooks
//	@ID				listWebhookDeliveries
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string	true	"webhook id"
//	@Param			status		query		string	false	"only attempts with this status"	Enums(pending, succeeded, failed)
//	@Param			event_id	query		string	false	"only attempts of this event"
//	@Param			limit		query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"
//	@Success		200			{object}	WebhookDeliveryList
//	@Failure		400			{object}	web.Problem	"invalid_cursor"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		404			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad limit or status"
//	@Router			/v1/admin/webhooks/{id}/deliveries [get]
func (h Webhooks) listWebhookDeliveries(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Service.ListDeliveries(ctx, auth.FromContext(ctx), c.Param("id"),
		webhooks.DeliveryFilter{Status: c.QueryParam("status"), EventID: c.QueryParam("event_id")}, pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, WebhookDeliveryList(l))
}

// redeliverWebhook godoc
//
//	@Summary		Redeliver an event
//	@Description	Sends the delivery's event to the webhook again: a new delivery (attempt 1, retried like any other) with the same body and the same `webhook-id`, so a receiver that already has it can tell. Answers with the new attempt, due now. A disabled webhook is 409 webhook_disabled: re-enable it first. Admins only.
//	@Tags			webhooks
//	@ID				redeliverWebhook
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string	true	"webhook id"
//	@Param			delivery_id	path		string	true	"delivery id (any attempt of the delivery)"
//	@Success		202			{object}	webhooks.Delivery
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		404			{object}	web.Problem
//	@Failure		409			{object}	web.Problem	"webhook_disabled"
//	@Router			/v1/admin/webhooks/{id}/deliveries/{delivery_id}/redeliver [post]
func (h Webhooks) redeliverWebhook(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := h.Service.Redeliver(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("delivery_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, d)
}
