package payments

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"storekeep/internal/platform/money"
)

// StripeSignatureHeader carries Stripe's webhook signature.
const StripeSignatureHeader = "Stripe-Signature"

// Stripe is the Stripe provider: one PaymentIntent per payment, confirmed at
// once with the shopper's payment method, captured later (capture_method
// manual) unless immediate capture is asked for.
type Stripe struct {
	sc            *stripe.Client
	webhookSecret string
}

var _ Provider = (*Stripe)(nil)

// StripeOption configures the Stripe provider.
type StripeOption func(*stripe.BackendConfig)

// WithStripeHTTPClient sets the HTTP client (tests record requests with it);
// the default has a 20 s timeout.
func WithStripeHTTPClient(c *http.Client) StripeOption {
	return func(cfg *stripe.BackendConfig) { cfg.HTTPClient = c }
}

// NewStripe returns the Stripe provider for apiKey, verifying webhooks with
// the endpoint's webhookSecret. backendURL overrides Stripe's API base (the
// stripe-mock URL in tests); empty means api.stripe.com.
func NewStripe(apiKey, webhookSecret, backendURL string, opts ...StripeOption) *Stripe {
	cfg := &stripe.BackendConfig{
		HTTPClient:    &http.Client{Timeout: 20 * time.Second},
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
		// Retries reuse the idempotency key, so they are safe; keep them few
		// so a request does not outlive its own deadline.
		MaxNetworkRetries: stripe.Int64(1),
	}
	if backendURL != "" {
		cfg.URL = stripe.String(strings.TrimRight(backendURL, "/"))
	}
	for _, o := range opts {
		o(cfg)
	}
	return &Stripe{sc: stripe.NewClient(apiKey, stripe.WithBackends(stripe.NewBackendsWithConfig(cfg))), webhookSecret: webhookSecret}
}

// Name implements Provider.
func (s *Stripe) Name() string { return "stripe" }

// stripeMethodTypes maps our methods to Stripe payment method types. Apple
// Pay is a card wallet at Stripe; bnpl is Klarna.
var stripeMethodTypes = map[string]string{
	MethodCard: "card", MethodApplePay: "card", MethodPayPal: "paypal", MethodBNPL: "klarna",
}

// Authorize implements Provider: POST /v1/payment_intents with confirm=true.
func (s *Stripe) Authorize(ctx context.Context, in AuthorizeRequest) (Result, error) {
	captureMethod := "manual"
	if in.Capture {
		captureMethod = "automatic"
	}
	params := &stripe.PaymentIntentCreateParams{
		Amount:             stripe.Int64(in.Amount.Minor),
		Currency:           stripe.String(strings.ToLower(in.Amount.Currency)),
		CaptureMethod:      stripe.String(captureMethod),
		Confirm:            stripe.Bool(true),
		PaymentMethod:      stripe.String(in.Token),
		PaymentMethodTypes: []*string{stripe.String(stripeMethodTypes[in.Method])},
		Metadata:           map[string]string{"storekeep_reference": in.Reference, "storekeep_method": in.Method},
	}
	if in.ReturnURL != "" {
		// Where 3-D Secure, PayPal or Klarna send the shopper back.
		params.ReturnURL = stripe.String(in.ReturnURL)
	}
	params.SetIdempotencyKey(in.IdempotencyKey)
	pi, err := s.sc.V1PaymentIntents.Create(ctx, params)
	if err != nil {
		return stripeFailure(err, true)
	}
	return stripeResult(pi), nil
}

// Capture implements Provider: POST /v1/payment_intents/{id}/capture.
func (s *Stripe) Capture(ctx context.Context, ref string, amount money.Amount, idemKey string) (Result, error) {
	params := &stripe.PaymentIntentCaptureParams{AmountToCapture: stripe.Int64(amount.Minor)}
	params.SetIdempotencyKey(idemKey)
	pi, err := s.sc.V1PaymentIntents.Capture(ctx, ref, params)
	if err != nil {
		return stripeFailure(err, false)
	}
	return stripeResult(pi), nil
}

// Void implements Provider: POST /v1/payment_intents/{id}/cancel.
func (s *Stripe) Void(ctx context.Context, ref string, idemKey string) (Result, error) {
	params := &stripe.PaymentIntentCancelParams{}
	params.SetIdempotencyKey(idemKey)
	pi, err := s.sc.V1PaymentIntents.Cancel(ctx, ref, params)
	if err != nil {
		return stripeFailure(err, false)
	}
	return stripeResult(pi), nil
}

