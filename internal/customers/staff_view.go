package customers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// MaxQueryLen is the longest staff search text.
const MaxQueryLen = 200

// ListQuery filters the staff list of customers.
type ListQuery struct {
	// Q matches e-mail, first or last name, case-insensitively; every
	// space-separated word must match.
	Q string
	// GroupID keeps members of one group.
	GroupID string
}

// OrderSummary is the order figures of a customer in the staff view.
type OrderSummary struct {
	OrderCount int64 `json:"order_count" binding:"required" example:"3"`
	// LifetimeSpend is one total per currency the customer ordered in.
	LifetimeSpend []money.Amount `json:"lifetime_spend" binding:"required"`
	LastOrderAt   *time.Time     `json:"last_order_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-03-01T09:30:00Z"`
} // @name CustomerOrderSummary

// Detail is the staff view of one customer: the account, its address book,
// its groups and its orders in figures.
type Detail struct {
	ID               string     `json:"id" binding:"required" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	Email            string     `json:"email" binding:"required" example:"ada@example.com"`
	FirstName        string     `json:"first_name" binding:"required" example:"Ada"`
	LastName         string     `json:"last_name" binding:"required" example:"Lovelace"`
	Phone            string     `json:"phone" binding:"required" example:"+44 20 7946 0958"`
	AcceptsMarketing bool       `json:"accepts_marketing" binding:"required" example:"false"`
	Locale           string     `json:"locale" binding:"required" enums:"en,fr" example:"en"`
	ArchivedAt       *time.Time `json:"archived_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-03-01T09:30:00Z"`
	CreatedAt        time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt        time.Time  `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	Addresses        []Address  `json:"addresses" binding:"required"`
	// Groups are the manual groups the customer is in.
	Groups []Group `json:"groups" binding:"required"`
	// Segments are the rule-based groups the customer is in now.
	Segments []Group      `json:"segments" binding:"required"`
	Orders   OrderSummary `json:"orders" binding:"required"`
	// LifetimeValue is the total of the customer's orders that were not
	// canceled, one amount per currency.
	LifetimeValue []money.Amount `json:"lifetime_value" binding:"required"`
	// Loyalty is the customer's points balance and VIP tier.
	Loyalty LoyaltyStanding `json:"loyalty" binding:"required"`
} // @name CustomerDetail

// AdminPatch is what staff may change on an account; nil fields are
// unchanged. GroupIDs, when given, replaces the customer's memberships.
// E-mail and marketing consent stay the customer's.
type AdminPatch struct {
	FirstName *string  `json:"first_name,omitempty" minLength:"1" maxLength:"100" example:"Ada"`
	LastName  *string  `json:"last_name,omitempty" minLength:"1" maxLength:"100" example:"Lovelace"`
	Phone     *string  `json:"phone,omitempty" maxLength:"40" example:"+44 20 7946 0958"`
	GroupIDs  []string `json:"group_ids,omitempty" maxItems:"100" example:"cgrp_06h1wbq28dxanf5st2bqp8yfxm"`
	// Locale is the language e-mails to the customer are written in.
	Locale *string `json:"locale,omitempty" enums:"en,fr" example:"fr"`
} // @name CustomerAdminPatch

// List lists customers newest first (ids are time-ordered), archived ones
// included, filtered by q and group.
func (s *Service) List(ctx context.Context, actor auth.Actor, lq ListQuery, pr page.Request) (page.List[Profile], error) {
	if err := canRead(actor); err != nil {
		return page.List[Profile]{}, err
	}
	q := s.db.Conn(ctx).Model(&Customer{}).Order("id DESC").Limit(pr.Limit + 1)
	if utf8.RuneCountInString(lq.Q) > MaxQueryLen {
		return page.List[Profile]{}, errs.Invalidf("q", "must be at most %d characters", MaxQueryLen)
	}
	for _, w := range strings.Fields(strings.ToLower(lq.Q)) {
		q = q.Where(`search_text LIKE ? ESCAPE '\'`, "%"+escapeLike(w)+"%")
	}
	if lq.GroupID != "" {
		if !id.Valid("cgrp", lq.GroupID) {
			return page.List[Profile]{}, errs.Invalidf("group_id", "must be a customer group id")
		}
		q = q.Where("id IN (?)", s.db.Conn(ctx).Model(&member{}).Select("customer_id").Where("group_id = ?", lq.GroupID))
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []Customer
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Profile]{}, fmt.Errorf("list customers: %w", err)
	}
	out := make([]Profile, len(rows))
	for i, c := range rows {
		out[i] = c.Profile()
	}
	return page.Build(out, pr.Limit, func(p Profile) page.Cursor { return page.Cursor{ID: p.ID} }), nil
}

// Detail returns the staff view of one customer, archived or not.
func (s *Service) Detail(ctx context.Context, actor auth.Actor, customerID string) (Detail, error) {
	if err := canRead(actor); err != nil {
		return Detail{}, err
	}
	c, err := s.anyCustomer(ctx, customerID)
	if err != nil {
		return Detail{}, err
	}
	addrs, err := s.Addresses(ctx, c.ID, page.Request{Limit: MaxAddresses})
	if err != nil {
		return Detail{}, err
	}
	groups, err := s.customerGroups(ctx, c.ID)
	if err != nil {
		return Detail{}, err
	}
	st, err := s.orderStats(ctx, c.ID)
	if err != nil {
		return Detail{}, fmt.Errorf("order stats: %w", err)
	}
	d := c.detail(addrs.Data, groups, st)
	if d.Loyalty, err = s.loyaltyStanding(ctx, c.ID); err != nil {
		return Detail{}, fmt.Errorf("loyalty standing: %w", err)
	}
	return d, nil
}

