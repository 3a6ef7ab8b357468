package payments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// An operation (capture, void, refund) runs in three steps so that no
// database lock is held while the provider is called:
//
//  1. claim, in one transaction: a guarded conditional UPDATE of the payment
//     (checked by rows affected) plus a pending payment_transactions row,
//     unique per (payment, kind, derived key); concurrent claims that do not
//     fit fail here and never reach the provider;
//  2. the provider call, with the derived idempotency key;
//  3. settle, in a second transaction: the row becomes succeeded, or, when
//     the provider refused, failed and the claim is undone.
//
// When the provider's answer is unknown (timeout, 5xx) the claim stays
// pending and is marked outcomeUnknown: a retry with the same key resumes at
// step 2 with the same provider key, which the provider deduplicates.
// A pending claim not marked so is in flight; after claimTimeout it is
// presumed abandoned (crash) and a retry resumes it too.

// outcomeUnknown marks a pending claim whose provider call failed in transport.
const outcomeUnknown = "outcome_unknown"

// claimTimeout is how long a pending claim counts as in flight.
const claimTimeout = 30 * time.Second

// errAlreadyDone tells operate that the payment is already in the target
// state (a second void): nothing to do.
var errAlreadyDone = errors.New("payments: already done")

// op describes one kind of operation for operate.
type op struct {
	kind   string
	amount int64
	// claim validates and applies the guarded update; it returns the status
	// to restore on undo (void) or "".
	claim func(ctx context.Context, row paymentRow) (Status, error)
	// call asks the provider.
	call func(ctx context.Context, p Provider, row paymentRow, key string) (Result, error)
	// undo reverses claim after the provider refused.
	undo func(ctx context.Context, row paymentRow, t txRow) error
}

// Capture takes amount (at most the authorised amount, in the payment's
// currency) of an authorised payment: authorized -> captured. Without
// idemKey the capture is keyed on the payment (there is one capture).
func (s *Service) Capture(ctx context.Context, paymentID string, amount money.Amount, idemKey string) (Payment, error) {
	if idemKey == "" {
		idemKey = KindCapture
	}
	return s.operate(ctx, paymentID, idemKey, op{
		kind: KindCapture, amount: amount.Minor,
		claim: func(ctx context.Context, row paymentRow) (Status, error) {
			if err := checkAmount(row, amount); err != nil {
				return "", err
			}
			if row.Status != StatusAuthorized {
				return "", ErrPaymentState.WithDetail("a %s payment cannot be captured", row.Status)
			}
			if amount.Minor > row.Amount {
				return "", ErrCaptureExceedsAuthorized
			}
			return "", s.guarded(ctx, row.ID, "status = ? AND amount >= ?", []any{StatusAuthorized, amount.Minor},
				map[string]any{"status": StatusCaptured, "captured_amount": amount.Minor}, ErrPaymentState)
		},
		call: func(ctx context.Context, p Provider, row paymentRow, key string) (Result, error) {
			return p.Capture(ctx, row.ProviderRef, amount, key)
		},
		undo: func(ctx context.Context, row paymentRow, _ txRow) error {
			return s.guarded(ctx, row.ID, "status = ? AND refunded_amount = 0", []any{StatusCaptured},
				map[string]any{"status": StatusAuthorized, "captured_amount": 0}, nil)
		},
	})
}

// Void cancels an authorised or pending payment: -> voided. Voiding a voided
// payment is a no-op. Without idemKey the void is keyed on the payment.
func (s *Service) Void(ctx context.Context, paymentID, idemKey string) (Payment, error) {
	if idemKey == "" {
		idemKey = KindVoid
	}
	return s.operate(ctx, paymentID, idemKey, op{
		kind: KindVoid,
		claim: func(ctx context.Context, row paymentRow) (Status, error) {
			switch row.Status {
			case StatusVoided:
				return "", errAlreadyDone
			case StatusAuthorized, StatusPending:
			default:
				return "", ErrPaymentState.WithDetail("a %s payment cannot be voided", row.Status)
			}
			return row.Status, s.guarded(ctx, row.ID, "status = ?", []any{row.Status},
				map[string]any{"status": StatusVoided}, ErrPaymentState)
		},
		call: func(ctx context.Context, p Provider, row paymentRow, key string) (Result, error) {
			return p.Void(ctx, row.ProviderRef, key)
		},
		undo: func(ctx context.Context, row paymentRow, t txRow) error {
			return s.guarded(ctx, row.ID, "status = ?", []any{StatusVoided},
				map[string]any{"status": t.PrevStatus}, nil)
		},
	})
}

