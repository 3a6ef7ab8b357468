package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// promotionRow is the promotions table; list columns are JSON text.
type promotionRow struct {
	ID               string
	Code             string
	Type             string
	Percentage       int64
	Amounts          string
	MinSubtotals     string
	StartsAt         *time.Time
	EndsAt           *time.Time
	UsageLimit       *int64
	PerCustomerLimit *int64
	UsageCount       int64
	ProductIDs       string
	CategoryIDs      string
	CustomerGroupIDs string
	CustomerID       *string
	Combinable       bool
	Active           bool
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (promotionRow) TableName() string { return "promotions" }

// promotionUsage is the promotion_usages table: one row per order.
type promotionUsage struct {
	ID          string
	PromotionID string
	OrderID     string
	CustomerID  *string
	Email       string
	CreatedAt   time.Time
}

func (promotionUsage) TableName() string { return "promotion_usages" }

func (p Promotion) row() promotionRow {
	return promotionRow{ID: p.ID, Code: p.Code, Type: p.Type, Percentage: p.Percentage,
		Amounts: encodeList(p.Amounts), MinSubtotals: encodeList(p.MinSubtotals), StartsAt: p.StartsAt,
		EndsAt: p.EndsAt, UsageLimit: p.UsageLimit, PerCustomerLimit: p.PerCustomerLimit, UsageCount: p.UsageCount,
		ProductIDs: encodeList(p.ProductIDs), CategoryIDs: encodeList(p.CategoryIDs),
		CustomerGroupIDs: encodeList(p.CustomerGroupIDs), CustomerID: p.CustomerID, Combinable: p.Combinable,
		Active: p.Active, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func (r promotionRow) promotion() (Promotion, error) {
	p := Promotion{ID: r.ID, Code: r.Code, Type: r.Type, Percentage: r.Percentage, StartsAt: utcMicro(r.StartsAt),
		EndsAt: utcMicro(r.EndsAt), UsageLimit: r.UsageLimit, PerCustomerLimit: r.PerCustomerLimit,
		UsageCount: r.UsageCount, CustomerID: r.CustomerID, Combinable: r.Combinable, Active: r.Active,
		CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC()}
	var err error
	if p.Amounts, err = decodeList[money.Amount](r.Amounts); err != nil {
		return Promotion{}, err
	}
	if p.MinSubtotals, err = decodeList[money.Amount](r.MinSubtotals); err != nil {
		return Promotion{}, err
	}
	if p.ProductIDs, err = decodeList[string](r.ProductIDs); err != nil {
		return Promotion{}, err
	}
	if p.CategoryIDs, err = decodeList[string](r.CategoryIDs); err != nil {
		return Promotion{}, err
	}
	if p.CustomerGroupIDs, err = decodeList[string](r.CustomerGroupIDs); err != nil {
		return Promotion{}, err
	}
	return p, nil
}

// promotion reads one promotion by id; malformed and unknown ids are 404.
func (s *Service) promotion(ctx context.Context, promotionID string) (Promotion, error) {
	if !id.Valid("promo", promotionID) {
		return Promotion{}, ErrPromotionNotFound
	}
	var row promotionRow
	err := s.db.Conn(ctx).Where("id = ?", promotionID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Promotion{}, ErrPromotionNotFound
	}
	if err != nil {
		return Promotion{}, fmt.Errorf("read promotion: %w", err)
	}
	return row.promotion()
}

// Promotion returns one promotion by id, active or not (checkout re-reads the
// codes on a cart with it).
func (s *Service) Promotion(ctx context.Context, promotionID string) (Promotion, error) {
	return s.promotion(ctx, promotionID)
}

// PromotionByCode finds an active promotion by code, in any case. Unknown and
// inactive codes are both 422 promotion_not_found (field "code"), so a
// shopper cannot tell a retired code from a guess.
func (s *Service) PromotionByCode(ctx context.Context, code string) (Promotion, error) {
	code = NormalizeCode(code)
	if !codePattern.MatchString(code) {
		return Promotion{}, codeErr(ErrPromotionUnknown, "there is no discount code %q", code)
	}
	var row promotionRow
	err := s.db.Conn(ctx).Where("code = ? AND active = ?", code, true).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Promotion{}, codeErr(ErrPromotionUnknown, "there is no discount code %q", code)
	}
	if err != nil {
		return Promotion{}, fmt.Errorf("read promotion: %w", err)
	}
	return row.promotion()
}

// Redeem records that orderID used the promotion, inside the caller's
// (checkout's) transaction, so a checkout that rolls back consumes nothing:
//
//  1. the usage count moves with one guarded conditional update,
//     usage_count = usage_count + 1 WHERE active AND (no limit OR count < limit);
//     no row updated is promotion_exhausted (or promotion_not_found when the
//     code was deactivated meanwhile, or was issued to another customer).
//     On PostgreSQL the update holds the promotion's row lock until commit;
//     SQLite has one writer at a time.
//  2. with a per-customer limit, the usages of this customer (customer_id,
//     or the normalized e-mail: a customer's guest orders count too) are
//     counted; at the limit it is promotion_exhausted. The row lock of step 1
//     serialises concurrent redemptions of the code, so the count is exact.
//  3. the usage row is written (one per order and promotion).
func (s *Service) Redeem(ctx context.Context, promotionID, customerID, email, orderID string) error {
	email = auth.NormalizeEmail(email)
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		res := conn.Model(&promotionRow{}).
			Where("id = ? AND active = ? AND (usage_limit IS NULL OR usage_count < usage_limit)", promotionID, true).
			UpdateColumn("usage_count", gorm.Expr("usage_count + 1"))
		if res.Error != nil {
			return fmt.Errorf("redeem promotion: %w", res.Error)
		}
		p, err := s.promotion(ctx, promotionID)
		if errors.Is(err, ErrPromotionNotFound) {
			return codeErr(ErrPromotionUnknown, "the discount code no longer exists")
		}
		if err != nil {
			return err
		}
		if !p.IsFor(customerID) {
			return codeErr(ErrPromotionUnknown, "there is no discount code %q", p.Code)
		}
		if res.RowsAffected == 0 {
			if !p.Active {
				return codeErr(ErrPromotionUnknown, "%s is no longer available", p.Code)
			}
			return codeErr(ErrPromotionExhausted, "%s has been used up", p.Code)
		}
		if p.PerCustomerLimit != nil {
			if customerID == "" && email == "" {
				return codeErr(ErrPromotionExhausted, "%s is limited per customer and needs an e-mail address", p.Code)
			}
			used, err := s.usesBy(ctx, promotionID, customerID, email)
			if err != nil {
				return err
			}
			if used >= *p.PerCustomerLimit {
				return codeErr(ErrPromotionExhausted, "%s can be used %d time(s) per customer", p.Code, *p.PerCustomerLimit)
			}
		}
		u := promotionUsage{ID: id.New("pru"), PromotionID: promotionID, OrderID: orderID, Email: email,
			CreatedAt: s.now()}
		if customerID != "" {
			u.CustomerID = &customerID
		}
		if err := conn.Create(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return fmt.Errorf("order %s already redeemed %s: %w", orderID, p.Code, err)
			}
			return fmt.Errorf("insert promotion usage: %w", err)
		}
		return nil
	})
}

