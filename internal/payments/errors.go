package payments

import "storekeep/internal/platform/errs"

// Errors of the payments domain. Codes are stable (docs/api.md): clients and the
// orders domain switch on them.
var (
	// ErrUnknownProvider is a checkout naming a provider that is not
	// configured (422 on payment.provider).
	ErrUnknownProvider = errs.ErrValidation.WithFields(errs.FieldError{Field: "payment.provider", Message: "is not a configured payment provider"})
	// ErrUnknownMethod is a payment method no provider accepts (422 on payment.method).
	ErrUnknownMethod = errs.ErrValidation.WithFields(errs.FieldError{Field: "payment.method", Message: "must be one of card, paypal, apple_pay, bnpl"})
	// ErrInvalidToken is a payment token the provider does not know.
	ErrInvalidToken = errs.New(errs.Unprocessable, "invalid_payment_token", "the payment token is not valid for this provider").
			WithFields(errs.FieldError{Field: "payment.token", Message: "is not a valid payment token"})
	// ErrProviderNotFound is a webhook for a provider that is not configured.
	ErrProviderNotFound = errs.New(errs.NotFound, "not_found", "no such payment provider")
	// ErrProviderUnavailable is a transport or provider failure: the outcome
	// of the operation is unknown, retry with the same idempotency key.
	ErrProviderUnavailable = errs.New(errs.Unavailable, "payment_provider_unavailable", "the payment provider did not answer; retry with the same Idempotency-Key")
	// ErrProviderRejected is a provider refusing an operation for the state
	// the payment is in at the provider (already captured, unknown payment).
	ErrProviderRejected = errs.New(errs.Conflict, "payment_provider_rejected", "the payment provider refused the operation")
	// ErrDeclined is a capture or refund the provider declined.
	ErrDeclined = errs.New(errs.PaymentFailed, "payment_declined", "the payment provider declined the operation")
	// ErrInvalidSignature is a webhook whose signature, timestamp or body does not verify.
	ErrInvalidSignature = errs.New(errs.Invalid, "invalid_signature", "the webhook signature does not verify")
	// ErrPaymentNotFound is an unknown payment id.
	ErrPaymentNotFound = errs.New(errs.NotFound, "not_found", "no such payment")
	// ErrPaymentState is an operation the payment's status does not allow
	// (capturing twice, refunding an uncaptured payment).
	ErrPaymentState = errs.New(errs.Conflict, "payment_state_conflict", "the payment's status does not allow this")
	// ErrInProgress is the same operation (same idempotency key) still running.
	ErrInProgress = errs.New(errs.Conflict, "payment_operation_in_progress", "the same payment operation is in progress")
	// ErrRefundExceedsCaptured is a refund above what is left of the capture.
	ErrRefundExceedsCaptured = errs.New(errs.Unprocessable, "refund_exceeds_captured", "the refund exceeds the captured amount not yet refunded")
	// ErrCaptureExceedsAuthorized is a capture above the authorised amount.
	ErrCaptureExceedsAuthorized = errs.New(errs.Unprocessable, "capture_exceeds_authorized", "the capture exceeds the authorised amount")
	// ErrCurrencyMismatch is an amount in another currency than the payment.
	ErrCurrencyMismatch = errs.New(errs.Unprocessable, "currency_mismatch", "the amount's currency differs from the payment's")
	// ErrInTransaction is a programming error: provider calls must not run
	// while a database transaction is open.
	ErrInTransaction = errs.New(errs.Internal, "internal", "payments: provider call attempted inside a database transaction")
)