// Refund gives back amount of a captured payment. The refunded total never
// exceeds the captured amount (422 refund_exceeds_captured), even under
// concurrent refunds: only claims that fit reach the provider. The status
// becomes partially_refunded or refunded. Without idemKey every call is a
// new refund: callers should pass the request's Idempotency-Key.
func (s *Service) Refund(ctx context.Context, paymentID string, amount money.Amount, idemKey string) (Payment, error) {
	if idemKey == "" {
		idemKey = randomHex(16)
	}
	return s.operate(ctx, paymentID, idemKey, op{
		kind: KindRefund, amount: amount.Minor,
		claim: func(ctx context.Context, row paymentRow) (Status, error) {
			if err := checkAmount(row, amount); err != nil {
				return "", err
			}
			if row.Status != StatusCaptured && row.Status != StatusPartiallyRefunded {
				return "", ErrPaymentState.WithDetail("a %s payment cannot be refunded", row.Status)
			}
			// Compared as a difference: a huge amount cannot overflow it.
			if amount.Minor > row.CapturedAmount-row.RefundedAmount {
				return "", ErrRefundExceedsCaptured
			}
			// SET expressions read the row's old values, on both dialects.
			return "", s.guarded(ctx, row.ID,
				"status IN ? AND refunded_amount + ? <= captured_amount",
				[]any{[]Status{StatusCaptured, StatusPartiallyRefunded}, amount.Minor},
				map[string]any{
					"refunded_amount": gorm.Expr("refunded_amount + ?", amount.Minor),
					"status": gorm.Expr("CASE WHEN refunded_amount + ? = captured_amount THEN ? ELSE ? END",
						amount.Minor, StatusRefunded, StatusPartiallyRefunded),
				}, ErrRefundExceedsCaptured)
		},
		call: func(ctx context.Context, p Provider, row paymentRow, key string) (Result, error) {
			return p.Refund(ctx, row.ProviderRef, amount, key)
		},
		undo: func(ctx context.Context, row paymentRow, _ txRow) error {
			return s.guarded(ctx, row.ID, "refunded_amount >= ?", []any{amount.Minor},
				map[string]any{
					"refunded_amount": gorm.Expr("refunded_amount - ?", amount.Minor),
					"status": gorm.Expr("CASE WHEN refunded_amount - ? = 0 THEN ? ELSE ? END",
						amount.Minor, StatusCaptured, StatusPartiallyRefunded),
				}, nil)
		},
	})
}

func checkAmount(row paymentRow, amount money.Amount) error {
	if amount.Currency != row.Currency {
		return ErrCurrencyMismatch.WithFields(errs.FieldError{Field: "amount.currency", Message: "must be " + row.Currency})
	}
	if amount.Minor <= 0 {
		return errs.Invalidf("amount.amount", "must be positive")
	}
	return nil
}

// guarded runs UPDATE payments SET set, updated_at WHERE id AND where; no
// row changed means the guard failed: miss is returned (nil: ignore).
func (s *Service) guarded(ctx context.Context, paymentID, where string, args []any, set map[string]any, miss error) error {
	set["updated_at"] = s.now()
	res := s.db.Conn(ctx).Model(&paymentRow{}).Where("id = ?", paymentID).Where(where, args...).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("update payment: %w", res.Error)
	}
	if res.RowsAffected == 0 && miss != nil {
		return miss
	}
	return nil
}

