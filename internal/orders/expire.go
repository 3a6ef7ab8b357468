package orders

import (
	"context"
	"errors"
	"fmt"
)

// sweepBatch bounds the orders one sweep handles; the next run takes the rest.
const sweepBatch = 100

// ExpirePending cancels pending orders (async payments never confirmed)
// whose expires_at is at or before now: each in its own transaction, a
// guarded cancel (a payment confirmed in the meantime wins: the order is no
// longer pending and is skipped) that releases the reservation; after the
// commit the payment is voided. It reports how many it canceled.
func (s *Service) ExpirePending(ctx context.Context) (int, error) {
	if s.inv == nil || s.pay == nil {
		return 0, ErrNotConfigured
	}
	now := s.now()
	var ids []string
	if err := s.db.Conn(ctx).Model(&orderRow{}).Where("status = ? AND expires_at <= ?", StatusPending, now).
		Order("expires_at, id").Limit(sweepBatch).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("find expired orders: %w", err)
	}
	n := 0
	for _, oid := range ids {
		err := s.tx(ctx, func(ctx context.Context) error {
			return s.cancelLocked(ctx, oid, systemActor, "order.expired", "",
				"status = ? AND expires_at <= ?", StatusPending, now)
		})
		if errors.Is(err, ErrInvalidTransition) {
			continue // confirmed or canceled meanwhile
		}
		if err != nil {
			return n, err
		}
		n++
		s.settleAfterCancel(ctx, oid, systemActor)
	}
	return n, nil
}

// SettleCanceled retries giving back the money of canceled orders whose
// payment is still pending, authorised or captured (a provider failure at
// cancel time, or money confirmed after the order was canceled). It
// reports how many orders it settled; failures are logged and retried on
// the next run.
func (s *Service) SettleCanceled(ctx context.Context) (int, error) {
	if s.pay == nil {
		return 0, ErrNotConfigured
	}
	var ids []string
	if err := s.db.Conn(ctx).Model(&orderRow{}).Where("status = ? AND payment_status IN ?", StatusCanceled,
		[]string{PaymentPending, PaymentAuthorized, PaymentCaptured, PaymentPartiallyRefunded}).
		Order("id").Limit(sweepBatch).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("find unsettled canceled orders: %w", err)
	}
	n := 0
	for _, oid := range ids {
		if err := s.settleCanceled(ctx, oid, systemActor); err != nil {
			s.log.ErrorContext(ctx, "settle canceled order payment", "order_id", oid, "error", err.Error())
			continue
		}
		n++
	}
	return n, nil
}