// Refund implements Provider: POST /v1/refunds for the PaymentIntent.
func (s *Stripe) Refund(ctx context.Context, ref string, amount money.Amount, idemKey string) (Result, error) {
	params := &stripe.RefundCreateParams{PaymentIntent: stripe.String(ref), Amount: stripe.Int64(amount.Minor)}
	params.SetIdempotencyKey(idemKey)
	rf, err := s.sc.V1Refunds.Create(ctx, params)
	if err != nil {
		return stripeFailure(err, false)
	}
	r := Result{ProviderRef: rf.ID, Status: StatusRefunded}
	if rf.Status == stripe.RefundStatusFailed || rf.Status == stripe.RefundStatusCanceled {
		r.Status, r.DeclineCode = StatusFailed, string(rf.FailureReason)
		if r.DeclineCode == "" {
			r.DeclineCode = "refund_failed"
		}
	}
	return r, nil
}

// Lookup implements Provider: the PaymentIntent whose metadata carries
// reference, found with Stripe's search API. Search is eventually
// consistent (Stripe indexes new objects within about a minute); the
// reconciliation job asks only about checkouts older than the claim
// timeout, by which time the PaymentIntent is indexed.
func (s *Stripe) Lookup(ctx context.Context, reference string) (Found, bool, error) {
	params := &stripe.PaymentIntentSearchParams{}
	params.Query = "metadata['storekeep_reference']:'" + strings.ReplaceAll(reference, "'", "") + "'"
	for pi, err := range s.sc.V1PaymentIntents.Search(ctx, params) {
		if err != nil {
			_, ferr := stripeFailure(err, false)
			return Found{}, false, ferr
		}
		if pi.Metadata["storekeep_reference"] != reference {
			continue // a search hit is only a candidate
		}
		cur := strings.ToUpper(string(pi.Currency))
		return Found{Result: stripeResult(pi), Amount: money.Amount{Minor: pi.Amount, Currency: cur},
			Captured: money.Amount{Minor: pi.AmountReceived, Currency: cur}}, true, nil
	}
	return Found{}, false, nil
}

// StripeStatus maps a PaymentIntent status to ours.
func StripeStatus(st stripe.PaymentIntentStatus) Status {
	switch st {
	case stripe.PaymentIntentStatusRequiresCapture:
		return StatusAuthorized
	case stripe.PaymentIntentStatusSucceeded:
		return StatusCaptured
	case stripe.PaymentIntentStatusCanceled:
		return StatusVoided
	case stripe.PaymentIntentStatusRequiresPaymentMethod:
		// A confirmed intent back at requires_payment_method was declined.
		return StatusFailed
	case stripe.PaymentIntentStatusRequiresAction:
		// The shopper must act: answered with the next action, never left
		// as a silent pending payment.
		return StatusRequiresAction
	default: // processing, requires_confirmation
		return StatusPending
	}
}

// stripeNextAction is what the app does for a requires_action intent:
// follow Stripe's redirect (PayPal, Klarna, 3-D Secure with a return_url),
// or, for anything else (use_stripe_sdk: in-app 3-D Secure, wallets), let
// Stripe's SDK handle it with the intent's client secret.
func stripeNextAction(pi *stripe.PaymentIntent) *NextAction {
	if na := pi.NextAction; na != nil && na.Type == "redirect_to_url" && na.RedirectToURL != nil && na.RedirectToURL.URL != "" {
		return &NextAction{Type: NextActionRedirect, URL: na.RedirectToURL.URL, ClientSecret: pi.ClientSecret}
	}
	return &NextAction{Type: NextActionUseSDK, ClientSecret: pi.ClientSecret}
}

// Refresh implements Refresher: GET /v1/payment_intents/{id}. An intent
// the app has not confirmed yet (a payment session: requires_payment_method
// without a failed attempt, or requires_confirmation) still waits for the
// shopper's SDK: requires_action with use_sdk, not a decline or a pending
// payment.
func (s *Stripe) Refresh(ctx context.Context, ref string) (Result, error) {
	pi, err := s.sc.V1PaymentIntents.Retrieve(ctx, ref, &stripe.PaymentIntentRetrieveParams{})
	if err != nil {
		return stripeFailure(err, false)
	}
	if (pi.Status == stripe.PaymentIntentStatusRequiresPaymentMethod && pi.LastPaymentError == nil) ||
		pi.Status == stripe.PaymentIntentStatusRequiresConfirmation {
		return Result{ProviderRef: pi.ID, Status: StatusRequiresAction,
			NextAction: &NextAction{Type: NextActionUseSDK, ClientSecret: pi.ClientSecret}}, nil
	}
	return stripeResult(pi), nil
}