// operate runs o on the payment: claim, provider call, settle.
func (s *Service) operate(ctx context.Context, paymentID, idemKey string, o op) (Payment, error) {
	if db.InTx(ctx) {
		return Payment{}, ErrInTransaction
	}
	key := deriveKey(o.kind, paymentID, idemKey)
	var (
		row  paymentRow
		t    txRow
		done bool
	)
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if row, err = s.row(ctx, paymentID); err != nil {
			return err
		}
		var prev txRow
		err = s.db.Conn(ctx).Where("payment_id = ? AND kind = ? AND idempotency_key = ?", paymentID, o.kind, key).Take(&prev).Error
		switch {
		case err == nil:
			t, done, err = s.resume(ctx, prev)
			return err
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return fmt.Errorf("load payment transaction: %w", err)
		}
		prevStatus, err := o.claim(ctx, row)
		if errors.Is(err, errAlreadyDone) {
			done = true
			return nil
		}
		if err != nil {
			return err
		}
		now := s.now()
		t = txRow{ID: id.New("ptx"), PaymentID: row.ID, Kind: o.kind, Status: TxPending, Currency: row.Currency,
			Amount: o.amount, IdempotencyKey: key, PrevStatus: prevStatus, CreatedAt: now, UpdatedAt: now}
		if o.kind == KindVoid {
			t.Amount = row.Amount
		}
		if err := s.db.Conn(ctx).Create(&t).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return ErrInProgress // the same key claimed concurrently: rolls this claim back
			}
			return fmt.Errorf("insert payment transaction: %w", err)
		}
		return nil
	})
	if err != nil {
		return Payment{}, err
	}
	if done {
		return s.Get(ctx, paymentID)
	}
	p, ok := s.providers[row.Provider]
	if !ok {
		return Payment{}, ErrProviderUnavailable.WithDetail("payment provider %q is not configured", row.Provider)
	}
	res, callErr := o.call(ctx, p, row, key)
	// Settle even if the caller went away: the provider may have moved money.
	ctx = context.WithoutCancel(ctx)
	if err := s.settle(ctx, row, t, res, callErr, o); err != nil {
		return Payment{}, err
	}
	return s.Get(ctx, paymentID)
}

// resume decides what a second request with the same key does: replay a
// finished operation, refuse one in flight, or take over one whose outcome
// is unknown (with a guarded update, so only one retry calls the provider).
func (s *Service) resume(ctx context.Context, prev txRow) (txRow, bool, error) {
	switch prev.Status {
	case TxSucceeded:
		return prev, true, nil
	case TxFailed:
		if prev.DeclineCode != "" {
			return prev, false, ErrDeclined.WithDetail("the payment provider declined the %s: %s", prev.Kind, prev.DeclineCode)
		}
		return prev, false, ErrProviderRejected.WithDetail("the payment provider refused this %s", prev.Kind)
	}
	now := s.now()
	res := s.db.Conn(ctx).Model(&txRow{}).
		Where("id = ? AND status = ? AND (decline_code = ? OR updated_at < ?)", prev.ID, TxPending, outcomeUnknown, now.Add(-claimTimeout)).
		Updates(map[string]any{"decline_code": "", "updated_at": now})
	if res.Error != nil {
		return prev, false, fmt.Errorf("resume payment transaction: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return prev, false, ErrInProgress
	}
	return prev, false, nil
}

// settle records the provider's answer: success, a refusal (claim undone) or
// an unknown outcome (claim kept, marked for resumption).
func (s *Service) settle(ctx context.Context, row paymentRow, t txRow, res Result, callErr error, o op) error {
	now := s.now()
	if callErr != nil {
		if _, ok := errs.As(callErr); !ok || errors.Is(callErr, ErrProviderUnavailable) {
			err := s.db.Conn(ctx).Model(&txRow{}).Where("id = ? AND status = ?", t.ID, TxPending).
				Updates(map[string]any{"decline_code": outcomeUnknown, "updated_at": now}).Error
			if err != nil {
				s.log.ErrorContext(ctx, "mark payment operation unknown", "payment_id", row.ID, "error", err.Error())
			}
			return providerErr(callErr)
		}
	}
	failed := callErr != nil || res.Declined()
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		set := map[string]any{"status": TxSucceeded, "provider_ref": res.ProviderRef, "decline_code": "", "updated_at": now}
		if failed {
			set = map[string]any{"status": TxFailed, "decline_code": res.DeclineCode, "updated_at": now}
		}
		// Guarded: a claim is settled (and undone) once, whoever gets here first.
		upd := s.db.Conn(ctx).Model(&txRow{}).Where("id = ? AND status = ?", t.ID, TxPending).Updates(set)
		if upd.Error != nil {
			return fmt.Errorf("settle payment transaction: %w", upd.Error)
		}
		if upd.RowsAffected == 1 && failed {
			return o.undo(ctx, row, t)
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case callErr != nil:
		return callErr
	case failed:
		return ErrDeclined.WithDetail("the payment provider declined the %s: %s", o.kind, res.DeclineCode)
	}
	return nil
}
