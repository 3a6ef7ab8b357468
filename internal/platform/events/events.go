// Package events is Storekeep's transactional outbox: a domain records an
// event (for example inventory.low_stock) in the same database transaction as
// the change it describes, so the event exists if and only if the change
// committed. The Dispatcher (dispatch.go) then hands each event, in id order,
// to the consumers that subscribed (webhooks, e-mail, automations) and sets
// delivered_at, which therefore means "dispatched", not "received by every
// subscriber": each consumer tracks its own deliveries.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
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
	// ResourceType names the kind of object SubjectID is ("order",
	// "inventory_level", ...): ResourceTypeOf(Type) unless recorded with
	// RecordAs.
	ResourceType string
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
	return RecordAs(ctx, d, typ, ResourceTypeOf(typ), subjectID, payload)
}

// RecordAs is Record with the resource type named by the caller, for event
// types whose prefix is not the resource (support.message.created is about
// a conversation).
func RecordAs(ctx context.Context, d *db.DB, typ, resourceType, subjectID string, payload any) error {
	body := []byte("{}")
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("events: marshal %s payload: %w", typ, err)
		}
		body = b
	}
	err := d.Conn(ctx).Exec(
		`INSERT INTO events (id, type, resource_type, subject_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id.New("evt"), typ, resourceType, subjectID, string(body), db.Now(),
	).Error
	if err != nil {
		return fmt.Errorf("events: record %s: %w", typ, err)
	}
	return nil
}

// ResourceTypeOf is the resource an event type is about: the part before
// its first dot ("order.paid" -> "order").
func ResourceTypeOf(typ string) string {
	if i := strings.IndexByte(typ, '.'); i > 0 {
		return typ[:i]
	}
	return typ
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
	var rows []row
	if err := q.Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("events: list: %w", err)
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = r.event()
	}
	return out, nil
}
