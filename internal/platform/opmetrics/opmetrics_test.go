package opmetrics

import (
	"errors"
	"fmt"
	"testing"

	"storekeep/internal/platform/errs"
)

func TestOutcome(t *testing.T) {
	for err, want := range map[error]string{
		errs.New(errs.PaymentFailed, "payment_declined", "no"):                         "payment_declined",
		fmt.Errorf("wrapped: %w", errs.New(errs.Conflict, "insufficient_stock", "no")): "insufficient_stock",
		errs.ErrValidation: "invalid",
		errs.ErrMalformed:  "invalid",
		errs.New(errs.Conflict, "checkout_in_progress", "busy"): "conflict",
		errs.New(errs.TooMany, "rate_limited", "slow down"):     "rate_limited",
		errs.ErrNotFound: "not_found",
		errs.New(errs.PaymentFailed, "payment_failed", "provider said no"): "declined",
		errors.New("disk on fire"):                            "error",
		errs.New(errs.Unavailable, "db_unavailable", "later"): "error",
	} {
		if got := Outcome(err); got != want {
			t.Errorf("Outcome(%v) = %q, want %q", err, got, want)
		}
	}
}
