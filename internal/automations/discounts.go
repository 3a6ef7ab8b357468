package automations

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/checkout"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// Where an issued code came from.
const (
	SourceAutomation = "automation"
	SourceStaff      = "staff"
)

// DiscountInput is a code to issue to one customer: the issue_discount
// action's fields, and the body of the staff route.
type DiscountInput struct {
	// Percentage is the discount in basis points (1500 = 15 %); give it or amount.
	Percentage *int64 `json:"percentage,omitempty" minimum:"1" maximum:"10000" example:"1500"`
	// Amount is a fixed discount in one currency; give it or percentage.
	Amount *money.Amount `json:"amount,omitempty"`
	// ExpiresInDays is how long the code is valid from now (1-365).
	ExpiresInDays *int64 `json:"expires_in_days" binding:"required" minimum:"1" maximum:"365" example:"30"`
	// ProductIDs and CategoryIDs restrict the code to those lines; none: every line.
	ProductIDs  []string `json:"product_ids,omitempty"`
	CategoryIDs []string `json:"category_ids,omitempty"`
} // @name CustomerDiscountInput

func (a Action) discount() DiscountInput {
	return DiscountInput{Percentage: a.Percentage, Amount: a.Amount, ExpiresInDays: a.ExpiresInDays,
		ProductIDs: a.ProductIDs, CategoryIDs: a.CategoryIDs}
}