// detail is the staff view of c with its address book, groups and order
// figures.
func (c Customer) detail(addrs []Address, all []Group, st OrderStats) Detail {
	p := c.Profile()
	groups, segments := []Group{}, []Group{}
	for _, g := range all {
		if g.RuleBased() {
			segments = append(segments, g)
		} else {
			groups = append(groups, g)
		}
	}
	return Detail{ID: p.ID, Email: p.Email, FirstName: p.FirstName, LastName: p.LastName, Phone: p.Phone,
		AcceptsMarketing: p.AcceptsMarketing, Locale: p.Locale, ArchivedAt: p.ArchivedAt, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		Addresses: addrs, Groups: groups, Segments: segments, LifetimeValue: st.LifetimeSpend,
		Orders: OrderSummary{OrderCount: st.OrderCount, LifetimeSpend: st.LifetimeSpend, LastOrderAt: utcPtr(st.LastOrderAt)}}
}

// AdminUpdate applies a staff patch to a customer (archived ones too) and
// returns the new staff view.
func (s *Service) AdminUpdate(ctx context.Context, actor auth.Actor, customerID string, p AdminPatch) (Detail, error) {
	if err := canManage(actor); err != nil {
		return Detail{}, err
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		c, err := s.anyCustomer(ctx, customerID)
		if err != nil {
			return err
		}
		setTrimmed(&c.FirstName, p.FirstName)
		setTrimmed(&c.LastName, p.LastName)
		setTrimmed(&c.Phone, p.Phone)
		if err := checkNames(c.FirstName, c.LastName, c.Phone); err != nil {
			return err
		}
		if err := setLocale(&c.Locale, p.Locale); err != nil {
			return err
		}
		if p.GroupIDs != nil {
			if err := s.setGroups(ctx, c.ID, p.GroupIDs); err != nil {
				return err
			}
		}
		c.setSearchText()
		c.UpdatedAt = s.clock()
		err = s.db.Conn(ctx).Model(&Customer{ID: c.ID}).Select("first_name", "last_name", "phone", "locale",
			"search_text", "updated_at").UpdateColumns(&c).Error
		if err != nil {
			return fmt.Errorf("update customer: %w", err)
		}
		return nil
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Detail(ctx, actor, customerID)
}

// Archive soft-deletes a customer: the account stays (orders refer to it)
// but can no longer sign in or refresh, and its refresh tokens are revoked.
// Archiving an archived customer changes nothing.
func (s *Service) Archive(ctx context.Context, actor auth.Actor, customerID string) error {
	if err := canManage(actor); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		c, err := s.anyCustomer(ctx, customerID)
		if err != nil || c.ArchivedAt != nil {
			return err
		}
		now := s.clock()
		err = s.db.Conn(ctx).Model(&Customer{ID: c.ID}).
			Updates(map[string]any{"archived_at": now, "updated_at": now}).Error
		if err != nil {
			return fmt.Errorf("archive customer: %w", err)
		}
		if err := s.queueCustomerRecompute(ctx, c.ID); err != nil { // leaves its segments
			return err
		}
		if s.sessions == nil {
			return nil
		}
		return s.sessions.RevokeSubject(ctx, auth.Customer, c.ID)
	})
}

// setGroups replaces a customer's manual memberships with groupIDs
// (duplicates ignored); an unknown or rule-based group is a 422 naming its
// index. Segment memberships are the rules' and stay.
func (s *Service) setGroups(ctx context.Context, customerID string, groupIDs []string) error {
	if len(groupIDs) > 100 {
		return errs.Invalidf("group_ids", "must have at most 100 entries")
	}
	var fe []errs.FieldError
	want := map[string]bool{}
	for i, g := range groupIDs {
		if _, err := s.manualGroup(ctx, g); errors.Is(err, ErrGroupNotFound) {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("group_ids[%d]", i), Message: "is not a customer group"})
		} else if errors.Is(err, ErrRuleBasedGroup) {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("group_ids[%d]", i),
				Message: "is a rule-based group; its rules decide its members"})
		} else if err != nil {
			return err
		}
		want[g] = true
	}
	if len(fe) > 0 {
		return errs.ErrValidation.WithFields(fe...)
	}
	q := s.db.Conn(ctx).Where("customer_id = ?", customerID).
		Where("group_id IN (?)", s.db.Conn(ctx).Model(&Group{}).Select("id").Where("rules IS NULL"))
	if len(want) > 0 {
		q = q.Where("group_id NOT IN ?", keys(want))
	}
	if err := q.Delete(&member{}).Error; err != nil {
		return fmt.Errorf("delete memberships: %w", err)
	}
	for g := range want {
		if err := s.addMember(ctx, g, customerID); err != nil {
			return err
		}
	}
	return nil
}

// anyCustomer reads a customer by id, archived or not.
func (s *Service) anyCustomer(ctx context.Context, customerID string) (Customer, error) {
	if !id.Valid("cus", customerID) {
		return Customer{}, ErrNotFound
	}
	var c Customer
	err := s.db.Conn(ctx).Where("id = ?", customerID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Customer{}, ErrNotFound
	}
	if err != nil {
		return Customer{}, fmt.Errorf("read customer: %w", err)
	}
	c.normalise()
	return c, nil
}

// escapeLike escapes LIKE wildcards so a search for "50%" or "a_b" matches
// those characters literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