// CreateSession implements SessionProvider: POST /v1/payment_intents
// without confirm; the app confirms it with Stripe's SDK and the client
// secret. Stripe takes a return_url only when confirming, so it is kept in
// the metadata (storekeep_return_url) and the app passes it to its
// confirm call (docs/payments.md).
func (s *Stripe) CreateSession(ctx context.Context, in AuthorizeRequest) (Result, error) {
	captureMethod := "manual"
	if in.Capture {
		captureMethod = "automatic"
	}
	meta := map[string]string{"storekeep_reference": in.Reference, "storekeep_method": in.Method}
	if in.ReturnURL != "" {
		meta["storekeep_return_url"] = in.ReturnURL
	}
	params := &stripe.PaymentIntentCreateParams{
		Amount:             stripe.Int64(in.Amount.Minor),
		Currency:           stripe.String(strings.ToLower(in.Amount.Currency)),
		CaptureMethod:      stripe.String(captureMethod),
		PaymentMethodTypes: []*string{stripe.String(stripeMethodTypes[in.Method])},
		Metadata:           meta,
	}
	params.SetIdempotencyKey(in.IdempotencyKey)
	pi, err := s.sc.V1PaymentIntents.Create(ctx, params)
	if err != nil {
		return stripeFailure(err, false)
	}
	return Result{ProviderRef: pi.ID, Status: StatusRequiresAction,
		NextAction: &NextAction{Type: NextActionUseSDK, ClientSecret: pi.ClientSecret}}, nil
}

func stripeResult(pi *stripe.PaymentIntent) Result {
	r := Result{ProviderRef: pi.ID, Status: StripeStatus(pi.Status)}
	if r.Status == StatusRequiresAction {
		r.NextAction = stripeNextAction(pi)
	}
	if r.Status == StatusFailed {
		r.DeclineCode = "payment_failed"
		if e := pi.LastPaymentError; e != nil {
			r.DeclineCode, r.Message = declineCode(e), e.Msg
		}
	}
	return r
}

func declineCode(e *stripe.Error) string {
	if e.DeclineCode != "" {
		return string(e.DeclineCode)
	}
	if e.Code != "" {
		return string(e.Code)
	}
	return "card_declined"
}

// stripeFailure maps a stripe-go error: a card error is a decline (a
// Result, not an error); a bad payment method on authorisation is
// ErrInvalidToken; other 4xx are the provider refusing the operation; the
// rest (network, 5xx, rate limits) leave the outcome unknown.
func stripeFailure(err error, authorizing bool) (Result, error) {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return Result{}, ErrProviderUnavailable.WithDetail("stripe: %v", err)
	}
	switch {
	case se.Type == stripe.ErrorTypeCard:
		r := Result{Status: StatusFailed, DeclineCode: declineCode(se), Message: se.Msg}
		if se.PaymentIntent != nil {
			r.ProviderRef = se.PaymentIntent.ID
		}
		return r, nil
	case authorizing && se.Type == stripe.ErrorTypeInvalidRequest && se.Param == "payment_method":
		return Result{}, ErrInvalidToken
	case se.HTTPStatusCode >= 400 && se.HTTPStatusCode < 500 && se.HTTPStatusCode != http.StatusTooManyRequests:
		return Result{}, ErrProviderRejected.WithDetail("stripe refused the operation: %s", se.Msg)
	}
	return Result{}, ErrProviderUnavailable.WithDetail("stripe answered %d", se.HTTPStatusCode)
}

// stripeEvents maps the PaymentIntent events we act on to the status they
// announce.
var stripeEvents = map[stripe.EventType]Status{
	"payment_intent.amount_capturable_updated": StatusAuthorized,
	"payment_intent.succeeded":                 StatusCaptured,
	"payment_intent.payment_failed":            StatusFailed,
}

// ParseWebhook implements Provider with stripe-go's signature check (5 min
// tolerance). Events of other types come back with an empty Status.
func (s *Stripe) ParseWebhook(header http.Header, body []byte) (WebhookEvent, error) {
	e, err := webhook.ConstructEventWithOptions(body, header.Get(StripeSignatureHeader), s.webhookSecret,
		webhook.ConstructEventOptions{Tolerance: WebhookTolerance, IgnoreAPIVersionMismatch: true})
	if err != nil {
		return WebhookEvent{}, ErrInvalidSignature.WithDetail("stripe: %v", err)
	}
	ev := WebhookEvent{ID: e.ID, Type: string(e.Type)}
	st, ok := stripeEvents[e.Type]
	if !ok || e.Data == nil {
		return ev, nil
	}
	var pi stripe.PaymentIntent
	if err := json.Unmarshal(e.Data.Raw, &pi); err != nil || pi.ID == "" {
		return WebhookEvent{}, ErrInvalidSignature.WithDetail("stripe: the event carries no PaymentIntent")
	}
	ev.ProviderRef, ev.Status = pi.ID, st
	cur := strings.ToUpper(string(pi.Currency))
	switch st {
	case StatusAuthorized:
		ev.Amount = money.Amount{Minor: pi.AmountCapturable, Currency: cur}
	case StatusCaptured:
		ev.Amount = money.Amount{Minor: pi.AmountReceived, Currency: cur}
	case StatusFailed:
		ev.Amount = money.Amount{Minor: pi.Amount, Currency: cur}
		if pi.LastPaymentError != nil {
			ev.DeclineCode = declineCode(pi.LastPaymentError)
		}
	}
	return ev, nil
}
