package payments

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"
)

// recorded is one request the Stripe provider sent.
type recorded struct {
	Method, Path, IdempotencyKey string
	Form                         url.Values
	// Query is a GET's query string (search).
	Query url.Values
}

// recorder is an http.RoundTripper that keeps every request it forwards.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	form, _ := url.ParseQuery(string(body))
	var query url.Values
	if req.URL.RawQuery != "" {
		query = req.URL.Query()
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{Method: req.Method, Path: req.URL.Path, IdempotencyKey: req.Header.Get("Idempotency-Key"),
		Form: form, Query: query})
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) last(t *testing.T) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.reqs) == 0 {
		t.Fatal("no request sent")
	}
	return r.reqs[len(r.reqs)-1]
}

func newMockedStripe(t *testing.T) (*Stripe, *recorder) {
	t.Helper()
	base := startStripeMock(t)
	rec := &recorder{}
	return NewStripe("sk_test_123", "whsec_test", base, WithStripeHTTPClient(&http.Client{Transport: rec, Timeout: 10 * time.Second})), rec
}

func TestStripeAgainstStripeMock(t *testing.T) {
	t.Parallel()
	s, rec := newMockedStripe(t)
	ctx := t.Context()

	t.Run("authorize with manual capture", func(t *testing.T) {
		res, err := s.Authorize(ctx, AuthorizeRequest{Amount: eur(1999), Method: MethodCard, Token: "pm_card_visa",
			Reference: "order_1", IdempotencyKey: "sk_authorize_1"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(res.ProviderRef, "pi_") {
			t.Errorf("provider ref = %q", res.ProviderRef)
		}
		r := rec.last(t)
		want := recorded{Method: http.MethodPost, Path: "/v1/payment_intents", IdempotencyKey: "sk_authorize_1",
			Form: url.Values{"amount": {"1999"}, "currency": {"eur"}, "capture_method": {"manual"}, "confirm": {"true"},
				"payment_method": {"pm_card_visa"}, "payment_method_types[0]": {"card"},
				"metadata[storekeep_reference]": {"order_1"}, "metadata[storekeep_method]": {"card"}}}
		if d := cmp.Diff(want, r); d != "" {
			t.Errorf("request (-want +got):\n%s", d)
		}
	})
	t.Run("authorize with immediate capture, bnpl", func(t *testing.T) {
		if _, err := s.Authorize(ctx, AuthorizeRequest{Amount: eur(500), Method: MethodBNPL, Token: "pm_x", IdempotencyKey: "k2", Capture: true}); err != nil {
			t.Fatal(err)
		}
		f := rec.last(t).Form
		if f.Get("capture_method") != "automatic" || f.Get("payment_method_types[0]") != "klarna" {
			t.Errorf("form = %v", f)
		}
	})
	t.Run("capture", func(t *testing.T) {
		if _, err := s.Capture(ctx, "pi_123", eur(1500), "sk_capture_1"); err != nil {
			t.Fatal(err)
		}
		want := recorded{Method: http.MethodPost, Path: "/v1/payment_intents/pi_123/capture", IdempotencyKey: "sk_capture_1",
			Form: url.Values{"amount_to_capture": {"1500"}}}
		if d := cmp.Diff(want, rec.last(t)); d != "" {
			t.Errorf("request (-want +got):\n%s", d)
		}
	})
	t.Run("void", func(t *testing.T) {
		if _, err := s.Void(ctx, "pi_123", "sk_void_1"); err != nil {
			t.Fatal(err)
		}
		r := rec.last(t)
		if r.Path != "/v1/payment_intents/pi_123/cancel" || r.IdempotencyKey != "sk_void_1" {
			t.Errorf("request = %+v", r)
		}
	})
	t.Run("refund", func(t *testing.T) {
		res, err := s.Refund(ctx, "pi_123", eur(300), "sk_refund_1")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(res.ProviderRef, "re_") || res.Status != StatusRefunded {
			t.Errorf("result = %+v", res)
		}
		want := recorded{Method: http.MethodPost, Path: "/v1/refunds", IdempotencyKey: "sk_refund_1",
			Form: url.Values{"payment_intent": {"pi_123"}, "amount": {"300"}}}
		if d := cmp.Diff(want, rec.last(t)); d != "" {
			t.Errorf("request (-want +got):\n%s", d)
		}
	})
	t.Run("lookup searches by our reference", func(t *testing.T) {
		// stripe-mock answers a search with a fixture PaymentIntent whose
		// metadata is not ours: Lookup must not take a mere hit for ours.
		_, found, err := s.Lookup(ctx, "order_1")
		if err != nil {
			t.Fatal(err)
		}
		if found {
			t.Error("a PaymentIntent without our reference was taken for ours")
		}
		r := rec.last(t)
		if r.Method != http.MethodGet || r.Path != "/v1/payment_intents/search" ||
			r.Query.Get("query") != "metadata['storekeep_reference']:'order_1'" {
			t.Errorf("request = %+v", r)
		}
	})
	t.Run("a request stripe refuses is a rejection", func(t *testing.T) {
		// stripe-mock validates against Stripe's OpenAPI: a PaymentIntent
		// without a currency is an invalid_request_error (400). Our requests
		// always carry one, so send the bad request through the client.
		_, err := s.sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(100)})
		if err == nil {
			t.Fatal("stripe-mock accepted a PaymentIntent without currency")
		}
		_, err = stripeFailure(err, true)
		wantCode(t, err, "payment_provider_rejected")
	})
}

