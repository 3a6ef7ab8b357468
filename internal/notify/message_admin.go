package notify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// MessageSummary is a recorded e-mail in staff lists.
type MessageSummary struct {
	ID         string  `json:"id" binding:"required" example:"mail_06h1wbq28dxanf5st2bqp8yfxm"`
	Template   string  `json:"template" binding:"required" enums:"order_confirmation,order_shipped,refund_issued,support_reply,discount_issued,loyalty_tier_changed,cart_reminder" example:"order_confirmation"`
	Locale     string  `json:"locale" binding:"required" enums:"en,fr" example:"fr"`
	To         string  `json:"to" binding:"required" format:"email" example:"camille@example.com"`
	CustomerID *string `json:"customer_id" binding:"required" extensions:"x-nullable" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	// Status: queued (waiting for its send job or its next try), sent,
	// failed (refused, did not render, or out of tries: see last_error),
	// not_sent (e-mail is off).
	Status string `json:"status" binding:"required" enums:"queued,sent,failed,not_sent" example:"sent"`
	// Subject is null until the send job rendered the message.
	Subject  *string `json:"subject" binding:"required" extensions:"x-nullable" example:"Commande SK-1001 confirmée"`
	Attempts int     `json:"attempts" binding:"required" example:"1"`
	// LastError is why the last try failed (or why the message failed).
	LastError *string    `json:"last_error" binding:"required" extensions:"x-nullable" example:"dial tcp 10.0.0.5:587: connection refused"`
	CreatedAt time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time  `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:01Z"`
	SentAt    *time.Time `json:"sent_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T12:00:01Z"`
} // @name NotificationMessage

// MessageDetail is one recorded e-mail with what it says and the variables
// it was rendered from.
type MessageDetail struct {
	MessageSummary
	// Text and HTML are null until rendered; HTML stays null for a
	// text-only template.
	Text *string        `json:"text" binding:"required" extensions:"x-nullable" example:"Bonjour Camille, ..."`
	HTML *string        `json:"html" binding:"required" extensions:"x-nullable" example:"<p>Bonjour Camille</p>"`
	Data map[string]any `json:"data" binding:"required"`
} // @name NotificationMessageDetail

// MessageFilter narrows the staff list; zero fields match everything.
type MessageFilter struct {
	Status   string
	To       string
	Template string
}

// statuses are the message statuses, for the list filter.
var statuses = []string{StatusQueued, StatusSent, StatusFailed, StatusNotSent}

// canReadMessages: admins, managers and support staff (who answer "did my
// confirmation go out?").
func canReadMessages(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager, auth.RoleSupport) {
		return errs.ErrForbidden
	}
	return nil
}

// Messages lists recorded e-mails newest first. Admins, managers, support.
func (s *Service) Messages(ctx context.Context, actor auth.Actor, f MessageFilter, pr page.Request) (page.List[MessageSummary], error) {
	if err := canReadMessages(actor); err != nil {
		return page.List[MessageSummary]{}, err
	}
	q := s.db.Conn(ctx).Model(&messageRow{}).Omit("data", "body_text", "body_html").Order("id DESC").Limit(pr.Limit + 1)
	if f.Status != "" {
		if !slices.Contains(statuses, f.Status) {
			return page.List[MessageSummary]{}, errs.Invalidf("status", "must be one of %s", strings.Join(statuses, ", "))
		}
		q = q.Where("status = ?", f.Status)
	}
	if f.Template != "" {
		if !KnownTemplate(f.Template) {
			return page.List[MessageSummary]{}, errs.Invalidf("template", "must be one of %s", strings.Join(TemplateNames, ", "))
		}
		q = q.Where("template = ?", f.Template)
	}
	if f.To != "" {
		q = q.Where("recipient = ?", strings.ToLower(strings.TrimSpace(f.To)))
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []messageRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[MessageSummary]{}, fmt.Errorf("notify: list messages: %w", err)
	}
	out := make([]MessageSummary, len(rows))
	for i, r := range rows {
		out[i] = r.summary()
	}
	return page.Build(out, pr.Limit, func(m MessageSummary) page.Cursor { return page.Cursor{ID: m.ID} }), nil
}

// Message returns one recorded e-mail with its rendered parts and data.
// Admins, managers, support.
func (s *Service) Message(ctx context.Context, actor auth.Actor, messageID string) (MessageDetail, error) {
	if err := canReadMessages(actor); err != nil {
		return MessageDetail{}, err
	}
	if !id.Valid("mail", messageID) {
		return MessageDetail{}, ErrMessageNotFound
	}
	r, err := db.TakeByID[messageRow](ctx, s.db, messageID, ErrMessageNotFound)
	if err != nil {
		return MessageDetail{}, err
	}
	data, err := decodeData(r.Data)
	if err != nil {
		return MessageDetail{}, fmt.Errorf("notify: decode message data: %w", err)
	}
	return MessageDetail{MessageSummary: r.summary(), Text: r.BodyText, HTML: r.BodyHTML, Data: data}, nil
}

func (r messageRow) summary() MessageSummary {
	m := MessageSummary{ID: r.ID, Template: r.Template, Locale: r.Locale, To: r.Recipient, CustomerID: r.CustomerID,
		Status: r.Status, Subject: r.Subject, Attempts: r.Attempts, LastError: r.LastError,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.SentAt != nil {
		t := r.SentAt.UTC()
		m.SentAt = &t
	}
	return m
}
