package inventory

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// Supplier is a company we buy stock from.
type Supplier struct {
	ID          string `json:"id" binding:"required" example:"sup_06h1wbq28dxanf5st2bqp8yfxm"`
	Name        string `json:"name" binding:"required" example:"Lumière Labs"`
	Email       string `json:"email" binding:"required" example:"orders@lumiere-labs.test"`
	Phone       string `json:"phone" binding:"required" example:"+33 1 23 45 67 89"`
	ContactName string `json:"contact_name" binding:"required" example:"Inès Martin"`
	// LeadTimeDays is how long an order takes to arrive.
	LeadTimeDays int `json:"lead_time_days" binding:"required" example:"10"`
	// Currency is what the supplier invoices in; its items' costs and its
	// purchase orders use it.
	Currency  string    `json:"currency" binding:"required" example:"EUR"`
	Active    bool      `json:"active" binding:"required" example:"true"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Supplier

// TableName maps Supplier to its table.
func (Supplier) TableName() string { return "suppliers" }

// SupplierInput creates a supplier.
type SupplierInput struct {
	Name         string `json:"name" binding:"required" maxLength:"200" example:"Lumière Labs"`
	Email        string `json:"email,omitempty" maxLength:"254" example:"orders@lumiere-labs.test"`
	Phone        string `json:"phone,omitempty" maxLength:"50" example:"+33 1 23 45 67 89"`
	ContactName  string `json:"contact_name,omitempty" maxLength:"200" example:"Inès Martin"`
	LeadTimeDays int    `json:"lead_time_days,omitempty" minimum:"0" maximum:"365" example:"10"`
	Currency     string `json:"currency" binding:"required" minLength:"3" maxLength:"3" example:"EUR"`
	// Active defaults to true.
	Active *bool `json:"active,omitempty" example:"true"`
} // @name SupplierInput

// SupplierPatch changes some fields of a supplier; absent fields are unchanged.
// The currency cannot change: existing costs and orders are in it.
type SupplierPatch struct {
	Name         *string `json:"name,omitempty" maxLength:"200" example:"Lumière Labs"`
	Email        *string `json:"email,omitempty" maxLength:"254" example:"orders@lumiere-labs.test"`
	Phone        *string `json:"phone,omitempty" maxLength:"50" example:"+33 1 23 45 67 89"`
	ContactName  *string `json:"contact_name,omitempty" maxLength:"200" example:"Inès Martin"`
	LeadTimeDays *int    `json:"lead_time_days,omitempty" minimum:"0" maximum:"365" example:"10"`
	Active       *bool   `json:"active,omitempty" example:"false"`
} // @name SupplierPatch

// CreateSupplier validates in and creates the supplier.
func (s *Service) CreateSupplier(ctx context.Context, actor auth.Actor, in SupplierInput) (Supplier, error) {
	if err := canBuy(actor); err != nil {
		return Supplier{}, err
	}
	now := s.now()
	sup := Supplier{ID: id.New("sup"), Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email),
		Phone: strings.TrimSpace(in.Phone), ContactName: strings.TrimSpace(in.ContactName),
		LeadTimeDays: in.LeadTimeDays, Currency: in.Currency, Active: in.Active == nil || *in.Active,
		CreatedAt: now, UpdatedAt: now}
	c := &fieldChecks{}
	checkSupplier(c, sup)
	if !money.ValidCurrency(in.Currency) {
		c.add("currency", "must be an ISO 4217 currency code such as EUR")
	}
	if err := c.err(); err != nil {
		return Supplier{}, err
	}
	if err := s.db.Conn(ctx).Create(&sup).Error; err != nil {
		return Supplier{}, fmt.Errorf("insert supplier: %w", err)
	}
	return sup, nil
}

// UpdateSupplier changes some fields of a supplier.
func (s *Service) UpdateSupplier(ctx context.Context, actor auth.Actor, supplierID string, p SupplierPatch) (Supplier, error) {
	if err := canBuy(actor); err != nil {
		return Supplier{}, err
	}
	var out Supplier
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		sup, err := s.supplier(ctx, supplierID)
		if err != nil {
			return err
		}
		setIf(&sup.Name, p.Name, strings.TrimSpace)
		setIf(&sup.Email, p.Email, strings.TrimSpace)
		setIf(&sup.Phone, p.Phone, strings.TrimSpace)
		setIf(&sup.ContactName, p.ContactName, strings.TrimSpace)
		if p.LeadTimeDays != nil {
			sup.LeadTimeDays = *p.LeadTimeDays
		}
		if p.Active != nil {
			sup.Active = *p.Active
		}
		c := &fieldChecks{}
		checkSupplier(c, sup)
		if err := c.err(); err != nil {
			return err
		}
		sup.UpdatedAt = s.now()
		err = s.db.Conn(ctx).Model(&Supplier{ID: sup.ID}).
			Select("name", "email", "phone", "contact_name", "lead_time_days", "active", "updated_at").
			Updates(&sup).Error
		if err != nil {
			return fmt.Errorf("update supplier: %w", err)
		}
		out = sup
		return nil
	})
	return out, err
}

// Supplier returns one supplier.
func (s *Service) Supplier(ctx context.Context, actor auth.Actor, supplierID string) (Supplier, error) {
	if err := canReadPurchasing(actor); err != nil {
		return Supplier{}, err
	}
	return s.supplier(ctx, supplierID)
}

// ListSuppliers lists suppliers oldest first.
func (s *Service) ListSuppliers(ctx context.Context, actor auth.Actor, pr page.Request) (page.List[Supplier], error) {
	if err := canReadPurchasing(actor); err != nil {
		return page.List[Supplier]{}, err
	}
	var rows []Supplier
	q := s.db.Conn(ctx).Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Supplier]{}, fmt.Errorf("list suppliers: %w", err)
	}
	for i := range rows {
		rows[i].normalise()
	}
	return page.Build(rows, pr.Limit, func(r Supplier) page.Cursor { return page.Cursor{ID: r.ID} }), nil
}

// supplier reads one supplier; malformed and unknown ids are not found.
func (s *Service) supplier(ctx context.Context, supplierID string) (Supplier, error) {
	if !id.Valid("sup", supplierID) {
		return Supplier{}, ErrSupplierNotFound
	}
	var sup Supplier
	err := s.db.Conn(ctx).Where("id = ?", supplierID).Take(&sup).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Supplier{}, ErrSupplierNotFound
	}
	if err != nil {
		return Supplier{}, fmt.Errorf("read supplier: %w", err)
	}
	sup.normalise()
	return sup, nil
}

// normalise puts times in UTC (SQLite hands them back in the local zone).
func (sup *Supplier) normalise() {
	sup.CreatedAt, sup.UpdatedAt = sup.CreatedAt.UTC(), sup.UpdatedAt.UTC()
}

func checkSupplier(c *fieldChecks, sup Supplier) {
	c.text("name", sup.Name, MaxSupplierNameLen, true)
	c.text("contact_name", sup.ContactName, MaxContactLen, false)
	c.text("phone", sup.Phone, MaxPhoneLen, false)
	c.text("email", sup.Email, MaxEmailLen, false)
	if sup.Email != "" {
		if a, err := mail.ParseAddress(sup.Email); err != nil || a.Address != sup.Email {
			c.add("email", "must be an e-mail address")
		}
	}
	c.between("lead_time_days", int64(sup.LeadTimeDays), 0, MaxLeadTimeDays)
}

// setIf sets *dst to clean(*v) when v is given.
func setIf(dst *string, v *string, clean func(string) string) {
	if v != nil {
		*dst = clean(*v)
	}
}
