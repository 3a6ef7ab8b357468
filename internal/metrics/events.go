package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/text"
)

// Event types a storefront may report.
const (
	EventSessionStart       = "session_start"
	EventPageView           = "page_view"
	EventProductView        = "product_view"
	EventAddToCart          = "add_to_cart"
	EventCheckoutStart      = "checkout_start"
	EventSearch             = "search"
	EventExperimentExposure = "experiment_exposure"
)

// EventTypes lists every known event type.
var EventTypes = []string{EventSessionStart, EventPageView, EventProductView, EventAddToCart,
	EventCheckoutStart, EventSearch, EventExperimentExposure}

// Batch and field bounds (docs/metrics.md, "Events").
const (
	// MaxBatch is the most events one request may carry; a larger batch is
	// refused whole (422 on field "events").
	MaxBatch = 500
	// MaxFuture and MaxPast bound occurred_at around the server's clock.
	MaxFuture = 24 * time.Hour
	MaxPast   = 30 * 24 * time.Hour
	maxIDLen  = 100
	maxPath   = 2000
	maxUTMLen = 200
)

// EventInput is one event as a storefront reports it.
type EventInput struct {
	// EventID is the client's id for the event: a retried batch is recorded
	// once (a duplicate counts as accepted).
	EventID     string `json:"event_id,omitempty" maxLength:"100" example:"evt-2f6c1a"`
	Type        string `json:"type" binding:"required" enums:"session_start,page_view,product_view,add_to_cart,checkout_start,search,experiment_exposure" example:"product_view"`
	AnonymousID string `json:"anonymous_id" binding:"required" maxLength:"100" example:"anon-7c1e"`
	SessionID   string `json:"session_id" binding:"required" maxLength:"100" example:"sess-91ab"`
	// CustomerID is ignored unless it is the signed-in customer's: events
	// are attributed to the customer the token names, never to a sent id.
	CustomerID   string `json:"customer_id,omitempty" maxLength:"100" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	Path         string `json:"path,omitempty" maxLength:"2000" example:"/products/rose-serum"`
	ProductID    string `json:"product_id,omitempty" maxLength:"100" example:"prod_06h1wbq28dxanf5st2bqp8yfxm"`
	UTMSource    string `json:"utm_source,omitempty" maxLength:"200" example:"newsletter"`
	UTMMedium    string `json:"utm_medium,omitempty" maxLength:"200" example:"email"`
	UTMCampaign  string `json:"utm_campaign,omitempty" maxLength:"200" example:"spring"`
	ExperimentID string `json:"experiment_id,omitempty" maxLength:"100" example:"checkout-button"`
	Arm          string `json:"arm,omitempty" maxLength:"100" example:"green"`
	// OccurredAt is the client's time: at most 24 h ahead of ours and 30
	// days back.
	OccurredAt time.Time `json:"occurred_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name EventInput

// IngestResult says what became of a batch.
type IngestResult struct {
	// Accepted counts stored events and duplicates of already stored ones.
	Accepted int `json:"accepted" binding:"required" example:"499"`
	Rejected int `json:"rejected" binding:"required" example:"1"`
	// Errors name each rejected event by its index: events[3].occurred_at.
	Errors []errs.FieldError `json:"errors" binding:"required"`
} // @name IngestResult

// event is a row of metric_events.
type event struct {
	EventID      *string
	Type         string
	AnonymousID  string
	SessionID    string
	CustomerID   *string
	Path         *string
	ProductID    *string
	UTMSource    *string
	UTMMedium    *string
	UTMCampaign  *string
	ExperimentID *string
	Arm          *string
	OccurredAt   time.Time
	ReceivedAt   time.Time
	// SalesChannelID is the channel of the request that reported the event.
	SalesChannelID string
}

// ErrBatchTooLarge is a batch over MaxBatch events.
var ErrBatchTooLarge = errs.Invalidf("events", "must hold from 1 to %d events", MaxBatch)

// Ingest validates each event of raw on its own and stores the valid ones in
// one multi-row insert; an invalid event is rejected alone. The customer is
// the signed-in one (actor), whatever the events say.
//
// Each call counts one batch against the client IP's limit (WithEventLimit)
// before anything else, so an oversized or invalid batch costs its sender too.
func (s *Tracker) Ingest(ctx context.Context, actor auth.Actor, ip string, raw []json.RawMessage) (IngestResult, error) {
	if s.limiter != nil && s.batchesPerIP > 0 {
		if _, err := s.limiter.Hit(ctx, auth.Limit{Bucket: "events:ip:" + ip, Max: s.batchesPerIP}); err != nil {
			return IngestResult{}, err
		}
	}
	if len(raw) == 0 || len(raw) > MaxBatch {
		return IngestResult{}, ErrBatchTooLarge
	}
	now := s.now()
	var customer *string
	if actor.Kind == auth.Customer && actor.ID != "" {
		customer = &actor.ID
	}
	// The events belong to the sales channel of the request (its
	// publishable key); outside a store request, to the default channel.
	salesChannel := channel.DefaultID
	if sc, ok := channel.FromContext(ctx); ok {
		salesChannel = sc.ID
	}
	res := IngestResult{Errors: []errs.FieldError{}}
	rows := make([]event, 0, len(raw))
	for i, r := range raw {
		ev, fe := parseEvent(r, now)
		if fe != nil {
			fe.Field = fmt.Sprintf("events[%d]%s", i, fe.Field)
			res.Errors = append(res.Errors, *fe)
			res.Rejected++
			continue
		}
		ev.CustomerID = customer
		ev.ReceivedAt = now
		ev.SalesChannelID = salesChannel
		rows = append(rows, ev)
	}
	res.Accepted = len(rows)
	if len(rows) == 0 {
		return res, nil
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.insertEvents(ctx, rows); err != nil {
			return err
		}
		if customer != nil {
			return s.noteAcquisition(ctx, *customer, rows)
		}
		return nil
	})
	if err != nil {
		return IngestResult{}, err
	}
	return res, nil
}

