package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Delivery is one attempt to deliver an event to a webhook: an entry of
// its delivery log.
type Delivery struct {
	ID        string `json:"id" binding:"required" example:"dlv_06h1wbq28dxanf5st2bqp8yfxm"`
	WebhookID string `json:"webhook_id" binding:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	// EventID is the webhook-id header: the event's id, the same on every
	// attempt and redelivery (a test ping's own id).
	EventID   string `json:"event_id" binding:"required" example:"evt_06h1wbq28dxanf5st2bqp8yfxm"`
	EventType string `json:"event_type" binding:"required" example:"order.created"`
	// Attempt counts from 1 within one delivery (a redelivery starts at 1).
	Attempt int `json:"attempt" binding:"required" example:"1"`
	// Status: pending (not made yet, or in flight), succeeded (a 2xx),
	// failed (see error; next_attempt_at says when it is retried, null
	// when it was the last attempt).
	Status string `json:"status" binding:"required" enums:"pending,succeeded,failed" example:"succeeded"`
	// ResponseStatus is the receiver's HTTP status (null: no answer).
	ResponseStatus *int `json:"response_status" binding:"required" extensions:"x-nullable" example:"200"`
	// ResponseExcerpt is the start of the receiver's answer (up to 1 KiB).
	ResponseExcerpt *string `json:"response_excerpt" binding:"required" extensions:"x-nullable" example:"ok"`
	// DurationMS is how long the receiver took to answer.
	DurationMS *int64 `json:"duration_ms" binding:"required" extensions:"x-nullable" example:"84"`
	// Error says why a failed attempt failed (the receiver's status, a
	// timeout, a refused address, ...).
	Error *string `json:"error" binding:"required" extensions:"x-nullable" example:"the receiver answered 503"`
	// NextAttemptAt: when a pending attempt is due, or when a failed one is
	// retried.
	NextAttemptAt *time.Time `json:"next_attempt_at" binding:"required" extensions:"x-nullable" format:"date-time"`
	// AttemptedAt is when the request was sent.
	AttemptedAt *time.Time `json:"attempted_at" binding:"required" extensions:"x-nullable" format:"date-time"`
	CreatedAt   time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name WebhookDelivery

func (r deliveryRow) delivery() Delivery {
	return Delivery{ID: r.ID, WebhookID: r.WebhookID, EventID: r.EventID, EventType: r.EventType, Attempt: r.Attempt,
		Status: r.Status, ResponseStatus: r.ResponseStatus, ResponseExcerpt: r.ResponseExcerpt, DurationMS: r.DurationMs,
		Error: r.Error, NextAttemptAt: r.NextAttemptAt, AttemptedAt: r.AttemptedAt, CreatedAt: r.CreatedAt}
}

// DeliveryFilter narrows a delivery log; zero fields match everything.
type DeliveryFilter struct {
	Status  string
	EventID string
}

// ListDeliveries lists a webhook's attempts, newest first.
func (s *Service) ListDeliveries(ctx context.Context, actor auth.Actor, webhookID string, f DeliveryFilter,
	pr page.Request) (page.List[Delivery], error) {
	if err := canManage(actor); err != nil {
		return page.List[Delivery]{}, err
	}
	if f.Status != "" && f.Status != StatusPending && f.Status != StatusSucceeded && f.Status != StatusFailed {
		return page.List[Delivery]{}, errs.Invalidf("status", "must be pending, succeeded or failed")
	}
	if _, err := db.TakeByID[webhookRow](ctx, s.db, webhookID, ErrNotFound); err != nil {
		return page.List[Delivery]{}, err
	}
	q := s.db.Conn(ctx).Model(&deliveryRow{}).Where("webhook_id = ?", webhookID).Order("id DESC").Limit(pr.Limit + 1)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.EventID != "" {
		q = q.Where("event_id = ?", f.EventID)
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []deliveryRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Delivery]{}, fmt.Errorf("list deliveries: %w", err)
	}
	out := make([]Delivery, len(rows))
	for i, r := range rows {
		out[i] = r.delivery()
	}
	return page.Build(out, pr.Limit, func(d Delivery) page.Cursor { return page.Cursor{ID: d.ID} }), nil
}

// Redeliver sends a delivery's event again to its webhook: a new chain of
// attempts (with its own retries) carrying the same body and webhook-id.
// It returns the new chain's first attempt, due now.
func (s *Service) Redeliver(ctx context.Context, actor auth.Actor, webhookID, deliveryID string) (Delivery, error) {
	if err := canManage(actor); err != nil {
		return Delivery{}, err
	}
	var out deliveryRow
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		w, err := db.TakeByID[webhookRow](ctx, s.db, webhookID, ErrNotFound)
		if err != nil {
			return err
		}
		var d deliveryRow
		err = s.db.Conn(ctx).Where("id = ? AND webhook_id = ?", deliveryID, webhookID).Take(&d).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrDeliveryNotFound
		}
		if err != nil {
			return fmt.Errorf("read delivery %s: %w", deliveryID, err)
		}
		if !w.Active {
			return ErrDisabled
		}
		m, err := db.TakeByID[messageRow](ctx, s.db, d.MessageID, ErrDeliveryNotFound)
		if err != nil {
			return err
		}
		out, err = s.newMessage(ctx, messageRow{WebhookID: m.WebhookID, EventID: m.EventID, EventType: m.EventType,
			ResourceKey: m.ResourceKey, Body: m.Body, Test: m.Test}, 0)
		return err
	})
	return out.delivery(), err
}

// pingJobDelay: a test ping is sent by the request that asked for it; its
// job only finishes the attempt if that request died before recording it.
const pingJobDelay = claimTTL + 10*time.Second

// Test sends a webhook.test ping now, whether the webhook is active or not,
// and returns the attempt's outcome. It is logged with the deliveries, is
// not retried, and does not count towards disabling the webhook.
func (s *Service) Test(ctx context.Context, actor auth.Actor, webhookID string) (Delivery, error) {
	if err := canManage(actor); err != nil {
		return Delivery{}, err
	}
	if _, err := db.TakeByID[webhookRow](ctx, s.db, webhookID, ErrNotFound); err != nil {
		return Delivery{}, err
	}
	now := s.nowUTC()
	msgID := id.New("msg")
	b, err := json.Marshal(payload{Type: TestEventType, Timestamp: now,
		Data: json.RawMessage(fmt.Sprintf(`{"webhook_id":%q}`, webhookID))})
	if err != nil {
		return Delivery{}, err
	}
	d, err := s.newMessage(ctx, messageRow{ID: msgID, WebhookID: webhookID, EventID: msgID, EventType: TestEventType,
		Body: string(b), Test: true}, pingJobDelay)
	if err != nil {
		return Delivery{}, err
	}
	if _, err := s.attempt(ctx, d.ID, "request:"+d.ID); err != nil {
		return Delivery{}, err
	}
	r, err := db.TakeByID[deliveryRow](ctx, s.db, d.ID, ErrDeliveryNotFound)
	return r.delivery(), err
}