func TestStripeProviderUnreachableIsUnavailable(t *testing.T) {
	t.Parallel()
	s := NewStripe("sk_test_123", "whsec", "http://"+freeAddr(t), WithStripeHTTPClient(&http.Client{Timeout: time.Second}))
	_, err := s.Authorize(t.Context(), AuthorizeRequest{Amount: eur(100), Method: MethodCard, Token: "pm_card_visa", IdempotencyKey: "k"})
	wantCode(t, err, "payment_provider_unavailable")
}

func TestStripeStatusMapping(t *testing.T) {
	t.Parallel()
	tests := map[stripe.PaymentIntentStatus]Status{
		stripe.PaymentIntentStatusRequiresCapture:       StatusAuthorized,
		stripe.PaymentIntentStatusSucceeded:             StatusCaptured,
		stripe.PaymentIntentStatusProcessing:            StatusPending,
		stripe.PaymentIntentStatusRequiresAction:        StatusRequiresAction,
		stripe.PaymentIntentStatusRequiresConfirmation:  StatusPending,
		stripe.PaymentIntentStatusCanceled:              StatusVoided,
		stripe.PaymentIntentStatusRequiresPaymentMethod: StatusFailed,
	}
	for in, want := range tests {
		t.Run(string(in), func(t *testing.T) {
			if got := StripeStatus(in); got != want {
				t.Errorf("StripeStatus(%s) = %s, want %s", in, got, want)
			}
		})
	}
}

func TestStripeErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		err         error
		authorizing bool
		want        Result
		code        string
	}{
		{"card error is a decline", &stripe.Error{Type: stripe.ErrorTypeCard, Code: stripe.ErrorCodeCardDeclined,
			DeclineCode: "insufficient_funds", Msg: "Your card has insufficient funds.", HTTPStatusCode: 402,
			PaymentIntent: &stripe.PaymentIntent{ID: "pi_9"}}, true,
			Result{ProviderRef: "pi_9", Status: StatusFailed, DeclineCode: "insufficient_funds", Message: "Your card has insufficient funds."}, ""},
		{"bad payment method", &stripe.Error{Type: stripe.ErrorTypeInvalidRequest, Param: "payment_method", HTTPStatusCode: 400}, true, Result{}, "invalid_payment_token"},
		{"invalid request", &stripe.Error{Type: stripe.ErrorTypeInvalidRequest, HTTPStatusCode: 400, Msg: "already captured"}, false, Result{}, "payment_provider_rejected"},
		{"rate limited", &stripe.Error{Type: stripe.ErrorTypeAPI, HTTPStatusCode: 429}, false, Result{}, "payment_provider_unavailable"},
		{"server error", &stripe.Error{Type: stripe.ErrorTypeAPI, HTTPStatusCode: 500}, false, Result{}, "payment_provider_unavailable"},
		{"network", fmt.Errorf("dial: connection refused"), false, Result{}, "payment_provider_unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := stripeFailure(tt.err, tt.authorizing)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("result (-want +got):\n%s", d)
			}
		})
	}
}