// CustomerDiscount is a code issued to one customer, as they and staff see
// it: single use, for them alone.
type CustomerDiscount struct {
	ID          string `json:"id" binding:"required" example:"idisc_06h1wbq28dxanf5st2bqp8yfxm"`
	PromotionID string `json:"promotion_id" binding:"required" example:"promo_06h1wbq28dxanf5st2bqp8yfxm"`
	Code        string `json:"code" binding:"required" example:"THANKS-7KQ2-M4XD"`
	Type        string `json:"type" binding:"required" enums:"percentage,fixed" example:"percentage"`
	// Percentage is in basis points (1500 = 15 %) for percentage codes; 0 otherwise.
	Percentage int64 `json:"percentage" binding:"required" example:"1500"`
	// Amounts is the fixed discount ([] for percentage codes).
	Amounts []money.Amount `json:"amounts" binding:"required"`
	// ProductIDs and CategoryIDs are the lines it applies to ([]: every line).
	ProductIDs  []string   `json:"product_ids" binding:"required"`
	CategoryIDs []string   `json:"category_ids" binding:"required"`
	EndsAt      *time.Time `json:"ends_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-03-02T10:00:00Z"`
	// Active is false once staff deactivated the code.
	Active bool `json:"active" binding:"required" example:"true"`
	// Used tells whether an order used the code, which order and when.
	Used      bool       `json:"used" binding:"required" example:"false"`
	UsedAt    *time.Time `json:"used_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-02-10T18:30:00Z"`
	OrderID   *string    `json:"order_id" binding:"required" extensions:"x-nullable" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	Source    string     `json:"source" binding:"required" enums:"automation,staff" example:"automation"`
	CreatedAt time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name CustomerDiscount

// issueSource says who issues a code and its dedupe key.
type issueSource struct {
	source, automationID, runID, staffID, dedupe string
}

// codeAlphabet has no 0/O, 1/I/L or U: codes are read off e-mails and typed.
const codeAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789"

// newCode makes THANKS-XXXX-XXXX: 8 characters from 30, about 39 random
// bits. Guessing one gains nothing: a code only works for its customer.
func newCode() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic("automations: " + err.Error()) // the system random source failed
	}
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return "THANKS-" + string(b[:4]) + "-" + string(b[4:])
}

// issue creates a single-use code for customer c (unless src.dedupe already
// made one: that one is returned), records it and the discount.issued event
// (which the e-mail domain turns into the discount_issued message), all in
// ctx's transaction.
func (s *Service) issue(ctx context.Context, c Customer, locale string, d DiscountInput, src issueSource) (issuedRow, checkout.Promotion, error) {
	if s.promotions == nil {
		return issuedRow{}, checkout.Promotion{}, failuref("discount codes are not available")
	}
	conn := s.db.Conn(ctx)
	var prev issuedRow
	err := conn.Where("dedupe_key = ?", src.dedupe).Take(&prev).Error
	if err == nil {
		ps, err := s.promotions.PromotionsByID(ctx, []string{prev.PromotionID})
		return prev, ps[prev.PromotionID], err
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return issuedRow{}, checkout.Promotion{}, fmt.Errorf("read issued discount: %w", err)
	}
	one := int64(1)
	ends := s.clock().AddDate(0, 0, int(*d.ExpiresInDays))
	in := checkout.PromotionInput{Type: checkout.PromotionPercentage, EndsAt: &ends, UsageLimit: &one,
		PerCustomerLimit: &one, ProductIDs: d.ProductIDs, CategoryIDs: d.CategoryIDs}
	if d.Percentage != nil {
		in.Percentage = *d.Percentage
	} else {
		in.Type, in.Amounts = checkout.PromotionFixed, []money.Amount{*d.Amount}
	}
	var p checkout.Promotion
	for range 5 { // a clash of random codes is rare; five in a row is not a clash
		in.Code = newCode()
		p, err = s.promotions.CreateCustomerPromotion(ctx, c.ID, in)
		if !errors.Is(err, checkout.ErrCodeTaken) {
			break
		}
	}
	if err != nil {
		return issuedRow{}, checkout.Promotion{}, err
	}
	row := issuedRow{ID: id.New("idisc"), CustomerID: c.ID, PromotionID: p.ID, Code: p.Code, Source: src.source,
		AutomationID: nonEmpty(src.automationID), RunID: nonEmpty(src.runID), StaffID: nonEmpty(src.staffID),
		DedupeKey: src.dedupe, CreatedAt: s.clock()}
	if err := conn.Create(&row).Error; err != nil {
		return issuedRow{}, checkout.Promotion{}, fmt.Errorf("insert issued discount: %w", err)
	}
	ev := IssuedEvent{Promotion: p, CustomerID: c.ID, Email: c.Email, Locale: locale, Source: src.source,
		AutomationID: src.automationID}
	if err := events.RecordAs(ctx, s.db, "discount.issued", "promotion", p.ID, ev); err != nil {
		return issuedRow{}, checkout.Promotion{}, err
	}
	return row, p, nil
}

// IssuedEvent is the payload of discount.issued.
type IssuedEvent struct {
	Promotion  checkout.Promotion `json:"promotion"`
	CustomerID string             `json:"customer_id"`
	Email      string             `json:"email"`
	Locale     string             `json:"locale"`
	Source     string             `json:"source"`
	// AutomationID is the rule that issued it (source automation).
	AutomationID string `json:"automation_id,omitempty"`
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// IssueDiscount issues a code to a customer on a staff member's behalf
// (managers and admins): the same code an issue_discount action makes, and
// the same discount.issued event. An unknown or archived customer is 404.
func (s *Service) IssueDiscount(ctx context.Context, actor auth.Actor, customerID string, in DiscountInput) (CustomerDiscount, error) {
	if err := canManage(actor); err != nil {
		return CustomerDiscount{}, err
	}
	c := &checks{}
	checkDiscount(c, "", in)
	if err := c.err(); err != nil {
		return CustomerDiscount{}, err
	}
	var out CustomerDiscount
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if s.customers == nil {
			return failuref("customer accounts are not available")
		}
		cu, err := s.customers.Customer(ctx, customerID)
		if err != nil {
			return err
		}
		locale := cu.Locale
		if locale == "" {
			locale = "en"
		}
		row, p, err := s.issue(ctx, cu, locale, in,
			issueSource{source: SourceStaff, staffID: actor.ID, dedupe: "staff:" + id.New("idisc")})
		if err != nil {
			return err
		}
		out = view(row, p, nil)
		return nil
	})
	return out, err
}

// CustomerDiscounts lists the codes issued to the customer, newest first
// (the customer's own route: customerID comes from their token).
func (s *Service) CustomerDiscounts(ctx context.Context, customerID string, pr page.Request) (page.List[CustomerDiscount], error) {
	q := s.db.Conn(ctx).Where("customer_id = ?", customerID).Order("id DESC").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []issuedRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[CustomerDiscount]{}, fmt.Errorf("list issued discounts: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.PromotionID
	}
	var promos map[string]checkout.Promotion
	var uses map[string]checkout.PromotionUse
	if s.promotions != nil && len(ids) > 0 {
		var err error
		if promos, err = s.promotions.PromotionsByID(ctx, ids); err != nil {
			return page.List[CustomerDiscount]{}, err
		}
		if uses, err = s.promotions.FirstUses(ctx, ids); err != nil {
			return page.List[CustomerDiscount]{}, err
		}
	}
	out := make([]CustomerDiscount, len(rows))
	for i, r := range rows {
		var u *checkout.PromotionUse
		if x, ok := uses[r.PromotionID]; ok {
			u = &x
		}
		out[i] = view(r, promos[r.PromotionID], u)
	}
	return page.Build(out, pr.Limit, func(d CustomerDiscount) page.Cursor { return page.Cursor{ID: d.ID} }), nil
}

// AdminCustomerDiscounts is CustomerDiscounts for staff (managers, support
// and admins); an unknown or archived customer is 404.
func (s *Service) AdminCustomerDiscounts(ctx context.Context, actor auth.Actor, customerID string, pr page.Request) (page.List[CustomerDiscount], error) {
	if err := canRead(actor); err != nil {
		return page.List[CustomerDiscount]{}, err
	}
	if s.customers != nil {
		if _, err := s.customers.Customer(ctx, customerID); err != nil {
			return page.List[CustomerDiscount]{}, err
		}
	}
	return s.CustomerDiscounts(ctx, customerID, pr)
}

// view is an issued code as the API shows it, with its promotion's state
// and its use.
func view(r issuedRow, p checkout.Promotion, u *checkout.PromotionUse) CustomerDiscount {
	d := CustomerDiscount{ID: r.ID, PromotionID: r.PromotionID, Code: r.Code, Type: p.Type, Percentage: p.Percentage,
		Amounts: orEmpty(p.Amounts), ProductIDs: orEmpty(p.ProductIDs), CategoryIDs: orEmpty(p.CategoryIDs),
		EndsAt: p.EndsAt, Active: p.Active, Source: r.Source, CreatedAt: r.CreatedAt.UTC()}
	if u != nil {
		t, order := u.UsedAt, u.OrderID
		d.Used, d.UsedAt, d.OrderID = true, &t, &order
	}
	return d
}
