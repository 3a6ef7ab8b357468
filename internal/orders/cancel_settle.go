package orders

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"storekeep/internal/payments"
	"storekeep/internal/platform/money"
)

// settleAfterRemainder settles a cancellation right after its commit,
// logging and recording a failure for the periodic job to retry.
func (s *Service) settleAfterRemainder(ctx context.Context, cancellationID, actor string) {
	if err := s.settleCancellation(ctx, cancellationID, actor); err != nil {
		c, rerr := s.cancellation(ctx, cancellationID)
		if rerr != nil {
			s.log.ErrorContext(ctx, "read cancellation", "cancellation_id", cancellationID, "error", rerr.Error())
			return
		}
		s.log.ErrorContext(ctx, "settle canceled remainder", "order_id", c.OrderID, "cancellation_id", c.ID, "error", err.Error())
		if rerr := s.record(ctx, c.OrderID, "payment.settle_failed", actor, map[string]any{
			"cancellation_id": c.ID, "error": err.Error()}); rerr != nil {
			s.log.ErrorContext(ctx, "record settle failure", "order_id", c.OrderID, "error", rerr.Error())
		}
	}
}

// settleCancellation gives back the money of a canceled remainder, outside
// any transaction (it calls the provider), as many times as needed until it
// is settled; every attempt asks the provider the same thing under the same
// key, so money moves once:
//
//   - the payment is only authorised: once the order is fully fulfilled (or
//     a capture was already decided) the capture rule captures the order
//     total minus the canceled shares, leaving this share out (settled
//     capture_reduced when the capture amount is fixed: captureAmount). An
//     order not fully fulfilled waits for its capture or its cancellation;
//   - the payment is captured (at checkout, or before this cancellation):
//     the share is refunded, at most what is left of the capture, with
//     provider key order-cancel-remainder:<cancellation id>;
//   - the payment was voided or failed, or everything was already refunded
//     (the whole order was canceled afterwards): nothing is owed.
func (s *Service) settleCancellation(ctx context.Context, cancellationID, actor string) error {
	c, err := s.cancellation(ctx, cancellationID)
	if err != nil || c.Status == cancellationSettled {
		return err
	}
	p, ok, err := s.primaryPayment(ctx, c.OrderID)
	if err != nil {
		return err
	}
	if !ok { // a free order: nothing was paid
		return s.markSettled(ctx, c, SettlementNone, actor)
	}
	if p.Status == payments.StatusAuthorized {
		var o orderRow
		if err := s.db.Conn(ctx).Where("id = ?", c.OrderID).Take(&o).Error; err != nil {
			return fmt.Errorf("read order: %w", err)
		}
		if o.Status == StatusCanceled {
			return nil // the order's cancellation voids the payment (SettleCanceled)
		}
		if o.CaptureAmount == nil && !fullyFulfilled(o.FulfillmentStatus) {
			return nil // the capture, when it comes, leaves this share out
		}
		if err := s.capture(ctx, c.OrderID, actor); err != nil {
			return err
		}
		if c, err = s.cancellation(ctx, cancellationID); err != nil || c.Status == cancellationSettled {
			return err
		}
		// The capture was fixed before this cancellation: it took the
		// share, which is now refunded.
		if p, _, err = s.primaryPayment(ctx, c.OrderID); err != nil {
			return err
		}
	}
	switch p.Status {
	case payments.StatusVoided, payments.StatusFailed:
		return s.markSettled(ctx, c, SettlementNone, actor)
	case payments.StatusCaptured, payments.StatusPartiallyRefunded, payments.StatusRefunded:
		return s.refundCancellation(ctx, c, p, actor)
	}
	return nil // pending at the provider: a later run settles it
}

