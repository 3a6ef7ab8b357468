package webhooks

import "storekeep/internal/platform/errs"

// Errors of the webhooks domain.
var (
	// ErrNotFound is a webhook (or delivery) that does not exist.
	ErrNotFound = errs.New(errs.NotFound, "not_found", "the webhook does not exist")
	// ErrDeliveryNotFound is a delivery that is not in this webhook's log.
	ErrDeliveryNotFound = errs.New(errs.NotFound, "not_found", "the delivery does not exist")
	// ErrURLNotAllowed is a URL the server refuses to call: not https (or
	// http when allowed), or a host that is or resolves to an internal
	// address. errors[0] on the url field says why.
	ErrURLNotAllowed = errs.New(errs.Unprocessable, "webhook_url_not_allowed",
		"the webhook URL is not allowed: it must be a public https URL")
	// ErrDisabled is a redelivery asked of a disabled webhook.
	ErrDisabled = errs.New(errs.Conflict, "webhook_disabled",
		"the webhook is disabled: re-enable it (active: true) before redelivering")
)
