package orders

import (
	"context"
	"errors"
	"fmt"

	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// captureKey is the provider idempotency key of an order's capture: there
// is one capture per payment, so automatic and manual captures, and their
// retries, are the same request at the provider.
const captureKey = "order-capture"

// CapturePayment captures the authorised payment of a confirmed (or
// completed) order: its total minus the share of canceled units (see
// captureAmount), payment_status authorized -> captured. Other payment
// states are 409 invalid_status. Managers and admins.
func (s *Service) CapturePayment(ctx context.Context, actor auth.Actor, orderID string) (Order, error) {
	if err := canManage(actor); err != nil {
		return Order{}, err
	}
	if !id.Valid("order", orderID) {
		return Order{}, ErrOrderNotFound
	}
	if s.pay == nil {
		return Order{}, ErrNotConfigured
	}
	o, err := s.orderByID(ctx, orderID)
	if err != nil {
		return Order{}, err
	}
	if (o.Status != StatusConfirmed && o.Status != StatusCompleted) || o.PaymentStatus != PaymentAuthorized {
		return Order{}, ErrInvalidTransition.WithDetail("the order is %s with payment %s: only authorised payments of confirmed orders are captured",
			o.Status, o.PaymentStatus)
	}
	if err := s.capture(ctx, orderID, actorName(actor)); err != nil {
		return Order{}, err
	}
	return s.orderByID(ctx, orderID)
}

// capture captures the order's authorised payment (outside any
// transaction: a provider call) for the amount captureAmount fixed, and
// mirrors the result on the order. When the canceled units took the whole
// total nothing is owed: the authorisation is voided instead.
func (s *Service) capture(ctx context.Context, orderID, actor string) error {
	p, ok, err := s.primaryPayment(ctx, orderID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrInvalidTransition.WithDetail("the order has no payment to capture")
	}
	if p.Status != payments.StatusAuthorized {
		resumable, err := s.captureInFlight(ctx, orderID, p)
		if err != nil {
			return err
		}
		if !resumable {
			return ErrInvalidTransition.WithDetail("the order has no authorised payment to capture")
		}
	}
	amount, err := s.captureAmount(ctx, orderID, actor)
	if err != nil {
		return err
	}
	if amount == 0 {
		p, err = s.pay.Void(ctx, p.ID, captureKey)
	} else {
		p, err = s.pay.Capture(ctx, p.ID, money.Amount{Minor: amount, Currency: p.Amount.Currency}, captureKey)
	}
	if err != nil {
		return err
	}
	return s.tx(ctx, func(ctx context.Context) error { return s.syncPayment(ctx, orderID, p, actor) })
}

// captureInFlight reports whether p's capture was claimed but never
// settled: the payment says captured while the order, which follows the
// payment only once the provider answered, still says authorized (the
// provider timed out, or the process stopped). Asking again under the same
// key resumes that request at the provider instead of capturing twice.
func (s *Service) captureInFlight(ctx context.Context, orderID string, p payments.Payment) (bool, error) {
	if p.Status != payments.StatusCaptured {
		return false, nil
	}
	var o orderRow
	if err := s.db.Conn(ctx).Select("id", "payment_status", "capture_amount").Where("id = ?", orderID).Take(&o).Error; err != nil {
		return false, fmt.Errorf("read order: %w", err)
	}
	return o.PaymentStatus == PaymentAuthorized && o.CaptureAmount != nil, nil
}

// captureAmount fixes, once per order and under the order lock, what the
// capture of its authorised payment takes: the total minus canceled_total
// at the first attempt. The canceled remainders pending at that moment are
// settled by it (capture_reduced: their share is never captured). Every
// later attempt (a retry, the periodic job, a manual capture) reuses the
// amount, so the provider is asked the same thing under the same key; a
// remainder canceled afterwards is refunded once the capture is done.
func (s *Service) captureAmount(ctx context.Context, orderID, actor string) (int64, error) {
	var amount int64
	err := s.tx(ctx, func(ctx context.Context) error {
		o, err := s.lockOrder(ctx, orderID, "", "1 = 1")
		if err != nil {
			return err
		}
		if o.CaptureAmount != nil {
			amount = *o.CaptureAmount
			return nil
		}
		amount = o.Total - o.CanceledTotal
		if err := s.db.Conn(ctx).Model(&orderRow{}).Where("id = ?", orderID).Update("capture_amount", amount).Error; err != nil {
			return fmt.Errorf("fix capture amount: %w", err)
		}
		var pending []cancellationRow
		if err := s.db.Conn(ctx).Where("order_id = ? AND status = ?", orderID, cancellationPending).Order("id").
			Find(&pending).Error; err != nil {
			return fmt.Errorf("read pending cancellations: %w", err)
		}
		for _, c := range pending {
			if err := s.markSettled(ctx, c, SettlementCaptureReduced, actor); err != nil {
				return err
			}
		}
		return nil
	})
	return amount, err
}

// captureOnFulfilment applies the capture rule after a fulfilment made the
// order fully fulfilled: an authorised payment is captured (its total
// minus the share of canceled units). A failure does not undo the
// fulfilment (the goods are picked); it is logged and written to the
// timeline, and the periodic job or staff (POST
// /v1/admin/orders/{id}/capture) capture later.
func (s *Service) captureOnFulfilment(ctx context.Context, orderID string) {
	if s.pay == nil {
		return
	}
	p, ok, err := s.primaryPayment(ctx, orderID)
	if err == nil && (!ok || p.Status != payments.StatusAuthorized) {
		return // captured at checkout (or nothing to capture)
	}
	if err == nil {
		err = s.capture(ctx, orderID, systemActor)
	}
	if err != nil {
		s.log.ErrorContext(ctx, "capture on fulfilment", "order_id", orderID, "error", err.Error())
		if rerr := s.record(ctx, orderID, "payment.capture_failed", systemActor, map[string]any{"error": err.Error()}); rerr != nil {
			s.log.ErrorContext(ctx, "record capture failure", "order_id", orderID, "error", rerr.Error())
		}
	}
}

// primaryPayment is the order's payment that money moves on: the newest one
// that did not fail (checkout records one per order).
func (s *Service) primaryPayment(ctx context.Context, orderID string) (payments.Payment, bool, error) {
	ps, err := s.pay.ForOrder(ctx, orderID)
	if err != nil {
		return payments.Payment{}, false, err
	}
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Status != payments.StatusFailed {
			return ps[i], true, nil
		}
	}
	if len(ps) > 0 {
		return ps[len(ps)-1], true, nil
	}
	return payments.Payment{}, false, nil
}

