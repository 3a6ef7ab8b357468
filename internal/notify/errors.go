package notify

import "storekeep/internal/platform/errs"

// Errors of notifications.
var (
	// ErrTemplateNotFound is the 404 for a template name that does not exist.
	ErrTemplateNotFound = errs.New(errs.NotFound, "not_found", "the template does not exist")
	// ErrMessageNotFound is the 404 for an unknown message id.
	ErrMessageNotFound = errs.New(errs.NotFound, "not_found", "the message does not exist")
	// ErrTemplateInvalid is the 422 for a template that does not parse or
	// does not render against its sample data (errors[] names the part).
	ErrTemplateInvalid = errs.New(errs.Unprocessable, "template_invalid", "the template does not render")
	// ErrNoRecipient is returned by Send for a message with no usable
	// address (none given and none on the customer).
	ErrNoRecipient = errs.New(errs.Unprocessable, "no_recipient", "the message has no recipient address")
)