// usesBy counts the orders a buyer placed with a promotion: by customer id
// or by lower-cased e-mail, so a customer's guest orders count too (as
// Redeem counts them).
func (s *Service) usesBy(ctx context.Context, promotionID, customerID, email string) (int64, error) {
	q := s.db.Conn(ctx).Model(&promotionUsage{}).Where("promotion_id = ?", promotionID)
	switch {
	case customerID != "" && email != "":
		q = q.Where("customer_id = ? OR email = ?", customerID, email)
	case customerID != "":
		q = q.Where("customer_id = ?", customerID)
	case email != "":
		q = q.Where("email = ?", email)
	default:
		return 0, nil
	}
	var used int64
	if err := q.Count(&used).Error; err != nil {
		return 0, fmt.Errorf("count promotion usages: %w", err)
	}
	return used, nil
}

// buyerUses is PromotionContext.BuyerUses for promos on a cart of
// customerID ("" for a guest) with email: nil when the cart names neither.
func (s *Service) buyerUses(ctx context.Context, promos []Promotion, customerID, email string) (map[string]int64, error) {
	email = auth.NormalizeEmail(email)
	if customerID == "" && email == "" {
		return nil, nil
	}
	out := map[string]int64{}
	for _, p := range promos {
		if p.PerCustomerLimit == nil {
			continue
		}
		n, err := s.usesBy(ctx, p.ID, customerID, email)
		if err != nil {
			return nil, err
		}
		out[p.ID] = n
	}
	return out, nil
}
