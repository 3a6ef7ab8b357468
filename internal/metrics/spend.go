package metrics

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// Spend is what was spent on a marketing channel over a period of whole
// days, both ends included. The acquisition cost pro-rates it by days.
type Spend struct {
	ID string `json:"id" binding:"required" example:"spend_06h1wbq28dxanf5st2bqp8yfxm"`
	// Channel is the UTM source the spend buys traffic from, as customers'
	// acquisition_channel records it.
	Channel     string       `json:"channel" binding:"required" example:"instagram"`
	PeriodStart Date         `json:"period_start" binding:"required" swaggertype:"string" format:"date" example:"2025-01-01"`
	PeriodEnd   Date         `json:"period_end" binding:"required" swaggertype:"string" format:"date" example:"2025-01-31"`
	Amount      money.Amount `json:"amount" binding:"required"`
	CreatedAt   time.Time    `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt   time.Time    `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name MarketingSpend

// SpendInput records spend.
type SpendInput struct {
	Channel     string       `json:"channel" binding:"required" maxLength:"100" example:"instagram"`
	PeriodStart string       `json:"period_start" binding:"required" format:"date" example:"2025-01-01"`
	PeriodEnd   string       `json:"period_end" binding:"required" format:"date" example:"2025-01-31"`
	Amount      money.Amount `json:"amount" binding:"required"`
} // @name MarketingSpendInput

// SpendPatch changes some fields of a spend record; absent fields are
// unchanged.
type SpendPatch struct {
	Channel     *string       `json:"channel,omitempty" maxLength:"100" example:"instagram"`
	PeriodStart *string       `json:"period_start,omitempty" format:"date" example:"2025-01-01"`
	PeriodEnd   *string       `json:"period_end,omitempty" format:"date" example:"2025-01-31"`
	Amount      *money.Amount `json:"amount,omitempty"`
} // @name MarketingSpendPatch

// spendRow is a row of marketing_spend.
type spendRow struct {
	ID          string
	Channel     string
	PeriodStart Date
	PeriodEnd   Date
	Amount      int64
	Currency    string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (spendRow) TableName() string { return "marketing_spend" }

func (r spendRow) spend() Spend {
	return Spend{ID: r.ID, Channel: r.Channel, PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd,
		Amount: money.Amount{Minor: r.Amount, Currency: r.Currency}, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

const maxChannelLen = 100

// canManage is the rule for marketing and experiments: managers and admins.
func canManage(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return errs.ErrForbidden
	}
	return nil
}

// CreateSpend validates in and records it.
func (s *Tracker) CreateSpend(ctx context.Context, actor auth.Actor, in SpendInput) (Spend, error) {
	if err := canManage(actor); err != nil {
		return Spend{}, err
	}
	now := s.now()
	r := spendRow{ID: id.New("spend"), Channel: strings.TrimSpace(in.Channel), Amount: in.Amount.Minor,
		Currency: in.Amount.Currency, CreatedAt: now, UpdatedAt: now}
	var fe []errs.FieldError
	r.PeriodStart, fe = parseDate(fe, "period_start", in.PeriodStart)
	r.PeriodEnd, fe = parseDate(fe, "period_end", in.PeriodEnd)
	if err := checkSpend(fe, r); err != nil {
		return Spend{}, err
	}
	if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
		return Spend{}, fmt.Errorf("insert spend: %w", err)
	}
	return r.spend(), nil
}

// UpdateSpend changes some fields of a spend record.
func (s *Tracker) UpdateSpend(ctx context.Context, actor auth.Actor, spendID string, p SpendPatch) (Spend, error) {
	if err := canManage(actor); err != nil {
		return Spend{}, err
	}
	var out Spend
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.spend(ctx, spendID)
		if err != nil {
			return err
		}
		var fe []errs.FieldError
		if p.Channel != nil {
			r.Channel = strings.TrimSpace(*p.Channel)
		}
		if p.PeriodStart != nil {
			r.PeriodStart, fe = parseDate(fe, "period_start", *p.PeriodStart)
		}
		if p.PeriodEnd != nil {
			r.PeriodEnd, fe = parseDate(fe, "period_end", *p.PeriodEnd)
		}
		if p.Amount != nil {
			r.Amount, r.Currency = p.Amount.Minor, p.Amount.Currency
		}
		if err := checkSpend(fe, r); err != nil {
			return err
		}
		r.UpdatedAt = s.now()
		if err := s.db.Conn(ctx).Model(&spendRow{ID: r.ID}).
			Select("channel", "period_start", "period_end", "amount", "currency", "updated_at").Updates(&r).Error; err != nil {
			return fmt.Errorf("update spend: %w", err)
		}
		out = r.spend()
		return nil
	})
	return out, err
}

// DeleteSpend removes a spend record.
func (s *Tracker) DeleteSpend(ctx context.Context, actor auth.Actor, spendID string) error {
	if err := canManage(actor); err != nil {
		return err
	}
	return db.DeleteByID[spendRow](ctx, s.db, spendID, errs.ErrNotFound)
}

// GetSpend reads one spend record.
func (s *Tracker) GetSpend(ctx context.Context, actor auth.Actor, spendID string) (Spend, error) {
	if err := canManage(actor); err != nil {
		return Spend{}, err
	}
	r, err := s.spend(ctx, spendID)
	return r.spend(), err
}

// ListSpend lists spend records in the order they were recorded,
// optionally of one channel.
func (s *Tracker) ListSpend(ctx context.Context, actor auth.Actor, channel string, pr page.Request) (page.List[Spend], error) {
	if err := canManage(actor); err != nil {
		return page.List[Spend]{}, err
	}
	q := s.db.Conn(ctx).Model(&spendRow{}).Order("id").Limit(pr.Limit + 1)
	if channel != "" {
		q = q.Where("channel = ?", channel)
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	var rows []spendRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Spend]{}, fmt.Errorf("list spend: %w", err)
	}
	out := make([]Spend, len(rows))
	for i, r := range rows {
		out[i] = r.spend()
	}
	return page.Build(out, pr.Limit, func(sp Spend) page.Cursor { return page.Cursor{ID: sp.ID} }), nil
}

func (s *Tracker) spend(ctx context.Context, spendID string) (spendRow, error) {
	return db.TakeByID[spendRow](ctx, s.db, spendID, errs.ErrNotFound)
}

// checkSpend adds the record's rules to fe (date parse errors so far).
func checkSpend(fe []errs.FieldError, r spendRow) error {
	add := func(field, msg string) { fe = append(fe, errs.FieldError{Field: field, Message: msg}) }
	switch {
	case r.Channel == "":
		add("channel", "is required")
	case utf8.RuneCountInString(r.Channel) > maxChannelLen:
		add("channel", fmt.Sprintf("must be at most %d characters", maxChannelLen))
	}
	if !r.PeriodStart.IsZero() && !r.PeriodEnd.IsZero() && r.PeriodEnd.Before(r.PeriodStart.Time) {
		add("period_end", "must be on or after period_start")
	}
	if r.Amount < 0 {
		add("amount.amount", "must be 0 or more")
	}
	if !money.ValidCurrency(r.Currency) {
		add("amount.currency", "must be an ISO 4217 currency code such as EUR")
	}
	if len(fe) > 0 {
		return errs.ErrValidation.WithFields(fe...)
	}
	return nil
}
