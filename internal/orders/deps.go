package orders

import (
	"context"
	"time"

	"storekeep/internal/inventory"
	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/money"
)

// Inventory is the stock an order holds, ships and takes back.
type Inventory interface {
	Reservation(ctx context.Context, reservationID string) (inventory.Reservation, error)
	Release(ctx context.Context, reservationID string) (inventory.Reservation, error)
	Hold(ctx context.Context, reservationID string, until time.Time) error
	Fulfil(ctx context.Context, in inventory.FulfilInput) (inventory.Reservation, error)
	ReleaseLines(ctx context.Context, reservationID string, lines []inventory.Line) (inventory.Reservation, error)
	Unfulfil(ctx context.Context, in inventory.UnfulfilInput) (inventory.Reservation, error)
	Move(ctx context.Context, m inventory.Move) (inventory.Level, inventory.Movement, error)
	Bins(ctx context.Context, warehouseID string, variantIDs []string) (map[string]string, error)
	Warehouse(ctx context.Context, actor auth.Actor, whID string) (inventory.Warehouse, error)
}

// Payments moves the order's money at the provider and in the ledger.
type Payments interface {
	ForOrder(ctx context.Context, orderID string) ([]payments.Payment, error)
	Capture(ctx context.Context, paymentID string, amount money.Amount, idemKey string) (payments.Payment, error)
	Void(ctx context.Context, paymentID, idemKey string) (payments.Payment, error)
	Refund(ctx context.Context, paymentID string, amount money.Amount, idemKey string) (payments.Payment, error)
}

// The production services satisfy the consumer interfaces.
var (
	_ Inventory = (*inventory.Service)(nil)
	_ Payments  = (*payments.Service)(nil)
)

// WithInventory sets the inventory service (required for fulfilment,
// cancellation and returns).
func WithInventory(i Inventory) Option { return func(s *Service) { s.inv = i } }

// WithPayments sets the payments service (required for capture, refunds,
// cancellation).
func WithPayments(p Payments) Option { return func(s *Service) { s.pay = p } }
