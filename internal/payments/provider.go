package payments

import (
	"context"
	"net/http"

	"storekeep/internal/platform/money"
)

// Status is a payment's state.
type Status string

// The payment statuses. Legal moves are in transitions.go.
const (
	StatusPending           Status = "pending"
	StatusAuthorized        Status = "authorized"
	StatusCaptured          Status = "captured"
	StatusPartiallyRefunded Status = "partially_refunded"
	StatusRefunded          Status = "refunded"
	StatusVoided            Status = "voided"
	StatusFailed            Status = "failed"
	// StatusRequiresAction is a provider's answer only, never a recorded
	// payment's status: the shopper must act (3-D Secure, a redirect to
	// PayPal or Klarna) before the payment is authorised. Result.NextAction
	// says what to do (actions.go).
	StatusRequiresAction Status = "requires_action"
)

// Methods a shopper may pay with. Every provider accepts each of them; what a
// method means at the provider is the provider's business (Stripe maps them
// to payment method types).
const (
	MethodCard     = "card"
	MethodPayPal   = "paypal"
	MethodApplePay = "apple_pay"
	MethodBNPL     = "bnpl"
)

// Methods lists the accepted payment methods.
var Methods = []string{MethodCard, MethodPayPal, MethodApplePay, MethodBNPL}

// ValidMethod reports whether m is an accepted payment method.
func ValidMethod(m string) bool {
	for _, x := range Methods {
		if x == m {
			return true
		}
	}
	return false
}

// Provider is a payment service provider. Implementations never touch the
// database; the Service calls them outside any transaction.
//
// A decline is not a Go error: it is a Result with Status failed and a
// DeclineCode. Errors are for bad input (an *errs.Error of kind
// Unprocessable, such as ErrInvalidToken) and for transport or provider
// failures (ErrProviderUnavailable), after which the outcome is unknown and
// the same idempotency key must be used to retry.
type Provider interface {
	// Name is the provider's name in routes and rows: "test", "stripe".
	Name() string
	// Authorize asks for the money (and captures it at once when in.Capture).
	Authorize(ctx context.Context, in AuthorizeRequest) (Result, error)
	// Capture takes amount (at most the authorised amount) of an authorisation.
	Capture(ctx context.Context, providerRef string, amount money.Amount, idemKey string) (Result, error)
	// Void cancels an uncaptured authorisation.
	Void(ctx context.Context, providerRef string, idemKey string) (Result, error)
	// Refund gives back amount of a captured payment; the Result's
	// ProviderRef is the refund's own reference.
	Refund(ctx context.Context, providerRef string, amount money.Amount, idemKey string) (Result, error)
	// ParseWebhook verifies the signature over the raw body and returns the
	// event, or ErrInvalidSignature (400). An event of a kind the service does
	// not act on comes back with an empty Status.
	ParseWebhook(header http.Header, body []byte) (WebhookEvent, error)
	// Lookup finds the payment the provider made for reference (our planned
	// order id), if any: the reconciliation of a checkout that died between
	// the authorisation and the order asks it, because the answer that
	// carried the provider's reference was lost.
	Lookup(ctx context.Context, reference string) (Found, bool, error)
}

// Found is a payment a provider reports for one of our references.
type Found struct {
	// Result carries the provider's reference and the payment's status.
	Result Result
	// Amount is what was authorised; Captured what of it was captured.
	Amount, Captured money.Amount
}

// AuthorizeRequest is one authorisation sent to a provider.
type AuthorizeRequest struct {
	Amount money.Amount
	// Method is one of Methods; Token is the provider's payment token
	// (tok_visa for the test provider, pm_card_visa for Stripe).
	Method, Token string
	// Reference is ours (the order id), shown at the provider.
	Reference string
	// IdempotencyKey is passed to the provider: the same key returns the
	// first result without a second authorisation.
	IdempotencyKey string
	// Capture asks for immediate capture.
	Capture bool
	// ReturnURL is where the provider sends the shopper back after a
	// redirect or a 3-D Secure page (validated by the caller).
	ReturnURL string
}

// Result is a provider's answer to an operation.
type Result struct {
	// ProviderRef identifies the payment (or, for a refund, the refund) at
	// the provider.
	ProviderRef string
	// Status is the payment's status at the provider after the operation;
	// StatusFailed means declined.
	Status Status
	// DeclineCode says why a failed operation was declined (card_declined).
	DeclineCode string
	// Message is the provider's human-readable explanation, if any.
	Message string
	// NextAction is what the shopper must do when Status is
	// StatusRequiresAction.
	NextAction *NextAction `json:",omitempty"`
}

// Declined reports whether the provider declined the operation.
func (r Result) Declined() bool { return r.Status == StatusFailed }

// WebhookEvent is a verified provider event about a payment.
type WebhookEvent struct {
	// ID is the provider's event id, used to apply each event once.
	ID string
	// Type is the provider's event type, kept for the record.
	Type string
	// ProviderRef is the payment the event is about.
	ProviderRef string
	// Status is what the event says the payment became; empty for events
	// the service ignores.
	Status Status
	// Amount is the amount as the provider reports it; the service checks it
	// against the payment before changing anything.
	Amount money.Amount
	// DeclineCode says why, for a failed payment.
	DeclineCode string
}
