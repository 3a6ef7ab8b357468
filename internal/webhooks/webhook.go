package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Webhook is an endpoint events are delivered to. Its secret is never part
// of it: only creation and rotation answer with the secret.
type Webhook struct {
	ID  string `json:"id" binding:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	URL string `json:"url" binding:"required" example:"https://erp.example.com/hooks/storekeep"`
	// EventTypes are the event types delivered: names, "*" (all) or a
	// prefix pattern such as "order.*".
	EventTypes  []string `json:"event_types" binding:"required" example:"order.*,refund.created"`
	Description string   `json:"description" binding:"required" example:"ERP order sync"`
	// Active: events are delivered. The server turns it off after a run of
	// failures (disabled_reason); staff turn it back on.
	Active bool `json:"active" binding:"required" example:"true"`
	// DisabledReason says why the server disabled the webhook: failing (its
	// deliveries failed for days) or gone (the receiver answered 410). Null
	// while active, or when staff turned it off.
	DisabledReason *string    `json:"disabled_reason" binding:"required" extensions:"x-nullable" enums:"failing,gone" example:"failing"`
	DisabledAt     *time.Time `json:"disabled_at" binding:"required" extensions:"x-nullable" format:"date-time"`
	// PreviousSecretExpiresAt: until then deliveries are also signed with
	// the secret the last rotation replaced. Null when there is none.
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at" binding:"required" extensions:"x-nullable" format:"date-time"`
	CreatedAt               time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt               time.Time  `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Webhook

// WebhookWithSecret is a webhook with its signing secret: the answer to its
// creation and to a rotation, the only times the secret is shown.
type WebhookWithSecret struct {
	Webhook
	// Secret verifies deliveries (Standard Webhooks): "whsec_" and the
	// base64 of the HMAC key. Store it now; it cannot be shown again.
	Secret string `json:"secret" binding:"required" example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
} // @name WebhookWithSecret

// WebhookInput registers an endpoint.
type WebhookInput struct {
	URL string `json:"url" validate:"required" maxLength:"2000" example:"https://erp.example.com/hooks/storekeep"`
	// EventTypes: event type names, "*" for all, or "order.*" for all of
	// a kind.
	EventTypes  []string `json:"event_types" validate:"required" minItems:"1" maxItems:"50" example:"order.*,refund.created"`
	Description string   `json:"description,omitempty" maxLength:"500" example:"ERP order sync"`
	// Active defaults to true.
	Active *bool `json:"active,omitempty" example:"true"`
} // @name WebhookInput

// WebhookPatch changes some fields of a webhook; absent fields are kept.
// active: true re-enables a webhook the server disabled.
type WebhookPatch struct {
	URL         *string  `json:"url,omitempty" maxLength:"2000" example:"https://erp.example.com/hooks/storekeep"`
	EventTypes  []string `json:"event_types,omitempty" minItems:"1" maxItems:"50" example:"order.*"`
	Description *string  `json:"description,omitempty" maxLength:"500" example:"ERP order sync"`
	Active      *bool    `json:"active,omitempty" example:"true"`
} // @name WebhookPatch

// RotateInput sets how long the replaced secret keeps signing.
type RotateInput struct {
	// OverlapSeconds: deliveries carry signatures with both the old and the
	// new secret for this long (default 86400, 24 h; 0 drops the old secret
	// at once; at most 604800, 7 days).
	OverlapSeconds *int `json:"overlap_seconds,omitempty" minimum:"0" maximum:"604800" example:"86400"`
} // @name WebhookSecretRotation

// Limits of a webhook's fields.
const (
	maxDescriptionLen = 500
	// DefaultOverlap is how long a rotated secret keeps signing.
	DefaultOverlap = 24 * time.Hour
	maxOverlap     = 7 * 24 * time.Hour
)

// Reasons the server disables a webhook.
const (
	DisabledFailing = "failing"
	DisabledGone    = "gone"
)

