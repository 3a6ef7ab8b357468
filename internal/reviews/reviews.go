// Package reviews holds customers' reviews of what they bought: written for
// the variants of a delivered order (once per customer and variant),
// moderated by staff, and summed up per product as a rating over approved
// reviews (docs/reviews.md). It owns the reviews table.
package reviews

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
	"storekeep/internal/platform/text"
)

// Statuses of a review.
const (
	StatusPending  = "pending"
	StatusApproved = "approved"
	StatusRejected = "rejected"
)

// Limits on a review's text.
const (
	maxTitle  = 200
	maxBody   = 5000
	maxReason = 500
	maxItems  = 50
)

// Review is one customer's rating of one variant.
type Review struct {
	ID         string `json:"id" binding:"required" example:"rev_06h1wbq28dxanf5st2bqp8yfxm"`
	ProductID  string `json:"product_id" binding:"required" example:"prod_06h1wbq28dxanf5st2bqp8yfxm"`
	VariantID  string `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	Rating     int    `json:"rating" binding:"required" minimum:"1" maximum:"5" example:"5"`
	Title      string `json:"title" binding:"required" example:"Gentle and effective"`
	Body       string `json:"body" binding:"required" example:"My skin feels calm after a week."`
	AuthorName string `json:"author_name" binding:"required" example:"Camille D."`
	Status     string `json:"status" binding:"required" enums:"pending,approved,rejected" example:"approved"`
	// CreatedAt is when the customer wrote the review.
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Review

// AdminReview is a review as staff see it: with who wrote it, from which
// order, and the moderation decision.
type AdminReview struct {
	Review
	CustomerID       string     `json:"customer_id" binding:"required" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	OrderID          string     `json:"order_id" binding:"required" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	ModerationReason string     `json:"moderation_reason" binding:"required" example:"mentions another shop"`
	ModeratedBy      string     `json:"moderated_by" binding:"required" example:"staff_06h1wbq28dxanf5st2bqp8yfxm"`
	ModeratedAt      *time.Time `json:"moderated_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-02-01T09:00:00Z"`
	UpdatedAt        time.Time  `json:"updated_at" binding:"required" format:"date-time" example:"2025-02-01T09:00:00Z"`
} // @name AdminReview

// Rating sums up a product's approved reviews. Average is rounded to two
// decimals and 0 when Count is 0.
type Rating struct {
	Average float64 `json:"average" binding:"required" format:"double" example:"4.5"`
	Count   int64   `json:"count" binding:"required" example:"12"`
} // @name ProductRating

// ItemInput is the review of one variant of the order.
type ItemInput struct {
	VariantID string  `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	Rating    int     `json:"rating" binding:"required" minimum:"1" maximum:"5" example:"5"`
	Title     *string `json:"title,omitempty" maxLength:"200" example:"Gentle and effective"`
	Body      *string `json:"body,omitempty" maxLength:"5000" example:"My skin feels calm after a week."`
} // @name ReviewItemInput

// Input reviews some of an order's variants.
type Input struct {
	Items []ItemInput `json:"items" binding:"required"`
} // @name ReviewInput

// Moderation is staff's decision on a review.
type Moderation struct {
	Status string  `json:"status" binding:"required" enums:"approved,rejected" example:"rejected"`
	Reason *string `json:"reason,omitempty" maxLength:"500" example:"mentions another shop"`
} // @name ReviewModeration

// DeliveredLine is a variant of an order that reached the customer.
type DeliveredLine struct {
	VariantID string
	ProductID string
}

// Orders is what reviews needs of the orders domain.
type Orders interface {
	// Delivered returns the order (which must be actor's own: anyone
	// else's is errs.ErrNotFound) with the variants it contains, and for
	// each whether a delivered fulfilment carried it.
	Delivered(ctx context.Context, actor auth.Actor, orderID string) (ordered map[string]DeliveredLine, delivered map[string]bool, err error)
	// AuthorName is how the customer signs reviews ("Camille D.").
	AuthorName(ctx context.Context, customerID string) string
}

// Service writes, moderates and reads reviews.
type Service struct {
	db     *db.DB
	orders Orders
	now    func() time.Time
}

// SetOrders gives the service the orders domain (built after it).
func (s *Service) SetOrders(o Orders) { s.orders = o }

// NewService returns a reviews service; o may be set later with SetOrders
// and now may be nil (time.Now).
func NewService(d *db.DB, o Orders, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, orders: o, now: now}
}

