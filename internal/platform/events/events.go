// Package events is Storekeep's transactional outbox: a domain records an
// event (for example inventory.low_stock) in the same database transaction as
// the change it describes, so the event exists if and only if the change
// committed. Nothing is delivered here: the webhooks issue adds a relay that
// reads undelivered rows in id order, delivers them at least once (receivers
// dedupe on the event id) and sets delivered_at.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/id"
)

// Event is one outbox row.
type Event struct {
	// ID is "evt_..." and time-ordered, so id order is recording order.
	ID string `gorm:"primaryKey"`
	// Type is "<domain>.<what happened>", e.g. "inventory.low_stock".
	Type string
	// SubjectID is the id of the object the event is about (may be empty).
	SubjectID string
	// Payload is the JSON document delivered to subscribers.
	Payload   json.RawMessage
	CreatedAt time.Time
	// DeliveredAt is set by the relay once the event has been delivered.
	DeliveredAt *time.Time
}

// TableName maps Event to the events table.
func (Event) TableName() string { return "events" }

// Record inserts an event through d.Conn(ctx): inside the caller's
// transaction when ctx carries one, so the event commits or rolls back with
// the change it describes. payload is marshalled to JSON (nil becomes {}).
func Record(ctx context.Context, d *db.DB, typ, subjectID string, payload any) error {
	body := []byte("{}")
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("events: marshal %s payload: %w", typ, err)
		}
		body = b
	}
	err := d.Conn(ctx).Exec(
		`INSERT INTO events (id, type, subject_id, payload, created_at) VALUES (?, ?, ?, ?, ?)`,
		id.New("evt"), typ, subjectID, string(body), db.Now(),
	).Error
	if err != nil {
		return fmt.Errorf("events: record %s: %w", typ, err)
	}
	return nil
}

// Filter narrows List; zero fields match everything.
type Filter struct {
	Type      string
	SubjectID string
	// Limit caps the rows returned (default and maximum 1000).
	Limit int
}

// List returns events in recording order, for tests and admin tooling.
func List(ctx context.Context, d *db.DB, f Filter) ([]Event, error) {
	q := d.Conn(ctx).Table("events").Order("id")
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if f.SubjectID != "" {
		q = q.Where("subject_id = ?", f.SubjectID)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	var rows []struct {
		ID          string
		Type        string
		SubjectID   string
		Payload     string
		CreatedAt   time.Time
		DeliveredAt *time.Time
	}
	if err := q.Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("events: list: %w", err)
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = Event{ID: r.ID, Type: r.Type, SubjectID: r.SubjectID, Payload: json.RawMessage(r.Payload),
			CreatedAt: r.CreatedAt, DeliveredAt: r.DeliveredAt}
	}
	return out, nil
}