// webhookRow is a row of webhooks.
type webhookRow struct {
	ID                      string
	URL                     string
	Description             string
	EventTypes              string
	Active                  bool
	DisabledReason          *string
	DisabledAt              *time.Time
	Secret                  string
	PreviousSecret          *string
	PreviousSecretExpiresAt *time.Time
	FailingSince            *time.Time
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

func (webhookRow) TableName() string { return "webhooks" }

func (r webhookRow) webhook() Webhook {
	w := Webhook{ID: r.ID, URL: r.URL, Description: r.Description, Active: r.Active, DisabledReason: r.DisabledReason,
		DisabledAt: r.DisabledAt, PreviousSecretExpiresAt: r.PreviousSecretExpiresAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	_ = json.Unmarshal([]byte(r.EventTypes), &w.EventTypes) // written by this package only
	if w.EventTypes == nil {
		w.EventTypes = []string{}
	}
	return w
}

func (r webhookRow) patterns() []string {
	var p []string
	_ = json.Unmarshal([]byte(r.EventTypes), &p)
	return p
}

// canManage: webhooks are the admins' (they decide where the shop's data goes).
func canManage(a auth.Actor) error {
	if !a.HasRole() {
		return errs.ErrForbidden
	}
	return nil
}

// Create registers an endpoint and returns it with its new secret.
func (s *Service) Create(ctx context.Context, actor auth.Actor, in WebhookInput) (WebhookWithSecret, error) {
	if err := canManage(actor); err != nil {
		return WebhookWithSecret{}, err
	}
	var fe []errs.FieldError
	types, bad := checkEventTypes(in.EventTypes)
	fe = append(fe, bad...)
	desc := strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(desc) > maxDescriptionLen {
		fe = append(fe, errs.FieldError{Field: "description", Message: fmt.Sprintf("must be at most %d characters", maxDescriptionLen)})
	}
	if len(fe) > 0 {
		return WebhookWithSecret{}, errs.ErrValidation.WithFields(fe...)
	}
	// The look-up happens before any transaction opens (no network I/O in one).
	u, err := s.guard.CheckURL(ctx, "url", strings.TrimSpace(in.URL))
	if err != nil {
		return WebhookWithSecret{}, err
	}
	now := s.nowUTC()
	typesJSON, _ := json.Marshal(types)
	secret := newSecret()
	r := webhookRow{ID: id.New("wh"), URL: u, Description: desc, EventTypes: string(typesJSON),
		Active: in.Active == nil || *in.Active, CreatedAt: now, UpdatedAt: now}
	r.Secret = s.seal.seal(r.ID, secret)
	if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
		return WebhookWithSecret{}, fmt.Errorf("insert webhook: %w", err)
	}
	return WebhookWithSecret{Webhook: r.webhook(), Secret: secret}, nil
}

// Get reads one webhook.
func (s *Service) Get(ctx context.Context, actor auth.Actor, webhookID string) (Webhook, error) {
	if err := canManage(actor); err != nil {
		return Webhook{}, err
	}
	r, err := db.TakeByID[webhookRow](ctx, s.db, webhookID, ErrNotFound)
	return r.webhook(), err
}

// List lists webhooks in the order they were created.
func (s *Service) List(ctx context.Context, actor auth.Actor, pr page.Request) (page.List[Webhook], error) {
	if err := canManage(actor); err != nil {
		return page.List[Webhook]{}, err
	}
	q := s.db.Conn(ctx).Model(&webhookRow{}).Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	var rows []webhookRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Webhook]{}, fmt.Errorf("list webhooks: %w", err)
	}
	out := make([]Webhook, len(rows))
	for i, r := range rows {
		out[i] = r.webhook()
	}
	return page.Build(out, pr.Limit, func(w Webhook) page.Cursor { return page.Cursor{ID: w.ID} }), nil
}

