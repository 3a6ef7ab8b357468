package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Published is an event as GET /v1/admin/events shows it.
type Published struct {
	ID string `json:"id" binding:"required" example:"evt_06h1wbq28dxanf5st2bqp8yfxm"`
	// Type is "<resource>.<what happened>" (docs/events.md lists them).
	Type string `json:"type" binding:"required" example:"order.paid"`
	// OccurredAt is when the change was recorded (in its transaction).
	OccurredAt   time.Time `json:"occurred_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	ResourceType string    `json:"resource_type" binding:"required" example:"order"`
	ResourceID   string    `json:"resource_id" binding:"required" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	// Data is the resource as the API returned it right after the change:
	// an Order for order.*, a Refund, a Return, a PurchaseOrder, a
	// CustomerDetail, an AdminProduct, a Cart; the support and low-stock
	// events carry their own small documents.
	Data json.RawMessage `json:"data" binding:"required" swaggertype:"object"`
} // @name Event

// Query filters the admin list of events; zero fields match everything.
type Query struct {
	// Type is an event type ("order.paid"), a prefix wildcard ("order.*")
	// or "*".
	Type string
	// ResourceID keeps one resource's events.
	ResourceID string
	// After is an event id: only events after it (exclusive).
	After string
	Page  page.Request
}

// ErrNotFound is the 404 of an unknown event id.
var ErrNotFound = errs.New(errs.NotFound, "not_found", "the event does not exist")

var (
	typePattern     = regexp.MustCompile(`^[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?$`)
	resourcePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
)

// Log is the outbox as staff read it: GET /v1/admin/events.
type Log struct{ d *db.DB }

// NewLog returns the outbox reader over d.
func NewLog(d *db.DB) *Log { return &Log{d: d} }

// canRead lets managers and admins read events: they carry whole orders
// and customers.
func canRead(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return errs.ErrForbidden
	}
	return nil
}

// check validates q's filters, every bad one named (422).
func (q Query) check() error {
	var fields []errs.FieldError
	if q.Type != "" && q.Type != "*" && (len(q.Type) > 100 || !typePattern.MatchString(q.Type)) {
		fields = append(fields, errs.FieldError{Field: "type",
			Message: `must be an event type such as order.paid, a prefix such as order.*, or *`})
	}
	if q.ResourceID != "" && !resourcePattern.MatchString(q.ResourceID) {
		fields = append(fields, errs.FieldError{Field: "resource_id", Message: "must be a resource id such as order_..."})
	}
	if q.After != "" && !id.Valid("evt", q.After) {
		fields = append(fields, errs.FieldError{Field: "after", Message: "must be an event id (evt_...)"})
	}
	if len(fields) > 0 {
		return errs.ErrValidation.WithFields(fields...)
	}
	return nil
}

// List returns events in recording (id) order, oldest first, filtered by q
// and paged by q.Page (the cursor and After both bound the ids from below).
func (l *Log) List(ctx context.Context, actor auth.Actor, q Query) (page.List[Published], error) {
	if err := canRead(actor); err != nil {
		return page.List[Published]{}, err
	}
	if err := q.check(); err != nil {
		return page.List[Published]{}, err
	}
	tx := l.d.Conn(ctx).Table("events").Order("id").Limit(q.Page.Limit + 1)
	switch {
	case q.Type == "" || q.Type == "*":
	case strings.HasSuffix(q.Type, ".*"):
		prefix := strings.TrimSuffix(q.Type, "*")
		tx = tx.Where("substr(type, 1, ?) = ?", len(prefix), prefix)
	default:
		tx = tx.Where("type = ?", q.Type)
	}
	if q.ResourceID != "" {
		tx = tx.Where("subject_id = ?", q.ResourceID)
	}
	if from := max(q.After, q.Page.Cursor.ID); from != "" {
		tx = tx.Where("id > ?", from)
	}
	var rows []row
	if err := tx.Find(&rows).Error; err != nil {
		return page.List[Published]{}, fmt.Errorf("events: list: %w", err)
	}
	out := make([]Published, len(rows))
	for i, r := range rows {
		out[i] = r.published()
	}
	return page.Build(out, q.Page.Limit, func(p Published) page.Cursor { return page.Cursor{ID: p.ID} }), nil
}

// Get returns one event.
func (l *Log) Get(ctx context.Context, actor auth.Actor, eventID string) (Published, error) {
	if err := canRead(actor); err != nil {
		return Published{}, err
	}
	if !id.Valid("evt", eventID) {
		return Published{}, ErrNotFound
	}
	var r row
	err := l.d.Conn(ctx).Table("events").Where("id = ?", eventID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Published{}, ErrNotFound
	}
	if err != nil {
		return Published{}, fmt.Errorf("events: get: %w", err)
	}
	return r.published(), nil
}

func (r row) published() Published {
	data := json.RawMessage(r.Payload)
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	return Published{ID: r.ID, Type: r.Type, OccurredAt: r.CreatedAt.UTC(), ResourceType: r.ResourceType,
		ResourceID: r.SubjectID, Data: data}
}