// parseEvent decodes and checks one event. A field error's Field is the
// suffix after events[i] (".occurred_at", or "" for the whole event).
func parseEvent(raw json.RawMessage, now time.Time) (event, *errs.FieldError) {
	var in EventInput
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return event{}, &errs.FieldError{Message: "must be an event object with known fields of the right types"}
	}
	bad := func(field, format string, args ...any) (event, *errs.FieldError) {
		return event{}, &errs.FieldError{Field: "." + field, Message: fmt.Sprintf(format, args...)}
	}
	if !knownType(in.Type) {
		return bad("type", "must be one of %s", strings.Join(EventTypes, ", "))
	}
	for _, f := range []struct {
		name, v  string
		max      int
		required bool
	}{{"event_id", in.EventID, maxIDLen, false}, {"anonymous_id", in.AnonymousID, maxIDLen, true},
		{"session_id", in.SessionID, maxIDLen, true}, {"customer_id", in.CustomerID, maxIDLen, false},
		{"path", in.Path, maxPath, false}, {"product_id", in.ProductID, maxIDLen, false},
		{"utm_source", in.UTMSource, maxUTMLen, false}, {"utm_medium", in.UTMMedium, maxUTMLen, false},
		{"utm_campaign", in.UTMCampaign, maxUTMLen, false},
		{"experiment_id", in.ExperimentID, maxIDLen, in.Type == EventExperimentExposure},
		{"arm", in.Arm, maxIDLen, in.Type == EventExperimentExposure}} {
		switch {
		case f.required && strings.TrimSpace(f.v) == "":
			return bad(f.name, "is required")
		case utf8.RuneCountInString(f.v) > f.max:
			return bad(f.name, "must be at most %d characters", f.max)
		case !text.Valid(f.v, text.Line):
			return bad(f.name, "must be a single line of printable text")
		}
	}
	switch {
	case in.OccurredAt.IsZero():
		return bad("occurred_at", "is required")
	case in.OccurredAt.After(now.Add(MaxFuture)):
		return bad("occurred_at", "must be at most 24 hours ahead of the server's clock")
	case in.OccurredAt.Before(now.Add(-MaxPast)):
		return bad("occurred_at", "must be at most 30 days in the past")
	}
	return event{EventID: opt(in.EventID), Type: in.Type, AnonymousID: in.AnonymousID, SessionID: in.SessionID,
		Path: opt(in.Path), ProductID: opt(in.ProductID), UTMSource: opt(in.UTMSource), UTMMedium: opt(in.UTMMedium),
		UTMCampaign: opt(in.UTMCampaign), ExperimentID: opt(in.ExperimentID), Arm: opt(in.Arm),
		OccurredAt: in.OccurredAt.UTC().Truncate(time.Microsecond)}, nil
}

func knownType(t string) bool {
	for _, k := range EventTypes {
		if k == t {
			return true
		}
	}
	return false
}

// opt is nil for an empty string, so absent fields are NULL.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
