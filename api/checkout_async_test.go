package api_test

import (
	"net/http"
	"testing"
	"time"

	"storekeep/api/apitest"
	"storekeep/internal/orders"
	"storekeep/internal/payments"
	"storekeep/internal/platform/money"
)

// testProvider signs webhooks the way the server's test provider checks
// them (its secret derives from the harness's JWT secret).
var testProvider = payments.NewTestProvider(payments.TestWebhookSecret(apitest.JWTSecret))

// asyncOrder checks out with tok_async and returns the pending order and
// its payment's provider reference.
func asyncOrder(t *testing.T, s *shop) (orders.Order, string) {
	t.Helper()
	p := s.customer()
	p.newCart()
	p.add(s.small, 2)
	p.ready()
	var out struct {
		Order orders.Order `json:"order"`
	}
	p.checkout("async-1", "tok_async").Expect(t, http.StatusCreated).JSON(t, &out)
	o := out.Order
	if o.Status != orders.StatusPending || o.PaymentStatus != orders.PaymentPending || o.ExpiresAt == nil {
		t.Fatalf("async order = %+v", o)
	}
	var ref string
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT provider_ref FROM payments WHERE order_id = ?`, o.ID).
		Scan(&ref).Error; err != nil || ref == "" {
		t.Fatalf("payment ref %q: %v", ref, err)
	}
	return o, ref
}

func webhook(t *testing.T, s *shop, eventID, typ, ref string, amount money.Amount) *apitest.Response {
	t.Helper()
	body := testProvider.WebhookBody(eventID, typ, ref, amount)
	return s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/webhooks/payments/test", Body: body,
		Header: map[string]string{payments.TestSignatureHeader: testProvider.SignWebhook(body, time.Now())}})
}

// TestAsyncPaymentConfirmedByWebhook: tok_async leaves the order pending
// with its stock held; the provider's signed webhook confirms it, once.
func TestAsyncPaymentConfirmedByWebhook(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0)
	o, ref := asyncOrder(t, s)
	if got := s.available(s.small); got != 8 {
		t.Fatalf("available while pending = %d, want 8", got)
	}
	for range 2 { // the same event twice changes nothing the second time
		webhook(t, s, "evt_async_1", "payment.succeeded", ref, o.Total).Expect(t, http.StatusOK)
	}
	var got orders.Order
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Status != orders.StatusConfirmed || got.PaymentStatus == orders.PaymentPending || got.ExpiresAt != nil {
		t.Fatalf("after the webhook: status %s payment %s expires %v", got.Status, got.PaymentStatus, got.ExpiresAt)
	}
	var evs struct {
		Data []orders.Event `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID+"/events", nil).Expect(t, http.StatusOK).JSON(t, &evs)
	confirmed := 0
	for _, e := range evs.Data {
		if e.Type == "order.status.confirmed" {
			confirmed++
		}
	}
	if confirmed != 1 {
		t.Errorf("timeline has %d confirmations, want 1: %+v", confirmed, evs.Data)
	}
	// The reservation no longer expires with the pending deadline.
	var expiring int64
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM reservations WHERE reference = ? AND status = 'active'
		AND expires_at < ?`, o.ID, time.Now().Add(24*time.Hour)).Scan(&expiring).Error; err != nil {
		t.Fatal(err)
	}
	if expiring != 0 {
		t.Error("the confirmed order's stock would still be released at the pending deadline")
	}
}

// TestAsyncPaymentFailureCancelsTheOrder: a failed payment event cancels the
// pending order and gives its stock back; a tampered event changes nothing.
func TestAsyncPaymentFailureCancelsTheOrder(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0)
	o, ref := asyncOrder(t, s)
	body := testProvider.WebhookBody("evt_bad", "payment.succeeded", ref, o.Total)
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/webhooks/payments/test", Body: body,
		Header: map[string]string{payments.TestSignatureHeader: testProvider.SignWebhook([]byte(`{"tampered":true}`), time.Now())}}).
		ExpectProblem(t, http.StatusBadRequest, "invalid_signature")

	webhook(t, s, "evt_async_fail", "payment.failed", ref, o.Total).Expect(t, http.StatusOK)
	var got orders.Order
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Status != orders.StatusCanceled || got.PaymentStatus != orders.PaymentFailed {
		t.Fatalf("after the failure: status %s payment %s", got.Status, got.PaymentStatus)
	}
	if a := s.available(s.small); a != 10 {
		t.Errorf("available after the failure = %d, want 10", a)
	}
}