// stripeEvent is a minimal Stripe event body about a PaymentIntent.
func stripeEvent(id, typ, pi string, amount, capturable, received int64) []byte {
	return fmt.Appendf(nil, `{"id":%q,"object":"event","api_version":"2020-08-27","created":1,"type":%q,`+
		`"data":{"object":{"id":%q,"object":"payment_intent","amount":%d,"amount_capturable":%d,`+
		`"amount_received":%d,"currency":"eur","status":"succeeded"}}}`, id, typ, pi, amount, capturable, received)
}

func signStripe(body []byte, secret string, at time.Time) http.Header {
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at})
	return http.Header{StripeSignatureHeader: {sp.Header}}
}

func TestStripeParseWebhook(t *testing.T) {
	t.Parallel()
	s := NewStripe("sk_test_123", "whsec_test", "")
	tests := []struct {
		name string
		body []byte
		want WebhookEvent
	}{
		{"succeeded", stripeEvent("evt_1", "payment_intent.succeeded", "pi_1", 1999, 0, 1999),
			WebhookEvent{ID: "evt_1", Type: "payment_intent.succeeded", ProviderRef: "pi_1", Status: StatusCaptured, Amount: eur(1999)}},
		{"capturable", stripeEvent("evt_2", "payment_intent.amount_capturable_updated", "pi_1", 1999, 1999, 0),
			WebhookEvent{ID: "evt_2", Type: "payment_intent.amount_capturable_updated", ProviderRef: "pi_1", Status: StatusAuthorized, Amount: eur(1999)}},
		{"failed", stripeEvent("evt_3", "payment_intent.payment_failed", "pi_1", 1999, 0, 0),
			WebhookEvent{ID: "evt_3", Type: "payment_intent.payment_failed", ProviderRef: "pi_1", Status: StatusFailed, Amount: eur(1999)}},
		{"other type is ignored", stripeEvent("evt_4", "charge.succeeded", "ch_1", 1999, 0, 1999),
			WebhookEvent{ID: "evt_4", Type: "charge.succeeded"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ParseWebhook(signStripe(tt.body, "whsec_test", time.Now()), tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("event (-want +got):\n%s", d)
			}
		})
	}
	body := stripeEvent("evt_1", "payment_intent.succeeded", "pi_1", 1999, 0, 1999)
	bad := []struct {
		name string
		hdr  http.Header
		body []byte
	}{
		{"wrong secret", signStripe(body, "whsec_other", time.Now()), body},
		{"stale", signStripe(body, "whsec_test", time.Now().Add(-6*time.Minute)), body},
		{"tampered", signStripe(body, "whsec_test", time.Now()), bytes.Replace(body, []byte("1999"), []byte("1"), 1)},
		{"unsigned", http.Header{}, body},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ParseWebhook(tt.hdr, tt.body)
			wantCode(t, err, "invalid_signature")
		})
	}
}

func TestStripeWebhookConfirmsAStripePayment(t *testing.T) {
	t.Parallel()
	f := newFixture(t, WithProvider(NewStripe("sk_test_123", "whsec_test", "")))
	p, err := f.svc.Record(t.Context(), "order_s", Authorization{Provider: "stripe", Method: MethodCard, Amount: eur(1999),
		Result: Result{ProviderRef: "pi_async", Status: StatusPending}})
	if err != nil {
		t.Fatal(err)
	}
	body := stripeEvent("evt_s1", "payment_intent.succeeded", "pi_async", 1999, 0, 1999)
	for range 2 { // the second delivery changes nothing
		if err := f.svc.HandleWebhook(t.Context(), "stripe", signStripe(body, "whsec_test", time.Now()), body); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.get(t, p.ID); got.Status != StatusCaptured || got.Captured != eur(1999) {
		t.Errorf("payment = %+v", got)
	}
	if n := f.count(t, "payment_webhook_events"); n != 1 {
		t.Errorf("%d events recorded", n)
	}
}