// Update changes some fields of a webhook. Turning it active clears what
// the server recorded when it disabled it, so its failure run starts over.
func (s *Service) Update(ctx context.Context, actor auth.Actor, webhookID string, p WebhookPatch) (Webhook, error) {
	if err := canManage(actor); err != nil {
		return Webhook{}, err
	}
	var fe []errs.FieldError
	var typesJSON []byte
	if p.EventTypes != nil {
		types, bad := checkEventTypes(p.EventTypes)
		fe = append(fe, bad...)
		typesJSON, _ = json.Marshal(types)
	}
	if p.Description != nil && utf8.RuneCountInString(strings.TrimSpace(*p.Description)) > maxDescriptionLen {
		fe = append(fe, errs.FieldError{Field: "description", Message: fmt.Sprintf("must be at most %d characters", maxDescriptionLen)})
	}
	if len(fe) > 0 {
		return Webhook{}, errs.ErrValidation.WithFields(fe...)
	}
	var newURL string
	if p.URL != nil {
		if _, err := db.TakeByID[webhookRow](ctx, s.db, webhookID, ErrNotFound); err != nil {
			return Webhook{}, err // 404 before a look-up of the new host
		}
		u, err := s.guard.CheckURL(ctx, "url", strings.TrimSpace(*p.URL))
		if err != nil {
			return Webhook{}, err
		}
		newURL = u
	}
	r, err := db.UpdateByID(ctx, s.db, webhookID, ErrNotFound, func(r *webhookRow) error {
		if newURL != "" {
			r.URL = newURL
		}
		if typesJSON != nil {
			r.EventTypes = string(typesJSON)
		}
		if p.Description != nil {
			r.Description = strings.TrimSpace(*p.Description)
		}
		if p.Active != nil {
			if *p.Active && !r.Active {
				r.DisabledReason, r.DisabledAt, r.FailingSince = nil, nil, nil
			}
			r.Active = *p.Active
		}
		r.UpdatedAt = s.nowUTC()
		return nil
	})
	return r.webhook(), err
}

// Delete removes a webhook with its delivery log; attempts still scheduled
// find nothing to send.
func (s *Service) Delete(ctx context.Context, actor auth.Actor, webhookID string) error {
	if err := canManage(actor); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		// The log first: SQLite enforces the cascade only with foreign
		// keys on, and the log is ours to clear either way.
		for _, t := range []string{"webhook_deliveries", "webhook_messages"} {
			if err := s.db.Conn(ctx).Exec("DELETE FROM "+t+" WHERE webhook_id = ?", webhookID).Error; err != nil {
				return fmt.Errorf("delete webhook log: %w", err)
			}
		}
		return db.DeleteByID[webhookRow](ctx, s.db, webhookID, ErrNotFound)
	})
}

// RotateSecret gives a webhook a new secret and returns it. The replaced
// secret keeps signing (a second signature) for the overlap, so receivers
// can switch without missing a delivery.
func (s *Service) RotateSecret(ctx context.Context, actor auth.Actor, webhookID string, in RotateInput) (WebhookWithSecret, error) {
	if err := canManage(actor); err != nil {
		return WebhookWithSecret{}, err
	}
	overlap := DefaultOverlap
	if in.OverlapSeconds != nil {
		overlap = time.Duration(*in.OverlapSeconds) * time.Second
		if *in.OverlapSeconds < 0 || overlap > maxOverlap {
			return WebhookWithSecret{}, errs.Invalidf("overlap_seconds", "must be from 0 to %d", int(maxOverlap/time.Second))
		}
	}
	secret := newSecret()
	r, err := db.UpdateByID(ctx, s.db, webhookID, ErrNotFound, func(r *webhookRow) error {
		now := s.nowUTC()
		if overlap > 0 {
			prev, until := r.Secret, now.Add(overlap)
			r.PreviousSecret, r.PreviousSecretExpiresAt = &prev, &until
		} else {
			r.PreviousSecret, r.PreviousSecretExpiresAt = nil, nil
		}
		r.Secret = s.seal.seal(r.ID, secret)
		r.UpdatedAt = now
		return nil
	})
	if err != nil {
		return WebhookWithSecret{}, err
	}
	return WebhookWithSecret{Webhook: r.webhook(), Secret: secret}, nil
}

// signingKeys are the HMAC keys a delivery is signed with now: the current
// secret's, and the previous one's during a rotation overlap.
func (s *Service) signingKeys(r webhookRow, now time.Time) ([][]byte, error) {
	cur, err := s.seal.open(r.ID, r.Secret)
	if err != nil {
		return nil, err
	}
	k, err := secretKey(cur)
	if err != nil {
		return nil, err
	}
	keys := [][]byte{k}
	if r.PreviousSecret != nil && r.PreviousSecretExpiresAt != nil && now.Before(*r.PreviousSecretExpiresAt) {
		// A previous secret that no longer opens is skipped: the new one signs.
		if prev, err := s.seal.open(r.ID, *r.PreviousSecret); err == nil {
			if pk, err := secretKey(prev); err == nil {
				keys = append(keys, pk)
			}
		}
	}
	return keys, nil
}
