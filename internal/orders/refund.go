package orders

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// RefundInput is a staff refund on an order.
type RefundInput struct {
	Amount money.Amount `json:"amount" validate:"required"`
	Reason string       `json:"reason" text:"free" validate:"required,max=500" example:"damaged in transit"`
} // @name RefundInput

// Refund is money given back on an order.
type Refund struct {
	ID        string       `json:"id" binding:"required" example:"rfd_06h1wbq28dxanf5st2bqp8yfxm"`
	OrderID   string       `json:"order_id" binding:"required" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	PaymentID string       `json:"payment_id" binding:"required" example:"pay_06h1wbq28dxanf5st2bqp8yfxm"`
	ReturnID  *string      `json:"return_id" binding:"required" extensions:"x-nullable" example:"ret_06h1wbq28dxanf5st2bqp8yfxm"`
	Amount    money.Amount `json:"amount" binding:"required"`
	Reason    string       `json:"reason" binding:"required" example:"damaged in transit"`
	Actor     string       `json:"actor" binding:"required" example:"stf_06h1wbq28dxanf5st2bqp8yfxm"`
	CreatedAt time.Time    `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Refund

type refundRow struct {
	ID             string
	OrderID        string
	PaymentID      string
	ReturnID       *string
	Currency       string
	Amount         int64
	Reason         string
	Actor          string
	IdempotencyKey string
	CreatedAt      time.Time
}

func (refundRow) TableName() string { return "order_refunds" }

func (r refundRow) refund() Refund {
	return Refund{ID: r.ID, OrderID: r.OrderID, PaymentID: r.PaymentID, ReturnID: r.ReturnID,
		Amount: money.Amount{Minor: r.Amount, Currency: r.Currency}, Reason: r.Reason, Actor: r.Actor,
		CreatedAt: r.CreatedAt}
}

// CreateRefund refunds part or all of what an order's payment captured:
// never above captured minus refunded (422 refund_exceeds_captured, also
// under concurrent refunds: the payments service claims the amount with a
// guarded update before calling the provider), in the order's currency
// (422 currency_mismatch); only captured or partially refunded payments
// (else 409 invalid_status). idemKey (the request's Idempotency-Key) is
// passed to the provider so a retry refunds once. Managers and admins.
func (s *Service) CreateRefund(ctx context.Context, actor auth.Actor, orderID string, in RefundInput, idemKey string) (Refund, error) {
	if err := canManage(actor); err != nil {
		return Refund{}, err
	}
	if !id.Valid("order", orderID) {
		return Refund{}, ErrOrderNotFound
	}
	if s.pay == nil {
		return Refund{}, ErrNotConfigured
	}
	in.Reason = strings.TrimSpace(in.Reason)
	var fields []errs.FieldError
	if in.Amount.Minor <= 0 {
		fields = append(fields, errs.FieldError{Field: "amount.amount", Message: "must be positive"})
	}
	if in.Reason == "" || len(in.Reason) > 500 {
		fields = append(fields, errs.FieldError{Field: "reason", Message: "is required (at most 500 characters)"})
	}
	if len(fields) > 0 {
		return Refund{}, errs.ErrValidation.WithFields(fields...)
	}
	o, err := s.orderByID(ctx, orderID)
	if err != nil {
		return Refund{}, err
	}
	if in.Amount.Currency != o.Currency {
		return Refund{}, payments.ErrCurrencyMismatch.WithFields(errs.FieldError{Field: "amount.currency", Message: "must be " + o.Currency})
	}
	if o.PaymentStatus != PaymentCaptured && o.PaymentStatus != PaymentPartiallyRefunded {
		return Refund{}, ErrInvalidTransition.WithDetail("payment_status is %s: only captured payments are refunded", o.PaymentStatus)
	}
	p, ok, err := s.primaryPayment(ctx, orderID)
	if err != nil {
		return Refund{}, err
	}
	if !ok {
		return Refund{}, ErrInvalidTransition.WithDetail("the order has no payment")
	}
	if idemKey == "" {
		idemKey = id.New("rfk")
	}
	key := "refund:" + idemKey
	if _, err := s.refundPayment(ctx, orderID, p, in.Amount, in.Reason, nil, key, actorName(actor)); err != nil {
		return Refund{}, err
	}
	var r refundRow
	if err := s.db.Conn(ctx).Where("order_id = ? AND idempotency_key = ?", orderID, key).Take(&r).Error; err != nil {
		return Refund{}, fmt.Errorf("read refund: %w", err)
	}
	return r.refund(), nil
}

// insertRefund records r unless a refund with its key exists; it reports
// whether this call created it.
func (s *Service) insertRefund(ctx context.Context, r refundRow) (refundRow, bool, error) {
	res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
	if res.Error != nil {
		return refundRow{}, false, fmt.Errorf("insert refund: %w", res.Error)
	}
	return r, res.RowsAffected == 1, nil
}

// Refunds lists an order's refunds, oldest first. Every staff role.
func (s *Service) Refunds(ctx context.Context, actor auth.Actor, orderID string) ([]Refund, error) {
	if _, err := s.Order(ctx, actor, orderID); err != nil {
		return nil, err
	}
	var rows []refundRow
	if err := s.db.Conn(ctx).Where("order_id = ?", orderID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list refunds: %w", err)
	}
	out := make([]Refund, len(rows))
	for i, r := range rows {
		out[i] = r.refund()
	}
	return out, nil
}
