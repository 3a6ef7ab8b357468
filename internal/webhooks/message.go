package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/jobs"
)

// Statuses of a message and of each attempt.
const (
	StatusPending   = "pending"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
)

// messageRow is a row of webhook_messages: one event on its way to one
// endpoint, with the exact body every attempt sends.
type messageRow struct {
	ID             string
	WebhookID      string
	EventID        string
	EventType      string
	ResourceKey    string
	Body           string
	Test           bool
	Status         string
	FirstAttemptAt *time.Time
	FinishedAt     *time.Time
	CreatedAt      time.Time
}

func (messageRow) TableName() string { return "webhook_messages" }

// deliveryRow is a row of webhook_deliveries: one attempt.
type deliveryRow struct {
	ID              string
	MessageID       string
	WebhookID       string
	EventID         string
	EventType       string
	Attempt         int
	Status          string
	ResponseStatus  *int
	ResponseExcerpt *string
	DurationMs      *int64
	Error           *string
	NextAttemptAt   *time.Time
	ClaimedAt       *time.Time
	ClaimedBy       *string
	AttemptedAt     *time.Time
	CreatedAt       time.Time
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

// payload is the body of every delivery (Standard Webhooks' recommended
// shape): the event type, when it happened, and the resource as the API
// returns it.
type payload struct {
	Type      string          `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// body encodes e as a delivery body.
func body(e events.Event) ([]byte, error) {
	data := e.Payload
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	b, err := json.Marshal(payload{Type: e.Type, Timestamp: e.CreatedAt.UTC(), Data: data})
	if err != nil {
		return nil, fmt.Errorf("encode %s %s: %w", e.Type, e.ID, err)
	}
	return b, nil
}

// resourceKey names the resource an event is about, for ordering ("" when
// it has none: such messages wait for nothing).
func resourceKey(e events.Event) string {
	if e.SubjectID == "" {
		return ""
	}
	rt := e.ResourceType
	if rt == "" {
		rt = events.ResourceTypeOf(e.Type)
	}
	return rt + ":" + e.SubjectID
}

// Consume is the events dispatcher's consumer (events.Consumer): for each
// active webhook subscribed to e's type, a message and its first attempt's
// job, in the dispatch transaction ctx carries.
func (s *Service) Consume(ctx context.Context, e events.Event) error {
	var hooks []webhookRow
	if err := s.db.Conn(ctx).Select("id", "event_types").Where("active = ?", true).Order("id").
		Find(&hooks).Error; err != nil {
		return fmt.Errorf("webhooks: subscribed endpoints: %w", err)
	}
	var b []byte
	for _, h := range hooks {
		if !subscribed(h.patterns(), e.Type) {
			continue
		}
		if b == nil {
			var err error
			if b, err = body(e); err != nil {
				return err
			}
		}
		m := messageRow{WebhookID: h.ID, EventID: e.ID, EventType: e.Type, ResourceKey: resourceKey(e), Body: string(b)}
		if _, err := s.newMessage(ctx, m, 0); err != nil {
			return err
		}
	}
	return nil
}

// DeliverEvent sends e to one webhook whatever it subscribes to (the
// automations' call_webhook action), inside ctx's transaction: the message
// and its job commit with the caller's work. ErrNotFound for an unknown
// webhook; a disabled one records a failed delivery.
func (s *Service) DeliverEvent(ctx context.Context, webhookID string, e events.Event) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := db.TakeByID[webhookRow](ctx, s.db, webhookID, ErrNotFound); err != nil {
			return err
		}
		b, err := body(e)
		if err != nil {
			return err
		}
		_, err = s.newMessage(ctx, messageRow{WebhookID: webhookID, EventID: e.ID, EventType: e.Type,
			ResourceKey: resourceKey(e), Body: string(b)}, 0)
		return err
	})
}

// newMessage inserts m (pending) with its first attempt, due now, and
// enqueues that attempt's job to run after jobDelay (0: at once); all
// through ctx's transaction when it has one.
func (s *Service) newMessage(ctx context.Context, m messageRow, jobDelay time.Duration) (deliveryRow, error) {
	now := s.nowUTC()
	if m.ID == "" {
		m.ID = id.New("msg")
	}
	m.Status, m.CreatedAt = StatusPending, now
	d := deliveryRow{ID: id.New("dlv"), MessageID: m.ID, WebhookID: m.WebhookID, EventID: m.EventID,
		EventType: m.EventType, Attempt: 1, Status: StatusPending, NextAttemptAt: &now, CreatedAt: now}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&m).Error; err != nil {
			return fmt.Errorf("webhooks: insert message: %w", err)
		}
		if err := s.db.Conn(ctx).Create(&d).Error; err != nil {
			return fmt.Errorf("webhooks: insert delivery: %w", err)
		}
		return s.schedule(ctx, d.ID, now.Add(jobDelay))
	})
	return d, err
}

// deliverArgs is the durable job of one attempt.
type deliverArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job.
func (deliverArgs) Kind() string { return "webhooks.deliver" }

// schedule enqueues the job that works attempt deliveryID at (or after) at.
// Several jobs for one attempt are harmless: the first claims it, the
// others find it claimed or done.
func (s *Service) schedule(ctx context.Context, deliveryID string, at time.Time) error {
	opts := &jobs.InsertOpts{Queue: Queue}
	if at.After(s.nowUTC()) {
		opts.ScheduledAt = at
	}
	return s.jobs.Enqueue(ctx, deliverArgs{DeliveryID: deliveryID}, opts)
}
