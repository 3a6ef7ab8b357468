package orders

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// Errors of fulfilment, cancellation, refunds and returns.
var (
	// ErrNotConfigured is a wiring mistake: the service was built without
	// the inventory or payments dependency an operation needs.
	ErrNotConfigured = errs.New(errs.Internal, "internal", "orders: a dependency is not configured")
	// ErrFulfillmentNotFound is an unknown fulfilment (or one of another order).
	ErrFulfillmentNotFound = errs.New(errs.NotFound, "not_found", "the fulfillment does not exist")
	// ErrReturnNotFound is an unknown return (or someone else's).
	ErrReturnNotFound = errs.New(errs.NotFound, "not_found", "the return does not exist")
)

// systemActor names automatic changes (jobs, provider webhooks) in the timeline.
const systemActor = "system"

// actorName is how the timeline names who acted.
func actorName(a auth.Actor) string {
	if a.ID == "" {
		return systemActor
	}
	return a.ID
}

// canFulfil lets warehouse staff and managers (and admins) move goods.
func canFulfil(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager, auth.RoleWarehouse) {
		return ErrForbidden
	}
	return nil
}

// canManage lets managers (and admins) move money and cancel orders.
func canManage(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return ErrForbidden
	}
	return nil
}

// lockOrder is the first statement of every after-sales change: a guarded
// no-op UPDATE of the order row (where = the state the change needs). It
// takes the row lock on PostgreSQL, so changes to one order run one after
// the other and always lock the order before stock (no deadlocks between
// cancel and fulfil); on SQLite the transaction is already the single
// writer. No row changed: 404 for an unknown order, else 409 invalid_status
// with detail.
func (s *Service) lockOrder(ctx context.Context, orderID, detail, where string, args ...any) (orderRow, error) {
	conn := s.db.Conn(ctx)
	res := conn.Model(&orderRow{}).Where("id = ?", orderID).Where(where, args...).Update("updated_at", s.now())
	if res.Error != nil {
		return orderRow{}, fmt.Errorf("lock order: %w", res.Error)
	}
	var r orderRow
	err := conn.Where("id = ?", orderID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return orderRow{}, ErrOrderNotFound
	}
	if err != nil {
		return orderRow{}, fmt.Errorf("read order: %w", err)
	}
	if res.RowsAffected == 0 {
		return orderRow{}, ErrInvalidTransition.WithDetail("the order is %s (payment %s, fulfillment %s): %s",
			r.Status, r.PaymentStatus, r.FulfillmentStatus, detail)
	}
	return r, nil
}

// orderItems reads an order's lines in position order.
func (s *Service) orderItems(ctx context.Context, orderID string) ([]itemRow, error) {
	var rows []itemRow
	if err := s.db.Conn(ctx).Where("order_id = ?", orderID).Order("position").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read order items: %w", err)
	}
	return rows, nil
}

// orderByID reads one order (any owner) for internal use.
func (s *Service) orderByID(ctx context.Context, orderID string) (Order, error) {
	return s.load(ctx, s.db.Conn(ctx).Where("id = ?", orderID))
}
