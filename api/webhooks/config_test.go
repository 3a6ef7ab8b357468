package webhooks_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/payments"
	"storekeep/internal/platform/dbtest"
)

// These tests check the wiring in api/routes_payments.go (api.PaymentOptions).

func TestStripeWebhookRouteWhenStripeIsConfigured(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, func(o *api.Options) {
		o.Payments = api.PaymentOptions{StripeAPIKey: "sk_test_123", StripeWebhookSecret: "whsec_route_test",
			StripeAPIBase: "http://127.0.0.1:9"} // never called here
	})
	svc := payments.NewService(h.DB, payments.WithProvider(payments.NewStripe("sk_test_123", "whsec_route_test", "")))
	p, err := svc.Record(t.Context(), "order_stripe", payments.Authorization{Provider: "stripe", Method: payments.MethodCard,
		Amount: eur(4200), Result: payments.Result{ProviderRef: "pi_route", Status: payments.StatusPending}})
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Appendf(nil, `{"id":"evt_route","object":"event","api_version":"2020-08-27","type":"payment_intent.amount_capturable_updated",`+
		`"data":{"object":{"id":"pi_route","object":"payment_intent","amount":4200,"amount_capturable":4200,"currency":"eur","status":"requires_capture"}}}`)
	sign := func(secret string) string {
		return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: time.Now()}).Header
	}
	send := func(sig string) *apitest.Response {
		return h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/webhooks/payments/stripe", Body: body,
			Header: map[string]string{payments.StripeSignatureHeader: sig}})
	}
	send(sign("whsec_wrong")).ExpectProblem(t, http.StatusBadRequest, "invalid_signature")
	if st := status(t, svc, p.ID); st != payments.StatusPending {
		t.Fatalf("status after a bad signature = %s", st)
	}
	send(sign("whsec_route_test")).Expect(t, http.StatusOK)
	send(sign("whsec_route_test")).Expect(t, http.StatusOK) // redelivery
	if st := status(t, svc, p.ID); st != payments.StatusAuthorized {
		t.Errorf("status = %s, want authorized", st)
	}
}

func TestTestProviderConfiguration(t *testing.T) {
	t.Run("explicit secret", func(t *testing.T) {
		h := apitest.New(t, func(o *api.Options) {
			o.JWTSecret = jwtSecret
			o.Payments.TestSecret = "explicit-secret"
		})
		body := []byte(`{"id":"evt_cfg","type":"payment.succeeded","provider_ref":"tp_none","amount":{"amount":1,"currency":"EUR"}}`)
		derived := payments.NewTestProvider(payments.TestWebhookSecret(jwtSecret))
		explicit := payments.NewTestProvider("explicit-secret")
		deliver(h, "test", body, derived.SignWebhook(body, time.Now())).ExpectProblem(t, http.StatusBadRequest, "invalid_signature")
		deliver(h, "test", body, explicit.SignWebhook(body, time.Now())).Expect(t, http.StatusOK)
	})
	t.Run("turned off", func(t *testing.T) {
		h := apitest.New(t, func(o *api.Options) { o.Payments.EnableTestProvider = false })
		tp := payments.NewTestProvider(payments.TestWebhookSecret([]byte("x")))
		body := []byte(`{}`)
		deliver(h, "test", body, tp.SignWebhook(body, time.Now())).ExpectProblem(t, http.StatusNotFound, "not_found")
	})
}

// TestStripeNeedsAWebhookSecret: an API key without a webhook secret would
// accept forged events (an empty HMAC key), so the server refuses to start.
func TestStripeNeedsAWebhookSecret(t *testing.T) {
	t.Parallel()
	_, err := api.New(api.Options{DB: dbtest.New(t), JWTSecret: jwtSecret,
		Payments: api.PaymentOptions{StripeAPIKey: "sk_test_123"}})
	if err == nil || !strings.Contains(err.Error(), "STRIPE_WEBHOOK_SECRET") {
		t.Fatalf("api.New = %v, want a refusal naming STRIPE_WEBHOOK_SECRET", err)
	}
}
