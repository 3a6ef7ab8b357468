package api

import (
	"errors"

	"storekeep/api/web"
	"storekeep/api/webhooks"
	"storekeep/internal/payments"
)

// registerPayments builds the payments service with its providers and wires
// the provider webhook route and the orphan-event sweep. The returned
// service is what checkout and orders call.
//
// Providers (see docs/payments.md), from opts.Payments (read from the
// environment by main, see config.go):
//   - test: only when EnableTestProvider (tests, --demo, or
//     STOREKEEP_TEST_PAYMENTS=on), with a warning, since tok_visa pays
//     without money. Its webhook secret is TestSecret
//     (STOREKEEP_TEST_PAYMENTS_SECRET), or, when empty, derived from the JWT
//     secret (payments.TestWebhookSecret) so it is stable per install;
//   - stripe: registered only when StripeAPIKey is set; webhooks are verified
//     with StripeWebhookSecret; StripeAPIBase points it at stripe-mock or
//     another base URL.
//
// One info line at start lists the providers that take payments.
func registerPayments(r *web.Router, opts Options) (*payments.Service, error) {
	// The manual provider (cash, external terminals) calls nothing: always
	// on, for staff orders only (checkout refuses it).
	popts := []payments.Option{payments.WithLogger(opts.Log), payments.WithProvider(payments.NewManualProvider())}
	pc := opts.Payments
	if pc.StripeAPIKey != "" && pc.StripeWebhookSecret == "" {
		// Without a secret every forged event would verify (an empty HMAC key).
		return nil, errors.New("STRIPE_WEBHOOK_SECRET is required when STRIPE_API_KEY is set")
	}
	active := []string{}
	if pc.EnableTestProvider {
		secret := pc.TestSecret
		if secret == "" {
			secret = payments.TestWebhookSecret(opts.JWTSecret)
		}
		tp := payments.NewTestProvider(secret)
		if pc.TestJournal != "" {
			if err := tp.OpenJournal(pc.TestJournal); err != nil {
				return nil, err
			}
		}
		popts = append(popts, payments.WithProvider(tp))
		active = append(active, "test")
	}
	if pc.StripeAPIKey != "" {
		popts = append(popts, payments.WithProvider(
			payments.NewStripe(pc.StripeAPIKey, pc.StripeWebhookSecret, pc.StripeAPIBase)))
		active = append(active, "stripe")
	}
	opts.Log.Info("payment providers", "providers", active)
	if pc.EnableTestProvider {
		opts.Log.Warn("the test payment provider is on: tok_visa pays without money; it is for tests and the demo only (STOREKEEP_TEST_PAYMENTS=off turns it off)")
	}
	if len(active) == 0 {
		opts.Log.Warn("no payment provider is configured: every checkout is refused until STRIPE_API_KEY is set")
	}
	svc := payments.NewService(opts.DB, popts...)
	webhooks.RegisterPayments(r, svc)
	// Webhooks that raced their checkout are applied by a periodic sweep.
	payments.RegisterJobs(opts.Jobs, svc)
	return svc, nil
}
