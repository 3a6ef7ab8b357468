package orders

import (
	"context"
	"errors"
	"fmt"

	"storekeep/internal/inventory"
	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// cancelKey keys the provider operations that settle a canceled order's
// payment: every attempt (the request, the sweep job) is the same request
// at the provider, so money moves once.
const cancelKey = "order-cancel"

// Cancel cancels a pending or confirmed order of which nothing has been
// fulfilled yet (anything picked must be shipped and returned instead: 409
// invalid_status): in one transaction the status becomes canceled and the
// order's reservation is released; after the commit the payment is voided
// (authorised or pending) or refunded in full (captured). When the provider
// fails at that point the order stays canceled, the failure is written to
// the timeline and the expiry job settles the payment on its next run.
// Two concurrent cancels: one wins, the other is 409. Managers and admins.
func (s *Service) Cancel(ctx context.Context, actor auth.Actor, orderID string) (Order, error) {
	if err := canManage(actor); err != nil {
		return Order{}, err
	}
	if !id.Valid("order", orderID) {
		return Order{}, ErrOrderNotFound
	}
	if s.inv == nil || s.pay == nil {
		return Order{}, ErrNotConfigured
	}
	err := s.tx(ctx, func(ctx context.Context) error {
		return s.cancelLocked(ctx, orderID, actorName(actor), "order.canceled",
			"only pending or confirmed orders with nothing fulfilled can be canceled",
			"status IN ? AND fulfillment_status = ?", []string{StatusPending, StatusConfirmed}, FulfillmentUnfulfilled)
	})
	if err != nil {
		return Order{}, err
	}
	s.settleAfterCancel(ctx, orderID, actorName(actor))
	return s.orderByID(ctx, orderID)
}

// cancelLocked locks the order in the state where allows, cancels it,
// releases its stock and records why (in the caller's transaction).
func (s *Service) cancelLocked(ctx context.Context, orderID, actor, event, detail, where string, args ...any) error {
	o, err := s.lockOrder(ctx, orderID, detail, where, args...)
	if err != nil {
		return err
	}
	if err := s.Transition(ctx, orderID, MachineStatus, StatusCanceled, actor,
		map[string]any{"canceled_at": s.now()}); err != nil {
		return err
	}
	if o.ReservationID != nil {
		if _, err := s.inv.Release(ctx, *o.ReservationID); err != nil && !errors.Is(err, inventory.ErrReservationNotFound) {
			return err
		}
	}
	return s.record(ctx, orderID, event, actor, map[string]any{"from": o.Status})
}

// settleAfterCancel settles the payment of a just-canceled order, logging
// and recording a failure for the sweep to retry.
func (s *Service) settleAfterCancel(ctx context.Context, orderID, actor string) {
	if err := s.settleCanceled(ctx, orderID, actor); err != nil {
		s.log.ErrorContext(ctx, "settle canceled order payment", "order_id", orderID, "error", err.Error())
		if rerr := s.record(ctx, orderID, "payment.settle_failed", actor, map[string]any{"error": err.Error()}); rerr != nil {
			s.log.ErrorContext(ctx, "record settle failure", "order_id", orderID, "error", rerr.Error())
		}
	}
}

// settleCanceled gives back the money of a canceled order: every pending
// or authorised payment is voided and every capture refunded in full, with
// keys derived from the order so retries never move money twice. The
// order's payment_status then follows the payment. It calls the provider:
// never inside a transaction.
func (s *Service) settleCanceled(ctx context.Context, orderID, actor string) error {
	ps, err := s.pay.ForOrder(ctx, orderID)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		// A free order (total 0, no payment): nothing goes back, and its
		// "captured" becomes "refunded" so no sweep selects it again.
		return s.tx(ctx, func(ctx context.Context) error {
			err := s.Transition(ctx, orderID, MachinePayment, PaymentRefunded, actor, nil)
			if errors.Is(err, ErrInvalidTransition) {
				return nil
			}
			return err
		})
	}
	for _, p := range ps {
		switch p.Status {
		case payments.StatusPending, payments.StatusAuthorized:
			if p, err = s.pay.Void(ctx, p.ID, cancelKey); err != nil {
				return err
			}
		case payments.StatusCaptured, payments.StatusPartiallyRefunded:
			left := money.Amount{Minor: p.Captured.Minor - p.Refunded.Minor, Currency: p.Captured.Currency}
			if left.Minor > 0 {
				if p, err = s.refundPayment(ctx, orderID, p, left, "order canceled", nil, cancelKey+":"+p.ID, actor); err != nil {
					return err
				}
			}
		}
		if err := s.tx(ctx, func(ctx context.Context) error { return s.syncPayment(ctx, orderID, p, actor) }); err != nil {
			return err
		}
	}
	return nil
}

// refundPayment refunds amount of p at the provider (keyed by key), then,
// in one transaction, records the refund on the order (once per key),
// mirrors the payment status and writes the timeline.
func (s *Service) refundPayment(ctx context.Context, orderID string, p payments.Payment, amount money.Amount,
	reason string, returnID *string, key, actor string) (payments.Payment, error) {
	p, err := s.pay.Refund(ctx, p.ID, amount, key)
	if err != nil {
		return payments.Payment{}, err
	}
	err = s.tx(ctx, func(ctx context.Context) error {
		r, created, err := s.insertRefund(ctx, refundRow{ID: id.New("rfd"), OrderID: orderID, PaymentID: p.ID,
			ReturnID: returnID, Currency: amount.Currency, Amount: amount.Minor, Reason: reason, Actor: actor,
			IdempotencyKey: key, CreatedAt: s.now()})
		if err != nil {
			return err
		}
		if err := s.syncPayment(ctx, orderID, p, actor); err != nil {
			return err
		}
		if !created {
			return nil
		}
		if err := s.emit(ctx, EventRefundCreated, resourceRefund, r.ID); err != nil {
			return err
		}
		return s.record(ctx, orderID, "refund.created", actor, map[string]any{"refund_id": r.ID,
			"amount": r.Amount, "currency": r.Currency, "reason": r.Reason, "return_id": r.ReturnID})
	})
	if err != nil {
		return payments.Payment{}, fmt.Errorf("record refund: %w", err)
	}
	return p, nil
}
