package support

import (
	"context"
	"encoding/json"
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

// FAQ is an entry the bot answers from: staff write the question, the
// answer and extra keywords, per locale.
type FAQ struct {
	ID        string    `json:"id" binding:"required" example:"faq_06h1wbq28dxanf5st2bqp8yfxm"`
	Question  string    `json:"question" binding:"required" example:"How long does shipping take?"`
	Answer    string    `json:"answer" binding:"required" example:"Orders ship within 24 hours and arrive in 2 to 4 working days."`
	Keywords  []string  `json:"keywords" binding:"required" example:"delivery,shipping"`
	Locale    string    `json:"locale" binding:"required" enums:"en,fr" example:"en"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time"`
	UpdatedAt time.Time `json:"updated_at" binding:"required" format:"date-time"`
} // @name SupportFAQ

// FAQInput creates an FAQ entry (all fields) or changes one (PATCH: absent
// fields are unchanged).
type FAQInput struct {
	Question *string   `json:"question" example:"How long does shipping take?"`
	Answer   *string   `json:"answer" text:"free" example:"Orders ship within 24 hours."`
	Keywords *[]string `json:"keywords" example:"delivery,shipping"`
	Locale   *string   `json:"locale" enums:"en,fr" example:"en"`
} // @name SupportFAQInput

// ErrFAQNotFound is the 404 for an unknown FAQ entry.
var ErrFAQNotFound = errs.New(errs.NotFound, "not_found", "the FAQ entry does not exist")

// Limits on FAQ entries.
const (
	maxQuestionRunes = 300
	maxKeywords      = 30
	maxKeywordRunes  = 60
)

// faqRow is the support_faqs table.
type faqRow struct {
	ID        string
	Question  string
	Answer    string
	Keywords  string
	Locale    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName is the GORM table.
func (faqRow) TableName() string { return "support_faqs" }

func (r faqRow) faq() FAQ {
	kw := []string{}
	_ = json.Unmarshal([]byte(r.Keywords), &kw) // written by us
	if kw == nil {
		kw = []string{}
	}
	return FAQ{ID: r.ID, Question: r.Question, Answer: r.Answer, Keywords: kw, Locale: r.Locale,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// apply checks in and writes its fields into r.
func (in FAQInput) apply(r *faqRow) error {
	var fe []errs.FieldError
	bad := func(field, msg string) { fe = append(fe, errs.FieldError{Field: field, Message: msg}) }
	if in.Question != nil {
		q := strings.TrimSpace(*in.Question)
		if q == "" || utf8.RuneCountInString(q) > maxQuestionRunes || !text.Valid(q, text.Line) {
			bad("question", fmt.Sprintf("must be one line of 1 to %d characters", maxQuestionRunes))
		}
		r.Question = q
	}
	if in.Answer != nil {
		a, err := cleanBody("answer", *in.Answer)
		if err != nil {
			bad("answer", fmt.Sprintf("must be 1 to %d characters of plain text", MaxBodyRunes))
		}
		r.Answer = a
	}
	if in.Keywords != nil {
		kw := make([]string, 0, len(*in.Keywords))
		for _, k := range *in.Keywords {
			k = strings.ToLower(strings.TrimSpace(k))
			if k == "" || utf8.RuneCountInString(k) > maxKeywordRunes || !text.Valid(k, text.Line) {
				bad("keywords", fmt.Sprintf("each keyword is one line of 1 to %d characters", maxKeywordRunes))
				break
			}
			if !slices.Contains(kw, k) {
				kw = append(kw, k)
			}
		}
		if len(kw) > maxKeywords {
			bad("keywords", fmt.Sprintf("at most %d keywords", maxKeywords))
		}
		r.Keywords = *jsonText(kw)
	}
	if in.Locale != nil {
		if !slices.Contains(Locales, *in.Locale) {
			bad(errLocale.Field, errLocale.Message)
		}
		r.Locale = *in.Locale
	}
	if len(fe) > 0 {
		return errs.ErrValidation.WithFields(fe...)
	}
	return nil
}

// CreateFAQ adds an FAQ entry; question, answer and locale are required.
func (s *Service) CreateFAQ(ctx context.Context, in FAQInput) (FAQ, error) {
	var fe []errs.FieldError
	for field, missing := range map[string]bool{"question": in.Question == nil, "answer": in.Answer == nil,
		"locale": in.Locale == nil} {
		if missing {
			fe = append(fe, errs.FieldError{Field: field, Message: "is required"})
		}
	}
	if len(fe) > 0 {
		slices.SortFunc(fe, func(a, b errs.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return FAQ{}, errs.ErrValidation.WithFields(fe...)
	}
	now := s.clock()
	r := faqRow{ID: id.New("faq"), Keywords: "[]", CreatedAt: now, UpdatedAt: now}
	if err := in.apply(&r); err != nil {
		return FAQ{}, err
	}
	if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
		return FAQ{}, fmt.Errorf("insert faq: %w", err)
	}
	return r.faq(), nil
}

// FAQs lists FAQ entries, newest first, optionally of one locale.
func (s *Service) FAQs(ctx context.Context, locale string, pr page.Request) (page.List[FAQ], error) {
	if err := checkLocaleFilter(locale); err != nil {
		return page.List[FAQ]{}, err
	}
	q := s.db.Conn(ctx).Order("id DESC").Limit(pr.Limit + 1)
	if locale != "" {
		q = q.Where("locale = ?", locale)
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []faqRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[FAQ]{}, fmt.Errorf("list faqs: %w", err)
	}
	l := page.Build(rows, pr.Limit, func(r faqRow) page.Cursor { return page.Cursor{ID: r.ID} })
	out := page.List[FAQ]{Data: make([]FAQ, len(l.Data)), NextCursor: l.NextCursor}
	for i, r := range l.Data {
		out.Data[i] = r.faq()
	}
	return out, nil
}

// GetFAQ returns one FAQ entry.
func (s *Service) GetFAQ(ctx context.Context, faqID string) (FAQ, error) {
	r, err := s.faqRow(ctx, faqID)
	return r.faq(), err
}

func (s *Service) faqRow(ctx context.Context, faqID string) (faqRow, error) {
	if !id.Valid("faq", faqID) {
		return faqRow{}, ErrFAQNotFound
	}
	return db.TakeByID[faqRow](ctx, s.db, faqID, ErrFAQNotFound)
}

// UpdateFAQ changes the fields in sent.
func (s *Service) UpdateFAQ(ctx context.Context, faqID string, in FAQInput) (FAQ, error) {
	if !id.Valid("faq", faqID) {
		return FAQ{}, ErrFAQNotFound
	}
	r, err := db.UpdateByID(ctx, s.db, faqID, ErrFAQNotFound, func(r *faqRow) error {
		r.UpdatedAt = s.clock()
		return in.apply(r)
	})
	return r.faq(), err
}

// DeleteFAQ removes an FAQ entry.
func (s *Service) DeleteFAQ(ctx context.Context, faqID string) error {
	if !id.Valid("faq", faqID) {
		return ErrFAQNotFound
	}
	return db.DeleteByID[faqRow](ctx, s.db, faqID, ErrFAQNotFound)
}
