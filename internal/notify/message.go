package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/jobs"
	"storekeep/internal/platform/locale"
)

// Message statuses.
const (
	StatusQueued  = "queued"   // waiting for its send job (or its next try)
	StatusSent    = "sent"     // the SMTP server accepted it
	StatusFailed  = "failed"   // refused for good, did not render, or out of tries
	StatusNotSent = "not_sent" // e-mail is off: rendered and kept, never sent
)

// Message is an e-mail to send, as Send takes it.
type Message struct {
	// Template is one of TemplateNames.
	Template string
	// Locale is the language to write in; empty: the customer's, else
	// locale.Default. An unsupported one falls back to locale.Default.
	Locale string
	// To is the address; empty: the customer's.
	To string
	// CustomerID is the customer the message is about, if any.
	CustomerID string
	// Data are the template's variables (JSON-encodable).
	Data map[string]any
	// DedupeKey, when set, makes Send record the message once: a second Send
	// with the same key records and sends nothing.
	DedupeKey string
}

// messageRow is the notification_messages table.
type messageRow struct {
	ID         string
	Template   string
	Locale     string
	Recipient  string
	CustomerID *string
	Data       string
	DedupeKey  *string
	Status     string
	Subject    *string
	BodyText   *string
	BodyHTML   *string
	Attempts   int
	LastError  *string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	SentAt     *time.Time
}

func (messageRow) TableName() string { return "notification_messages" }

// sendArgs is the send job of one message.
type sendArgs struct {
	MessageID string `json:"message_id"`
}

func (sendArgs) Kind() string { return "notify.send" }

// Send records m and enqueues its send job, in ctx's transaction (or its
// own): the message exists, and will be sent, exactly when the caller's
// change commits. Nothing is rendered or sent here. With a DedupeKey
// already recorded it does nothing. An unknown template is 404 not_found,
// a message without a usable address 422 no_recipient.
func (s *Service) Send(ctx context.Context, m Message) error {
	if !KnownTemplate(m.Template) {
		return ErrTemplateNotFound.WithDetail("no template is named %q", m.Template)
	}
	if s.jobs == nil {
		return errors.New("notify: Send needs a job runner (WithJobs)")
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		data := map[string]any{}
		for k, v := range m.Data {
			data[k] = v
		}
		if err := s.addRecipient(ctx, &m, data); err != nil {
			return err
		}
		to, err := checkAddress(m.To)
		if err != nil {
			return err
		}
		body, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("notify: encode %s data: %w", m.Template, err)
		}
		now := s.clock()
		r := messageRow{ID: id.New("mail"), Template: m.Template, Locale: pickLocale(m.Locale), Recipient: to,
			Data: string(body), Status: StatusQueued, CreatedAt: now, UpdatedAt: now}
		if m.CustomerID != "" {
			r.CustomerID = &m.CustomerID
		}
		if m.DedupeKey != "" {
			r.DedupeKey = &m.DedupeKey
		}
		res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
		if res.Error != nil {
			return fmt.Errorf("notify: record message: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil // recorded before: a replay
		}
		return s.jobs.Enqueue(ctx, sendArgs{MessageID: r.ID}, &jobs.InsertOpts{MaxAttempts: MaxAttempts})
	})
}

// addRecipient completes m from its customer: the address and language it
// lacks, and data's "customer" (absent when the message is about nobody).
func (s *Service) addRecipient(ctx context.Context, m *Message, data map[string]any) error {
	if m.CustomerID == "" || s.customers == nil {
		return nil
	}
	r, err := s.customers.NotifyRecipient(ctx, m.CustomerID)
	if errors.Is(err, errs.ErrNotFound) {
		return nil // an account gone meanwhile: the message's own address
	}
	if err != nil {
		return err
	}
	if m.To == "" {
		m.To = r.Email
	}
	if m.Locale == "" {
		m.Locale = r.Locale
	}
	if _, ok := data["customer"]; !ok {
		data["customer"] = map[string]any{"id": m.CustomerID, "email": r.Email, "first_name": r.FirstName,
			"last_name": r.LastName, "locale": r.Locale}
	}
	return nil
}

// checkAddress returns the bare, lower-cased address of to, or 422
// no_recipient.
func checkAddress(to string) (string, error) {
	to = strings.TrimSpace(to)
	if to == "" {
		return "", ErrNoRecipient
	}
	a, err := mail.ParseAddress(to)
	if err != nil || strings.ContainsAny(a.Address, "\r\n") {
		return "", ErrNoRecipient.WithDetail("%q is not an e-mail address", to)
	}
	return auth.NormalizeEmail(a.Address), nil
}

// pickLocale is the supported locale closest to l.
func pickLocale(l string) string {
	if n := locale.Normalize(l); n != "" {
		return n
	}
	return locale.Default
}

// decodeData reads a message's stored variables; numbers stay exact
// (json.Number), so money amounts keep every digit.
func decodeData(s string) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}
