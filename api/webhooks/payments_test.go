package webhooks_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/payments"
	"storekeep/internal/platform/money"
)

var jwtSecret = []byte("webhook-test-jwt-secret-webhook-test-jwt-secret")

// harness starts the server with a known JWT secret, so the test provider's
// derived webhook secret is known too, and returns a test provider signing
// with it plus a payments service over the same database to set up and read
// payments (there is no payment route of its own).
func harness(t *testing.T) (*apitest.Harness, *payments.TestProvider, *payments.Service) {
	t.Helper()
	h := apitest.New(t, func(o *api.Options) { o.JWTSecret = jwtSecret })
	tp := payments.NewTestProvider(payments.TestWebhookSecret(jwtSecret))
	return h, tp, payments.NewService(h.DB, payments.WithProvider(tp))
}

func eur(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: "EUR"} }

// pendingPayment records a tok_async payment of 25.00 EUR.
func pendingPayment(t *testing.T, svc *payments.Service) payments.Payment {
	t.Helper()
	a, err := svc.Authorize(t.Context(), payments.AuthorizeInput{Provider: "test", Method: payments.MethodBNPL,
		Token: payments.TokenAsync, Amount: eur(2500), Reference: "order_web"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Record(t.Context(), "order_web", a)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func deliver(h *apitest.Harness, provider string, body []byte, signature string) *apitest.Response {
	return h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/webhooks/payments/" + provider, Body: body,
		Header: map[string]string{payments.TestSignatureHeader: signature}})
}

func status(t *testing.T, svc *payments.Service, id string) payments.Status {
	t.Helper()
	p, err := svc.Get(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Status
}

func TestPaymentWebhookConfirmsAPendingPayment(t *testing.T) {
	t.Parallel()
	h, tp, svc := harness(t)
	p := pendingPayment(t, svc)
	body := tp.WebhookBody("evt_http_1", payments.TestEventSucceeded, p.ProviderRef, eur(2500))
	sig := tp.SignWebhook(body, time.Now())

	res := deliver(h, "test", body, sig)
	res.Expect(t, http.StatusOK)
	var got map[string]any
	res.JSON(t, &got)
	if d := cmp.Diff(map[string]any{"received": true}, got); d != "" {
		t.Errorf("body (-want +got):\n%s", d)
	}
	if st := status(t, svc, p.ID); st != payments.StatusCaptured {
		t.Fatalf("status = %s, want captured", st)
	}
	// Redeliveries (the provider retries) answer 200 and change nothing.
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() { deliver(h, "test", body, sig).Expect(t, http.StatusOK) })
	}
	wg.Wait()
	if d := cmp.Diff(map[string]int64{"payment_webhook_events": 1}, h.RowCounts(t, "payment_webhook_events")); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
}

func TestPaymentWebhookRejectsBadDeliveriesAndWritesNothing(t *testing.T) {
	t.Parallel()
	h, tp, svc := harness(t)
	p := pendingPayment(t, svc)
	body := tp.WebhookBody("evt_http_2", payments.TestEventSucceeded, p.ProviderRef, eur(2500))
	wrong := payments.NewTestProvider("some other secret")
	tables := []string{"payments", "payment_transactions", "payment_webhook_events"}
	before := h.RowCounts(t, tables...)
	tests := []struct {
		name, provider, signature, code string
		body                            []byte
		status                          int
	}{
		{"tampered body", "test", tp.SignWebhook(body, time.Now()), "invalid_signature",
			[]byte(strings.Replace(string(body), "2500", "2", 1)), http.StatusBadRequest},
		{"stale timestamp", "test", tp.SignWebhook(body, time.Now().Add(-10*time.Minute)), "invalid_signature", body, http.StatusBadRequest},
		{"wrong secret", "test", wrong.SignWebhook(body, time.Now()), "invalid_signature", body, http.StatusBadRequest},
		{"no signature", "test", "", "invalid_signature", body, http.StatusBadRequest},
		{"signed junk", "test", tp.SignWebhook([]byte(`[1,2]`), time.Now()), "invalid_signature", []byte(`[1,2]`), http.StatusBadRequest},
		{"unknown provider", "acme", tp.SignWebhook(body, time.Now()), "not_found", body, http.StatusNotFound},
		{"stripe not configured", "stripe", tp.SignWebhook(body, time.Now()), "not_found", body, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deliver(h, tt.provider, tt.body, tt.signature).ExpectProblem(t, tt.status, tt.code)
		})
	}
	if d := cmp.Diff(before, h.RowCounts(t, tables...)); d != "" {
		t.Errorf("rejected webhooks wrote rows (-before +after):\n%s", d)
	}
	if st := status(t, svc, p.ID); st != payments.StatusPending {
		t.Errorf("status = %s, want pending", st)
	}
}

func TestPaymentWebhookAmountMismatchDoesNotConfirm(t *testing.T) {
	t.Parallel()
	h, tp, svc := harness(t)
	p := pendingPayment(t, svc)
	body := tp.WebhookBody("evt_http_3", payments.TestEventSucceeded, p.ProviderRef, eur(1))
	deliver(h, "test", body, tp.SignWebhook(body, time.Now())).Expect(t, http.StatusOK)
	got, err := svc.Get(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != payments.StatusPending || got.ReviewReason != payments.OutcomeAmountMismatch {
		t.Errorf("payment = %+v, want pending and flagged", got)
	}
}
