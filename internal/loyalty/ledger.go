package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/id"
)

// Ledger entry kinds.
const (
	KindEarn    = "earn"
	KindRedeem  = "redeem"
	KindExpire  = "expire"
	KindReverse = "reverse"
	KindAdjust  = "adjust"
)

// EventTierChanged is recorded when a customer moves to another tier.
const EventTierChanged = "loyalty.tier_changed"

// Errors of loyalty.
var (
	ErrInsufficientPoints = errs.New(errs.Unprocessable, "insufficient_points", "the customer does not have that many points")
	ErrUnavailable        = errs.New(errs.Unprocessable, "loyalty_unavailable", "the loyalty programme is not active")
)

// Entry is one ledger row.
type Entry struct {
	ID   string `json:"id" binding:"required" example:"lpt_06h1wbq28dxanf5st2bqp8yfxm"`
	Kind string `json:"kind" binding:"required" enums:"earn,redeem,expire,reverse,adjust" example:"earn"`
	// Points: positive credits, negative debits.
	Points    int64      `json:"points" binding:"required" example:"42"`
	OrderID   *string    `json:"order_id" binding:"required" extensions:"x-nullable" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	Reason    string     `json:"reason" binding:"required" example:"order fulfilled"`
	ExpiresAt *time.Time `json:"expires_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2026-01-31T12:00:00Z"`
	CreatedAt time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name LoyaltyEntry

type ledgerRow struct {
	ID         string
	CustomerID string
	Kind       string
	Points     int64
	OrderID    *string
	Currency   string
	Basis      int64
	OrderTotal int64
	Reason     string
	DedupeKey  *string
	ExpiresAt  *time.Time
	CreatedAt  time.Time
}

func (ledgerRow) TableName() string { return "loyalty_ledger" }

func (r ledgerRow) entry() Entry {
	return Entry{ID: r.ID, Kind: r.Kind, Points: r.Points, OrderID: r.OrderID, Reason: r.Reason,
		ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt}
}

type accountRow struct {
	CustomerID string
	Balance    int64
	Tier       string
	UpdatedAt  time.Time
}

func (accountRow) TableName() string { return "loyalty_accounts" }

// post appends r to the ledger and moves the balance by r.Points, in one
// transaction. A debit that would take the balance below zero is
// ErrInsufficientPoints (the guarded UPDATE is what serialises two
// spenders: on PostgreSQL the second waits on the row lock, then sees the
// new balance). A row whose dedupe key is already in the ledger is not
// posted again: done reports false.
func (s *Service) post(ctx context.Context, r ledgerRow) (done bool, err error) {
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		if r.DedupeKey != nil {
			var n int64
			if err := conn.Model(&ledgerRow{}).Where("dedupe_key = ?", *r.DedupeKey).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
		}
		now := s.now()
		if err := s.ensureAccount(ctx, r.CustomerID); err != nil {
			return err
		}
		upd := conn.Model(&accountRow{}).Where("customer_id = ? AND balance + ? >= 0", r.CustomerID, r.Points).
			Updates(map[string]any{"balance": gorm.Expr("balance + ?", r.Points), "updated_at": now})
		if upd.Error != nil {
			return fmt.Errorf("move loyalty balance: %w", upd.Error)
		}
		if upd.RowsAffected == 0 {
			return ErrInsufficientPoints
		}
		r.ID, r.CreatedAt = id.New("lpt"), now
		if err := conn.Create(&r).Error; err != nil {
			return fmt.Errorf("append loyalty ledger: %w", err)
		}
		done = true
		return nil
	})
	return done, err
}

func (s *Service) ensureAccount(ctx context.Context, customerID string) error {
	var n int64
	conn := s.db.Conn(ctx)
	if err := conn.Model(&accountRow{}).Where("customer_id = ?", customerID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	err := conn.Exec(`INSERT INTO loyalty_accounts (customer_id, balance, tier, updated_at) VALUES (?, 0, '', ?)
		ON CONFLICT (customer_id) DO NOTHING`, customerID, s.now()).Error
	if err != nil {
		return fmt.Errorf("open loyalty account: %w", err)
	}
	return nil
}

// Balance is a customer's points and tier key ("" for none).
func (s *Service) Balance(ctx context.Context, customerID string) (points int64, tier string, err error) {
	var r accountRow
	err = s.db.Conn(ctx).Where("customer_id = ?", customerID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, "", nil
	}
	return r.Balance, r.Tier, err
}

// History is a customer's ledger, newest first (at most limit rows).
func (s *Service) History(ctx context.Context, customerID string, limit int) ([]Entry, error) {
	var rows []ledgerRow
	if err := s.db.Conn(ctx).Where("customer_id = ?", customerID).Order("id DESC").Limit(limit).
		Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read loyalty ledger: %w", err)
	}
	out := make([]Entry, len(rows))
	for i, r := range rows {
		out[i] = r.entry()
	}
	return out, nil
}

// Spend debits points redeemed by the order (checkout, in its
// transaction): ErrInsufficientPoints when the balance is short, so of two
// checkouts racing for the same points only one can commit; a checkout
// that fails later rolls the debit back with everything else.
func (s *Service) Spend(ctx context.Context, customerID, orderID string, points int64) error {
	if points <= 0 {
		return nil
	}
	key := "redeem:" + orderID
	_, err := s.post(ctx, ledgerRow{CustomerID: customerID, Kind: KindRedeem, Points: -points, OrderID: &orderID,
		Reason: "redeemed at checkout", DedupeKey: &key})
	return err
}

// AdjustInput is a staff adjustment.
type AdjustInput struct {
	// Points to credit (positive) or debit (negative); never 0.
	Points int64  `json:"points" binding:"required" example:"100"`
	Reason string `json:"reason" binding:"required" maxLength:"500" example:"goodwill after a late delivery"`
} // @name LoyaltyAdjustmentInput

// Adjust credits or debits a customer by staff decision. A credit expires
// like earned points; a debit cannot take the balance below zero.
func (s *Service) Adjust(ctx context.Context, customerID string, in AdjustInput) (Entry, error) {
	var fe []errs.FieldError
	if in.Points == 0 || in.Points > 1_000_000_000 || in.Points < -1_000_000_000 {
		fe = append(fe, errs.FieldError{Field: "points", Message: "must be a non-zero whole number of points"})
	}
	if in.Reason == "" || len(in.Reason) > 500 {
		fe = append(fe, errs.FieldError{Field: "reason", Message: "is required (at most 500 characters)"})
	}
	if len(fe) > 0 {
		return Entry{}, errs.ErrValidation.WithFields(fe...)
	}
	p, err := s.Program(ctx)
	if err != nil {
		return Entry{}, err
	}
	r := ledgerRow{CustomerID: customerID, Kind: KindAdjust, Points: in.Points, Reason: in.Reason}
	if in.Points > 0 {
		r.ExpiresAt = s.expiry(p)
	}
	if _, err := s.post(ctx, r); err != nil {
		if errors.Is(err, ErrInsufficientPoints) {
			return Entry{}, ErrInsufficientPoints.WithFields(errs.FieldError{Field: "points",
				Message: "would take the balance below zero"})
		}
		return Entry{}, err
	}
	var row ledgerRow
	err = s.db.Conn(ctx).Where("customer_id = ? AND kind = ?", customerID, KindAdjust).Order("id DESC").Take(&row).Error
	return row.entry(), err
}

// Award credits points from an automation run; key (the run and action)
// makes a retried run award them once.
func (s *Service) Award(ctx context.Context, customerID string, points int64, key, reason string) error {
	if points <= 0 {
		return errs.Invalidf("points", "must be a positive whole number")
	}
	p, err := s.Program(ctx)
	if err != nil {
		return err
	}
	if !p.Active {
		return ErrUnavailable
	}
	k := "award:" + key
	_, err = s.post(ctx, ledgerRow{CustomerID: customerID, Kind: KindAdjust, Points: points, Reason: reason,
		DedupeKey: &k, ExpiresAt: s.expiry(p)})
	return err
}

func (s *Service) expiry(p Program) *time.Time {
	if p.ExpiryDays <= 0 {
		return nil
	}
	t := s.now().AddDate(0, 0, int(p.ExpiryDays))
	return &t
}

// recordTierChange records loyalty.tier_changed in the caller's transaction.
func (s *Service) recordTierChange(ctx context.Context, customerID, from, to string) error {
	return events.RecordAs(ctx, s.db, EventTierChanged, "customer", customerID,
		map[string]any{"customer_id": customerID, "from": from, "to": to})
}
