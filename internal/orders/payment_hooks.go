package orders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/inventory"
	"storekeep/internal/payments"
)

// HoldForever is the expiry a confirmed order's reservation is pushed to:
// its stock stays held until fulfilment commits it or a cancellation
// releases it (checkout uses the same date).
var HoldForever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// OnPayment applies a payment's new status to its order. It runs inside the
// provider webhook's transaction (payments.Service.OnStatusChange), so the
// webhook, the order change and the stock hold commit together or not at
// all; every change is a guarded transition, so a duplicate or late event
// changes nothing.
//
//   - authorized/captured on a pending order: the order is confirmed, its
//     payment_status follows and its reservation is held for good. If the
//     reservation was released meanwhile (it expired), the order is
//     canceled instead and the expiry job gives the money back.
//   - captured on a confirmed order that was authorized: payment_status
//     becomes captured.
//   - failed on a pending order: the order is canceled, payment_status
//     failed, its reservation released.
//   - money confirmed for a canceled order: recorded in the timeline; the
//     expiry job voids or refunds it (provider calls never run in a
//     transaction).
func (s *Service) OnPayment(ctx context.Context, p payments.Payment) error {
	// Joins the webhook's transaction; the order's events are recorded
	// once the whole change is done.
	return s.tx(ctx, func(ctx context.Context) error { return s.onPayment(ctx, p) })
}

func (s *Service) onPayment(ctx context.Context, p payments.Payment) error {
	var o orderRow
	err := s.db.Conn(ctx).Where("id = ?", p.OrderID).Take(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		s.log.WarnContext(ctx, "payment for an unknown order", "payment_id", p.ID, "order_id", p.OrderID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("read order: %w", err)
	}
	switch p.Status {
	case payments.StatusAuthorized, payments.StatusCaptured:
		switch o.Status {
		case StatusPending:
			return s.confirmPending(ctx, o, p)
		case StatusCanceled:
			// Money arrived for a canceled order: the order shows it (so
			// the settle job finds and returns it), and the timeline says why.
			if err := s.record(ctx, o.ID, "payment.after_cancel", systemActor, map[string]any{
				"payment_id": p.ID, "payment_status": string(p.Status)}); err != nil {
				return err
			}
			return s.syncPayment(ctx, o.ID, p, systemActor)
		default:
			return s.syncPayment(ctx, o.ID, p, systemActor)
		}
	case payments.StatusFailed:
		if o.Status != StatusPending {
			return s.syncPayment(ctx, o.ID, p, systemActor)
		}
		if err := s.cancelLocked(ctx, o.ID, systemActor, "order.payment_failed", "", "status = ?", StatusPending); err != nil {
			return err
		}
		return s.syncPayment(ctx, o.ID, p, systemActor)
	}
	return nil
}

// confirmPending confirms a pending order whose payment went through.
func (s *Service) confirmPending(ctx context.Context, o orderRow, p payments.Payment) error {
	// Lock the order row before the reservation, the order cancellation and
	// expiry take them in, so a webhook racing a cancel cannot deadlock on
	// PostgreSQL. No row: the order stopped being pending meanwhile.
	lock := s.db.Conn(ctx).Model(&orderRow{}).Where("id = ? AND status = ?", o.ID, StatusPending).
		Update("updated_at", s.now())
	if lock.Error != nil {
		return fmt.Errorf("lock order: %w", lock.Error)
	}
	if lock.RowsAffected == 0 {
		return s.record(ctx, o.ID, "payment.after_cancel", systemActor, map[string]any{
			"payment_id": p.ID, "payment_status": string(p.Status)})
	}
	if o.ReservationID != nil && s.inv != nil {
		err := s.inv.Hold(ctx, *o.ReservationID, HoldForever)
		if errors.Is(err, inventory.ErrReservationClosed) {
			// The stock went back on sale (expired, or a concurrent cancel
			// released it): the order cannot be honoured.
			err := s.cancelLocked(ctx, o.ID, systemActor, "order.stock_expired", "", "status = ?", StatusPending)
			if err != nil && !errors.Is(err, ErrInvalidTransition) {
				return err
			}
			if err := s.record(ctx, o.ID, "payment.after_cancel", systemActor, map[string]any{
				"payment_id": p.ID, "payment_status": string(p.Status)}); err != nil {
				return err
			}
			// The order shows the money, so the settle job returns it.
			return s.syncPayment(ctx, o.ID, p, systemActor)
		}
		if err != nil {
			return err
		}
	}
	if err := s.Transition(ctx, o.ID, MachineStatus, StatusConfirmed, systemActor,
		map[string]any{"expires_at": nil}); err != nil {
		return err
	}
	return s.syncPayment(ctx, o.ID, p, systemActor)
}
