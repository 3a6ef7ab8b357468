package support

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
	"storekeep/internal/platform/text"
)

// CannedReply is an agent's saved answer. Its body may hold the
// placeholders {{first_name}} (the customer's first name) and
// {{order_number}} (the conversation's linked order), filled in when used;
// each is empty when unknown.
type CannedReply struct {
	ID        string    `json:"id" binding:"required" example:"canned_06h1wbq28dxanf5st2bqp8yfxm"`
	Title     string    `json:"title" binding:"required" example:"Order on its way"`
	Body      string    `json:"body" binding:"required" example:"Hi {{first_name}}, order {{order_number}} is on its way."`
	Locale    string    `json:"locale" binding:"required" enums:"en,fr" example:"en"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time"`
	UpdatedAt time.Time `json:"updated_at" binding:"required" format:"date-time"`
} // @name SupportCannedReply

// CannedReplyInput creates a canned reply (title and body required; locale
// en by default) or changes one (PATCH: absent fields are unchanged).
type CannedReplyInput struct {
	Title  *string `json:"title" example:"Order on its way"`
	Body   *string `json:"body" text:"free" example:"Hi {{first_name}}, order {{order_number}} is on its way."`
	Locale *string `json:"locale" enums:"en,fr" example:"en"`
} // @name SupportCannedReplyInput

// ErrCannedNotFound is the 404 for an unknown canned reply.
var ErrCannedNotFound = errs.New(errs.NotFound, "not_found", "the canned reply does not exist")

// cannedRow is the support_canned_replies table.
type cannedRow struct {
	ID        string
	Title     string
	Body      string
	Locale    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName is the GORM table.
func (cannedRow) TableName() string { return "support_canned_replies" }

func (r cannedRow) reply() CannedReply {
	return CannedReply{ID: r.ID, Title: r.Title, Body: r.Body, Locale: r.Locale, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC()}
}

func (in CannedReplyInput) apply(r *cannedRow) error {
	var fe []errs.FieldError
	if in.Title != nil {
		t := strings.TrimSpace(*in.Title)
		if t == "" || utf8.RuneCountInString(t) > maxSubjectRunes || !text.Valid(t, text.Line) {
			fe = append(fe, errs.FieldError{Field: "title", Message: fmt.Sprintf("must be one line of 1 to %d characters", maxSubjectRunes)})
		}
		r.Title = t
	}
	if in.Body != nil {
		b, err := cleanBody("body", *in.Body)
		if err != nil {
			fe = append(fe, errs.FieldError{Field: "body", Message: fmt.Sprintf("must be 1 to %d characters of plain text", MaxBodyRunes)})
		}
		r.Body = b
	}
	if in.Locale != nil {
		if !slices.Contains(Locales, *in.Locale) {
			fe = append(fe, errLocale)
		}
		r.Locale = *in.Locale
	}
	if len(fe) > 0 {
		return errs.ErrValidation.WithFields(fe...)
	}
	return nil
}

// CreateCannedReply adds a canned reply.
func (s *Service) CreateCannedReply(ctx context.Context, in CannedReplyInput) (CannedReply, error) {
	var fe []errs.FieldError
	if in.Body == nil {
		fe = append(fe, errs.FieldError{Field: "body", Message: "is required"})
	}
	if in.Title == nil {
		fe = append(fe, errs.FieldError{Field: "title", Message: "is required"})
	}
	if len(fe) > 0 {
		return CannedReply{}, errs.ErrValidation.WithFields(fe...)
	}
	now := s.clock()
	r := cannedRow{ID: id.New("canned"), Locale: Locales[0], CreatedAt: now, UpdatedAt: now}
	if err := in.apply(&r); err != nil {
		return CannedReply{}, err
	}
	if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
		return CannedReply{}, fmt.Errorf("insert canned reply: %w", err)
	}
	return r.reply(), nil
}

// CannedReplies lists canned replies by title, optionally of one locale.
func (s *Service) CannedReplies(ctx context.Context, locale string, pr page.Request) (page.List[CannedReply], error) {
	if err := checkLocaleFilter(locale); err != nil {
		return page.List[CannedReply]{}, err
	}
	q := s.db.Conn(ctx).Order("title").Order("id").Limit(pr.Limit + 1)
	if locale != "" {
		q = q.Where("locale = ?", locale)
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("(title > ? OR (title = ? AND id > ?))", pr.Cursor.Key, pr.Cursor.Key, pr.Cursor.ID)
	}
	var rows []cannedRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[CannedReply]{}, fmt.Errorf("list canned replies: %w", err)
	}
	l := page.Build(rows, pr.Limit, func(r cannedRow) page.Cursor { return page.Cursor{Key: r.Title, ID: r.ID} })
	out := page.List[CannedReply]{Data: make([]CannedReply, len(l.Data)), NextCursor: l.NextCursor}
	for i, r := range l.Data {
		out.Data[i] = r.reply()
	}
	return out, nil
}

func (s *Service) cannedRow(ctx context.Context, cannedID string) (cannedRow, error) {
	if !id.Valid("canned", cannedID) {
		return cannedRow{}, ErrCannedNotFound
	}
	return db.TakeByID[cannedRow](ctx, s.db, cannedID, ErrCannedNotFound)
}

// UpdateCannedReply changes the fields sent.
func (s *Service) UpdateCannedReply(ctx context.Context, cannedID string, in CannedReplyInput) (CannedReply, error) {
	if !id.Valid("canned", cannedID) {
		return CannedReply{}, ErrCannedNotFound
	}
	r, err := db.UpdateByID(ctx, s.db, cannedID, ErrCannedNotFound, func(r *cannedRow) error {
		r.UpdatedAt = s.clock()
		return in.apply(r)
	})
	return r.reply(), err
}

// DeleteCannedReply removes a canned reply.
func (s *Service) DeleteCannedReply(ctx context.Context, cannedID string) error {
	if !id.Valid("canned", cannedID) {
		return ErrCannedNotFound
	}
	return db.DeleteByID[cannedRow](ctx, s.db, cannedID, ErrCannedNotFound)
}

// PostCanned posts a canned reply to a conversation as the agent's
// message, its placeholders filled from the conversation's customer and
// order. An unknown canned reply is 422 naming canned_reply_id.
func (s *Service) PostCanned(ctx context.Context, staffID, convID, cannedID string, internal bool) (Message, error) {
	c, err := s.store.get(ctx, nil, convID)
	if err != nil {
		return Message{}, err
	}
	r, err := s.cannedRow(ctx, cannedID)
	if errors.Is(err, ErrCannedNotFound) {
		return Message{}, errs.Invalidf("canned_reply_id", "is not a canned reply")
	}
	if err != nil {
		return Message{}, err
	}
	body, err := s.fill(ctx, c, r.Body)
	if err != nil {
		return Message{}, err
	}
	return s.PostAgent(ctx, staffID, convID, body, internal)
}

// fill replaces the placeholders of a canned body.
func (s *Service) fill(ctx context.Context, c conversationRow, body string) (string, error) {
	first, number := "", ""
	if c.CustomerID != nil && s.customers != nil && strings.Contains(body, "{{first_name}}") {
		cus, err := s.customers.SupportCustomer(ctx, *c.CustomerID)
		if err == nil {
			first = cus.FirstName
		}
	}
	if c.OrderID != nil && s.orders != nil && strings.Contains(body, "{{order_number}}") {
		o, err := s.orders.SupportOrder(ctx, *c.OrderID)
		if err == nil {
			number = o.Number
		}
	}
	return strings.NewReplacer("{{first_name}}", first, "{{order_number}}", number).Replace(body), nil
}
