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
//   - test: on unless DisableTestProvider (STOREKEEP_TEST_PAYMENTS=off; turn
//     it off in production). Its webhook secret is TestSecret
//     (STOREKEEP_TEST_PAYMENTS_SECRET), or, when empty, derived from the JWT
//     secret (payments.TestWebhookSecret) so it is stable per install;
//   - stripe: registered only when StripeAPIKey is set; webhooks are verified
//     with StripeWebhookSecret; StripeAPIBase points it at stripe-mock or
//     another base URL.
func registerPayments(r *web.Router, opts Options) (*payments.Service, error) {
	popts := []payments.Option{payments.WithLogger(opts.Log)}
	pc := opts.Payments
	if !pc.DisableTestProvider {
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
	}
	if !pc.DisableTestProvider {
		opts.Log.Warn("the test payment provider is on: tok_visa pays without money; set STOREKEEP_TEST_PAYMENTS=off in production")
	}
	if pc.StripeAPIKey != "" && pc.StripeWebhookSecret == "" {
		// Without a secret every forged event would verify (an empty HMAC key).
		return nil, errors.New("STRIPE_WEBHOOK_SECRET is required when STRIPE_API_KEY is set")
	}
	if pc.StripeAPIKey != "" {
		popts = append(popts, payments.WithProvider(
			payments.NewStripe(pc.StripeAPIKey, pc.StripeWebhookSecret, pc.StripeAPIBase)))
	}
	svc := payments.NewService(opts.DB, popts...)
	webhooks.RegisterPayments(r, svc)
	// Webhooks that raced their checkout are applied by a periodic sweep.
	payments.RegisterJobs(opts.Jobs, svc)
	return svc, nil
}
