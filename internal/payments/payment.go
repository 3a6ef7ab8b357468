package payments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// Payment is a payment recorded against an order.
type Payment struct {
	ID      string `json:"id" binding:"required" example:"pay_06h1wbq28dxanf5st2bqp8yfxm"`
	OrderID string `json:"order_id" binding:"required" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	// Provider is the payment provider's name.
	Provider string `json:"provider" binding:"required" example:"test"`
	// Method is cash or other only for manual payments (recorded by staff).
	Method string `json:"method" binding:"required" enums:"card,paypal,apple_pay,bnpl,cash,other" example:"card"`
	// ProviderRef identifies the payment at the provider.
	ProviderRef string `json:"provider_ref" binding:"required" example:"tp_5f1c9a0e4b7d2c3a8e6f0b1d"`
	Status      Status `json:"status" binding:"required" enums:"pending,authorized,captured,partially_refunded,refunded,voided,failed" example:"authorized"`
	// Amount is the authorised amount.
	Amount   money.Amount `json:"amount" binding:"required"`
	Captured money.Amount `json:"captured_amount" binding:"required"`
	Refunded money.Amount `json:"refunded_amount" binding:"required"`
	// DeclineCode says why a failed payment was declined.
	DeclineCode string `json:"decline_code,omitempty" example:"card_declined"`
	// ReviewReason is set when a verified provider event disagreed with the
	// payment (payment_amount_mismatch): it was not confirmed.
	ReviewReason string    `json:"review_reason,omitempty" example:"payment_amount_mismatch"`
	CreatedAt    time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt    time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Payment

// paymentRow is the payments table.
type paymentRow struct {
	ID             string
	OrderID        string
	Provider       string
	Method         string
	ProviderRef    string
	Status         Status
	Currency       string
	Amount         int64
	CapturedAmount int64
	RefundedAmount int64
	DeclineCode    string
	ReviewReason   string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (paymentRow) TableName() string { return "payments" }

func (r paymentRow) payment() Payment {
	return Payment{ID: r.ID, OrderID: r.OrderID, Provider: r.Provider, Method: r.Method,
		ProviderRef: r.ProviderRef, Status: r.Status,
		Amount:      money.Amount{Minor: r.Amount, Currency: r.Currency},
		Captured:    money.Amount{Minor: r.CapturedAmount, Currency: r.Currency},
		Refunded:    money.Amount{Minor: r.RefundedAmount, Currency: r.Currency},
		DeclineCode: r.DeclineCode, ReviewReason: r.ReviewReason,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// Transaction is one provider operation on a payment: claimed (pending)
// before the provider is called, then succeeded or failed.
type Transaction struct {
	ID        string       `json:"id" binding:"required" example:"ptx_06h1wbq28dxanf5st2bqp8yfxm"`
	PaymentID string       `json:"payment_id" binding:"required" example:"pay_06h1wbq28dxanf5st2bqp8yfxm"`
	Kind      string       `json:"kind" binding:"required" enums:"authorize,capture,void,refund" example:"refund"`
	Status    string       `json:"status" binding:"required" enums:"pending,succeeded,failed" example:"succeeded"`
	Amount    money.Amount `json:"amount" binding:"required"`
	// ProviderRef is the provider's reference of the operation (a refund id).
	ProviderRef string    `json:"provider_ref" binding:"required" example:"tpr_9a0e4b7d2c3a8e6f0b1d5f1c"`
	DeclineCode string    `json:"decline_code,omitempty" example:"card_declined"`
	CreatedAt   time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt   time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name PaymentTransaction

// Transaction kinds and statuses.
const (
	KindAuthorize = "authorize"
	KindCapture   = "capture"
	KindVoid      = "void"
	KindRefund    = "refund"

	TxPending   = "pending"
	TxSucceeded = "succeeded"
	TxFailed    = "failed"
)

// txRow is the payment_transactions table.
type txRow struct {
	ID             string
	PaymentID      string
	Kind           string
	Status         string
	Currency       string
	Amount         int64
	ProviderRef    string
	IdempotencyKey string
	PrevStatus     Status
	DeclineCode    string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (txRow) TableName() string { return "payment_transactions" }

func (r txRow) transaction() Transaction {
	return Transaction{ID: r.ID, PaymentID: r.PaymentID, Kind: r.Kind, Status: r.Status,
		Amount: money.Amount{Minor: r.Amount, Currency: r.Currency}, ProviderRef: r.ProviderRef,
		DeclineCode: r.DeclineCode, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// webhookEventRow is the payment_webhook_events table.
type webhookEventRow struct {
	Provider   string
	EventID    string
	EventType  string
	PaymentID  *string
	Outcome    string
	ReceivedAt time.Time
	// What the event said, kept to apply an event that overtook checkout.
	ProviderRef string
	Status      Status
	Currency    string
	Amount      int64
}

func (webhookEventRow) TableName() string { return "payment_webhook_events" }

// Webhook outcomes, as recorded on payment_webhook_events.
const (
	OutcomeApplied        = "applied"
	OutcomeIgnored        = "ignored"
	OutcomeUnknownPayment = "unknown_payment"
	OutcomeAmountMismatch = "payment_amount_mismatch"
)

// Get returns a payment by id.
func (s *Service) Get(ctx context.Context, paymentID string) (Payment, error) {
	r, err := s.row(ctx, paymentID)
	if err != nil {
		return Payment{}, err
	}
	return r.payment(), nil
}

func (s *Service) row(ctx context.Context, paymentID string) (paymentRow, error) {
	if !id.Valid("pay", paymentID) {
		return paymentRow{}, ErrPaymentNotFound
	}
	var r paymentRow
	err := s.db.Conn(ctx).Where("id = ?", paymentID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return paymentRow{}, ErrPaymentNotFound
	}
	if err != nil {
		return paymentRow{}, fmt.Errorf("load payment: %w", err)
	}
	return r, nil
}

// ForOrder returns an order's payments, oldest first.
func (s *Service) ForOrder(ctx context.Context, orderID string) ([]Payment, error) {
	var rows []paymentRow
	if err := s.db.Conn(ctx).Where("order_id = ?", orderID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list payments: %w", err)
	}
	out := make([]Payment, len(rows))
	for i, r := range rows {
		out[i] = r.payment()
	}
	return out, nil
}

// Transactions returns a payment's provider operations, oldest first (for
// the order timeline and reconciliation).
func (s *Service) Transactions(ctx context.Context, paymentID string) ([]Transaction, error) {
	var rows []txRow
	if err := s.db.Conn(ctx).Where("payment_id = ?", paymentID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list payment transactions: %w", err)
	}
	out := make([]Transaction, len(rows))
	for i, r := range rows {
		out[i] = r.transaction()
	}
	return out, nil
}

// Unsettled returns provider operations still pending after olderThan,
// oldest first: claims whose outcome is unknown (a crash or a provider
// timeout between claim and settle) plus async authorisations never
// confirmed. This is the reconciliation worklist: ask the provider, then
// retry the operation with its key or void the payment.
func (s *Service) Unsettled(ctx context.Context, olderThan time.Duration, limit int) ([]Transaction, error) {
	var rows []txRow
	err := s.db.Conn(ctx).Where("status = ? AND updated_at < ?", TxPending, s.now().Add(-olderThan)).
		Order("updated_at, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list unsettled payment transactions: %w", err)
	}
	out := make([]Transaction, len(rows))
	for i, r := range rows {
		out[i] = r.transaction()
	}
	return out, nil
}
