package payments

import (
	"context"
	"net/url"
	"strings"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
)

// Payments that need the shopper. A provider may answer an authorisation
// with StatusRequiresAction and a NextAction: the shopper authenticates
// (3-D Secure) or approves the payment on the provider's page (PayPal,
// Klarna), then comes back. Nothing is recorded here until then: checkout
// keeps the cart and its stock for the action (internal/checkout/actions.go),
// asks the provider again with Refresh when the app comes back, or places
// the order when the provider's webhook says the payment succeeded (an
// UnclaimedHook).

// Next action types, as the API shows them.
const (
	// NextActionRedirect: send the shopper to URL; the provider sends them
	// back to the checkout's return_url.
	NextActionRedirect = "redirect_to_url"
	// NextActionUseSDK: hand ClientSecret to the provider's SDK (Stripe.js
	// handleNextAction, the iOS and Android SDKs), which shows the
	// challenge in the app.
	NextActionUseSDK = "use_sdk"
)

// NextAction is what the shopper must do to finish a payment.
type NextAction struct {
	// Type is redirect_to_url or use_sdk.
	Type string `json:"type" binding:"required" enums:"redirect_to_url,use_sdk" example:"redirect_to_url"`
	// URL is the page to send the shopper to (redirect_to_url).
	URL string `json:"url,omitempty" example:"https://hooks.stripe.com/3d_secure_2/hosted?merchant=acct_1"`
	// ClientSecret lets the provider's SDK finish the payment (use_sdk).
	ClientSecret string `json:"client_secret,omitempty" example:"pi_3Nx_secret_9f2"`
} // @name PaymentNextAction

// Refresher is a provider that can say where a payment stands now (the
// test provider and Stripe): after the shopper acted, checkout asks it
// rather than waiting for the webhook.
type Refresher interface {
	Refresh(ctx context.Context, providerRef string) (Result, error)
}

// Refresh asks the provider for the payment's current status. It must not
// be called with a transaction in ctx.
func (s *Service) Refresh(ctx context.Context, provider, providerRef string) (Result, error) {
	if db.InTx(ctx) {
		return Result{}, ErrInTransaction
	}
	p, err := s.Provider(provider)
	if err != nil {
		return Result{}, err
	}
	rf, ok := p.(Refresher)
	if !ok {
		return Result{}, ErrProviderRejected.WithDetail("payment provider %q cannot report a payment's status", provider)
	}
	res, err := rf.Refresh(ctx, providerRef)
	if err != nil {
		return Result{}, providerErr(err)
	}
	return res, nil
}

// UnclaimedHook runs, inside a webhook's transaction, for a verified event
// about a provider reference no payment row has. It returns handled when it
// acted on the event (the payment id it recorded, if any); otherwise the
// event is kept as unknown_payment.
type UnclaimedHook func(ctx context.Context, provider string, ev WebhookEvent) (paymentID *string, handled bool, err error)

// OnUnclaimedEvent registers fn. Register at wiring time only.
func (s *Service) OnUnclaimedEvent(fn UnclaimedHook) { s.unclaimed = append(s.unclaimed, fn) }

// ErrReturnURLNotAllowed is a return_url that is neither https nor a
// custom app scheme on the allow-list: nothing is charged.
var ErrReturnURLNotAllowed = errs.New(errs.Unprocessable, "return_url_not_allowed",
	"return_url must be an https URL, or use an app scheme listed in STOREKEEP_PAYMENT_RETURN_URLS")

// CheckReturnURL accepts an absolute https URL with a host, or a URL whose
// scheme or prefix is on allowed (entries such as "myshop" or
// "myshop://checkout": an app's custom scheme, compared case-insensitively
// on the scheme). field names the input in the error.
func CheckReturnURL(raw string, allowed []string, field string) error {
	bad := func(msg string) error {
		return ErrReturnURLNotAllowed.WithFields(errs.FieldError{Field: field, Message: msg})
	}
	if len(raw) > 2048 {
		return bad("is longer than 2048 characters")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return bad("is not an absolute URL")
	}
	if strings.ContainsAny(raw, " \t\r\n") {
		return bad("contains white space")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme == "https" {
		if u.Host == "" || u.User != nil {
			return bad("must name a host (and no user name)")
		}
		return nil
	}
	for _, a := range allowed {
		a = strings.TrimSpace(a)
		as, rest, hasRest := strings.Cut(a, "://")
		if !strings.EqualFold(as, scheme) {
			continue
		}
		if !hasRest || rest == "" {
			return nil // the whole scheme is the app's
		}
		if _, after, ok := strings.Cut(raw, "://"); ok && strings.HasPrefix(after, rest) {
			return nil
		}
	}
	if scheme == "http" {
		return bad("must use https")
	}
	return bad("uses a scheme that is not on the allow-list")
}