// syncPayment makes the order's payment_status follow its payment's status
// (in the caller's transaction). The payment is the source of truth: it is
// read fresh after each operation, so concurrent refunds settle on the
// right final status whatever order they finish in. A move the order's
// machine does not allow is logged and left alone.
func (s *Service) syncPayment(ctx context.Context, orderID string, p payments.Payment, actor string) error {
	var cur orderRow
	if err := s.db.Conn(ctx).Select("id", "payment_status").Where("id = ?", orderID).Take(&cur).Error; err != nil {
		return fmt.Errorf("read order payment status: %w", err)
	}
	to := string(p.Status)
	from := cur.PaymentStatus
	// The payment may have moved several steps while the order did not
	// follow (money captured after a cancel, then refunded by the settle
	// job): walk the order along the money's path, each step legal and in
	// the timeline, instead of leaving it behind for good.
	for from != to {
		step := to
		if !MachinePayment.Legal(from, to) {
			step = nextOnPath(from)
			if step == "" || !MachinePayment.Legal(from, step) {
				s.log.WarnContext(ctx, "order payment status not synced", "order_id", orderID, "from", from, "to", to)
				return nil
			}
		}
		if err := s.Transition(ctx, orderID, MachinePayment, step, actor, nil); err != nil {
			return err
		}
		from = step
	}
	return nil
}

// moneyPath is the order money normally moves in.
var moneyPath = []string{PaymentPending, PaymentAuthorized, PaymentCaptured, PaymentPartiallyRefunded, PaymentRefunded}

// nextOnPath is the state after from on moneyPath ("" at its end or off it).
func nextOnPath(from string) string {
	for i, st := range moneyPath[:len(moneyPath)-1] {
		if st == from {
			return moneyPath[i+1]
		}
	}
	return ""
}

// CaptureFulfilled captures the payments that fulfilment should have
// captured but did not: orders fully fulfilled (or further) whose payment
// is still authorised, because the provider failed or the process stopped
// between the fulfilment's commit and the capture. The periodic order job
// runs it; the capture key is the same as fulfilment's, so the provider
// never captures twice. It reports how many it captured.
func (s *Service) CaptureFulfilled(ctx context.Context) (int, error) {
	if s.pay == nil {
		return 0, nil
	}
	var ids []string
	err := s.db.Conn(ctx).Model(&orderRow{}).
		Where("status IN ? AND payment_status = ? AND fulfillment_status IN ?",
			[]string{StatusConfirmed, StatusCompleted}, PaymentAuthorized,
			[]string{FulfillmentFulfilled, FulfillmentShipped, FulfillmentDelivered}).
		Order("id").Limit(100).Pluck("id", &ids).Error
	if err != nil {
		return 0, fmt.Errorf("list orders to capture: %w", err)
	}
	n := 0
	var failed []error
	for _, id := range ids {
		if err := s.capture(ctx, id, systemActor); err != nil {
			failed = append(failed, fmt.Errorf("capture %s: %w", id, err))
			continue
		}
		n++
	}
	return n, errors.Join(failed...)
}