type row struct {
	ID               string
	CustomerID       string
	OrderID          string
	ProductID        string
	VariantID        string
	Rating           int
	Title            string
	Body             string
	AuthorName       string
	Status           string
	ModerationReason string
	ModeratedBy      string
	ModeratedAt      *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (row) TableName() string { return "reviews" }

func (r row) review() Review {
	return Review{ID: r.ID, ProductID: r.ProductID, VariantID: r.VariantID, Rating: r.Rating, Title: r.Title,
		Body: r.Body, AuthorName: r.AuthorName, Status: r.Status, CreatedAt: r.CreatedAt}
}

func (r row) admin() AdminReview {
	return AdminReview{Review: r.review(), CustomerID: r.CustomerID, OrderID: r.OrderID,
		ModerationReason: r.ModerationReason, ModeratedBy: r.ModeratedBy, ModeratedAt: r.ModeratedAt, UpdatedAt: r.UpdatedAt}
}

// ErrNotReviewable: an item names a variant the order does not contain or
// that was not delivered yet.
var ErrNotReviewable = errs.New(errs.Unprocessable, "not_reviewable", "only variants of the order that were delivered can be reviewed")

// ErrAlreadyReviewed: the customer has reviewed that variant before.
var ErrAlreadyReviewed = errs.New(errs.Conflict, "already_reviewed", "you have already reviewed this variant")

// Create records the reviews of an order's delivered variants, all or
// none, each pending moderation.
func (s *Service) Create(ctx context.Context, actor auth.Actor, orderID string, in Input) ([]Review, error) {
	if actor.Kind != auth.Customer {
		return nil, errs.ErrForbidden
	}
	var fe []errs.FieldError
	add := func(field, msg string) { fe = append(fe, errs.FieldError{Field: field, Message: msg}) }
	switch {
	case len(in.Items) == 0:
		add("items", "must list at least one variant")
	case len(in.Items) > maxItems:
		add("items", fmt.Sprintf("at most %d items", maxItems))
	}
	seen := map[string]bool{}
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d].", i)
		if it.VariantID == "" || !text.Valid(it.VariantID, text.Line) {
			add(f+"variant_id", "is required")
		} else if seen[it.VariantID] {
			add(f+"variant_id", "is listed twice")
		}
		seen[it.VariantID] = true
		if it.Rating < 1 || it.Rating > 5 {
			add(f+"rating", "must be a whole number from 1 to 5")
		}
		if it.Title != nil {
			checkText(add, f+"title", *it.Title, text.Line, maxTitle)
		}
		if it.Body != nil {
			checkText(add, f+"body", *it.Body, text.Free, maxBody)
		}
	}
	if len(fe) > 0 {
		return nil, errs.ErrValidation.WithFields(fe...)
	}
	ordered, delivered, err := s.orders.Delivered(ctx, actor, orderID)
	if err != nil {
		return nil, err
	}
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d].variant_id", i)
		if _, ok := ordered[it.VariantID]; !ok {
			add(f, "is not in this order")
		} else if !delivered[it.VariantID] {
			add(f, "has not been delivered yet")
		}
	}
	if len(fe) > 0 {
		return nil, ErrNotReviewable.WithFields(fe...)
	}
	author := s.orders.AuthorName(ctx, actor.ID)
	now := s.now().UTC()
	out := make([]Review, 0, len(in.Items))
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		for i, it := range in.Items {
			var n int64
			if err := s.db.Conn(ctx).Model(&row{}).Where("customer_id = ? AND variant_id = ?", actor.ID, it.VariantID).
				Count(&n).Error; err != nil {
				return fmt.Errorf("read reviews: %w", err)
			}
			if n > 0 {
				return ErrAlreadyReviewed.WithFields(errs.FieldError{Field: fmt.Sprintf("items[%d].variant_id", i),
					Message: "already reviewed"})
			}
			r := row{ID: id.New("rev"), CustomerID: actor.ID, OrderID: orderID, ProductID: ordered[it.VariantID].ProductID,
				VariantID: it.VariantID, Rating: it.Rating, Title: trim(it.Title), Body: trim(it.Body),
				AuthorName: author, Status: StatusPending, CreatedAt: now, UpdatedAt: now}
			if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					return ErrAlreadyReviewed
				}
				return fmt.Errorf("insert review: %w", err)
			}
			out = append(out, r.review())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func trim(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func checkText(add func(string, string), field, s string, k text.Kind, max int) {
	if p := text.Check(s, k); p != text.OK {
		add(field, p.Message())
	} else if utf8.RuneCountInString(s) > max {
		add(field, fmt.Sprintf("at most %d characters", max))
	}
}

// canModerate: support staff, managers and admins.
func canModerate(a auth.Actor) error {
	if !a.HasRole(auth.RoleSupport, auth.RoleManager) {
		return errs.ErrForbidden
	}
	return nil
}

// Moderate approves or rejects a review (again: a decision can be changed).
func (s *Service) Moderate(ctx context.Context, actor auth.Actor, reviewID string, m Moderation) (AdminReview, error) {
	if err := canModerate(actor); err != nil {
		return AdminReview{}, err
	}
	var fe []errs.FieldError
	add := func(field, msg string) { fe = append(fe, errs.FieldError{Field: field, Message: msg}) }
	if m.Status != StatusApproved && m.Status != StatusRejected {
		add("status", "must be approved or rejected")
	}
	if m.Reason != nil {
		checkText(add, "reason", *m.Reason, text.Line, maxReason)
	}
	if len(fe) > 0 {
		return AdminReview{}, errs.ErrValidation.WithFields(fe...)
	}
	r, err := db.UpdateByID[row](ctx, s.db, reviewID, errs.ErrNotFound, func(r *row) error {
		now := s.now().UTC()
		r.Status, r.ModerationReason, r.ModeratedBy, r.ModeratedAt, r.UpdatedAt = m.Status, trim(m.Reason), actor.ID, &now, now
		return nil
	})
	if err != nil {
		return AdminReview{}, err
	}
	return r.admin(), nil
}

// List returns reviews for staff, oldest first, optionally of one status.
func (s *Service) List(ctx context.Context, actor auth.Actor, status string, pr page.Request) (page.List[AdminReview], error) {
	if err := canModerate(actor); err != nil {
		return page.List[AdminReview]{}, err
	}
	q := s.db.Conn(ctx).Model(&row{}).Order("id").Limit(pr.Limit + 1)
	switch status {
	case "":
	case StatusPending, StatusApproved, StatusRejected:
		q = q.Where("status = ?", status)
	default:
		return page.List[AdminReview]{}, errs.Invalidf("status", "must be pending, approved or rejected")
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	var rows []row
	if err := q.Find(&rows).Error; err != nil {
		return page.List[AdminReview]{}, fmt.Errorf("list reviews: %w", err)
	}
	out := make([]AdminReview, len(rows))
	for i, r := range rows {
		out[i] = r.admin()
	}
	return page.Build(out, pr.Limit, func(r AdminReview) page.Cursor { return page.Cursor{ID: r.ID} }), nil
}

// ProductReviews returns a product's approved reviews, newest first.
func (s *Service) ProductReviews(ctx context.Context, productID string, pr page.Request) (page.List[Review], error) {
	q := s.db.Conn(ctx).Model(&row{}).Where("product_id = ? AND status = ?", productID, StatusApproved).
		Order("id DESC").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []row
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Review]{}, fmt.Errorf("list product reviews: %w", err)
	}
	out := make([]Review, len(rows))
	for i, r := range rows {
		out[i] = r.review()
	}
	return page.Build(out, pr.Limit, func(r Review) page.Cursor { return page.Cursor{ID: r.ID} }), nil
}

// Ratings returns the rating of each of productIDs (zero for those with no
// approved review), from one grouped query.
func (s *Service) Ratings(ctx context.Context, productIDs []string) (map[string]Rating, error) {
	out := make(map[string]Rating, len(productIDs))
	for _, p := range productIDs {
		out[p] = Rating{}
	}
	if len(productIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ProductID string
		N         int64
		Sum       int64
	}
	if err := s.db.Conn(ctx).Model(&row{}).Select("product_id, COUNT(*) AS n, SUM(rating) AS sum").
		Where("product_id IN ? AND status = ?", productIDs, StatusApproved).Group("product_id").
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read ratings: %w", err)
	}
	for _, r := range rows {
		if r.N > 0 {
			avg := float64(r.Sum) / float64(r.N)
			out[r.ProductID] = Rating{Average: float64(int64(avg*100+0.5)) / 100, Count: r.N}
		}
	}
	return out, nil
}
