package store

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
)

// Metrics serves the storefront's side of metrics: event ingestion and
// experiment assignments (/v1/store/events, /v1/store/experiments/...).
type Metrics struct{ Tracker *metrics.Tracker }

// RegisterMetrics adds the store metrics routes to r.
func RegisterMetrics(r *web.Router, h Metrics) {
	r.POST("/v1/store/events", web.Shopper, h.ingestEvents)
	r.GET("/v1/store/experiments/:key/assignment", web.Shopper, h.assignment)
}

// EventBatch is a batch of storefront events (the contract's shape).
type EventBatch struct {
	Events []metrics.EventInput `json:"events" binding:"required" minItems:"1" maxItems:"500"`
} // @name EventBatch

// eventBatch is what the handler decodes: each event stays raw so that a bad
// event (unknown type or field, wrong type) rejects that event alone.
type eventBatch struct {
	Events []json.RawMessage `json:"events" validate:"required"`
}

// ingestEvents godoc
//
//	@Summary		Record storefront events
//	@Description	Takes a batch of 1 to 500 events (a larger batch is 422 naming `events`) and checks each on its own: a known type, `anonymous_id` and `session_id` (up to 100 characters), `occurred_at` at most 24 h ahead and 30 days back, optional fields bounded; `experiment_exposure` needs `experiment_id` and `arm`. Valid events are stored, invalid ones are listed in `errors` by index (`events[3].occurred_at`). An event whose `event_id` was already recorded counts as accepted and is not stored twice. Events are attributed to the signed-in customer, if any; a sent `customer_id` is never trusted. Each client IP may send 600 batches per 15 minutes by default, then 429 with Retry-After (docs/metrics.md, Events).
//	@Tags			metrics
//	@ID				ingestEvents
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		EventBatch	true	"the events"
//	@Success		202		{object}	metrics.IngestResult
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed: no events or more than 500"
//	@Failure		429		{object}	web.Problem	"rate_limited (see Retry-After)"
//	@Router			/v1/store/events [post]
func (h Metrics) ingestEvents(c echo.Context) error {
	var in eventBatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := h.Tracker.Ingest(ctx, auth.FromContext(ctx), c.RealIP(), in.Events)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, res)
}