// refundCancellation refunds a cancellation's share from a captured
// payment. The amount is fixed before the first attempt (at most what is
// left of the capture) so every retry sends the same request.
func (s *Service) refundCancellation(ctx context.Context, c cancellationRow, p payments.Payment, actor string) error {
	if c.RefundAmount == nil {
		v := max(0, min(c.Amount, p.Captured.Minor-p.Refunded.Minor))
		if err := s.db.Conn(ctx).Model(&cancellationRow{}).Where("id = ? AND refund_amount IS NULL", c.ID).
			Update("refund_amount", v).Error; err != nil {
			return fmt.Errorf("fix cancellation refund: %w", err)
		}
		var err error
		if c, err = s.cancellation(ctx, c.ID); err != nil { // a concurrent attempt may have fixed it first
			return err
		}
	}
	amount := *c.RefundAmount
	if amount == 0 {
		return s.markSettled(ctx, c, SettlementNone, actor)
	}
	_, err := s.refundPayment(ctx, c.OrderID, p, money.Amount{Minor: amount, Currency: c.Currency},
		"unfulfilled remainder canceled", nil, cancelRemainderKey+":"+c.ID, actor)
	if errors.Is(err, payments.ErrRefundExceedsCaptured) {
		// Refused before the provider was called (someone refunded in
		// between): the next attempt decides the amount again.
		if rerr := s.db.Conn(ctx).Model(&cancellationRow{}).Where("id = ? AND refund_amount = ?", c.ID, amount).
			Update("refund_amount", nil).Error; rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	if err != nil {
		return err
	}
	return s.markSettled(ctx, c, SettlementRefunded, actor)
}

// markSettled closes a pending cancellation (once: a guarded update) and
// writes the settlement in the timeline.
func (s *Service) markSettled(ctx context.Context, c cancellationRow, settlement, actor string) error {
	return s.tx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&cancellationRow{}).Where("id = ? AND status = ?", c.ID, cancellationPending).
			Updates(map[string]any{"status": cancellationSettled, "settlement": settlement, "settled_at": s.now()})
		if res.Error != nil {
			return fmt.Errorf("settle cancellation: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil // settled concurrently
		}
		return s.record(ctx, c.OrderID, "order.remainder_settled", actor, map[string]any{"cancellation_id": c.ID,
			"settlement": settlement, "amount": c.Amount, "refund_amount": c.RefundAmount, "currency": c.Currency})
	})
}

// cancellation reads one cancellation.
func (s *Service) cancellation(ctx context.Context, cancellationID string) (cancellationRow, error) {
	var c cancellationRow
	err := s.db.Conn(ctx).Where("id = ?", cancellationID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, fmt.Errorf("cancellation %s does not exist", cancellationID)
	}
	if err != nil {
		return c, fmt.Errorf("read cancellation: %w", err)
	}
	return c, nil
}

// fullyFulfilled reports whether a fulfillment_status means every unit to
// ship is in a fulfilment.
func fullyFulfilled(status string) bool {
	switch status {
	case FulfillmentFulfilled, FulfillmentShipped, FulfillmentDelivered, FulfillmentReturned:
		return true
	}
	return false
}

// SettleCancellations retries settling the money of canceled remainders
// still pending (a provider failure, or a process stop after the commit).
// The periodic order job runs it after CaptureFulfilled; it reports how
// many it settled. Failures are logged and retried on the next run.
func (s *Service) SettleCancellations(ctx context.Context) (int, error) {
	if s.pay == nil {
		return 0, nil
	}
	var ids []string
	if err := s.db.Conn(ctx).Model(&cancellationRow{}).Where("status = ?", cancellationPending).
		Order("id").Limit(sweepBatch).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("find pending cancellations: %w", err)
	}
	n := 0
	for _, cid := range ids {
		if err := s.settleCancellation(ctx, cid, systemActor); err != nil {
			s.log.ErrorContext(ctx, "settle canceled remainder", "cancellation_id", cid, "error", err.Error())
			continue
		}
		if c, err := s.cancellation(ctx, cid); err == nil && c.Status == cancellationSettled {
			n++
		}
	}
	return n, nil
}
