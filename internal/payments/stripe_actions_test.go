package payments

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// actionTransport forwards to stripe-mock (through the recorder) and
// rewrites the PaymentIntent it answers into one that needs the shopper,
// with nextAction as its next_action: stripe-mock's fixtures never ask for
// 3-D Secure or a redirect.
type actionTransport struct {
	rec        *recorder
	nextAction map[string]any
}

func (a actionTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := a.rec.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/v1/payment_intents") || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var pi map[string]any
	if err := json.Unmarshal(body, &pi); err != nil {
		return nil, err
	}
	pi["status"], pi["next_action"], pi["client_secret"] = "requires_action", a.nextAction, "pi_mock_secret_42"
	body, _ = json.Marshal(pi)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return resp, nil
}

// TestStripeRequiresAction: a PaymentIntent that needs the shopper is
// answered with its next action (a redirect, or the SDK with the client
// secret), never as a pending payment; the return_url, amount, currency and
// the idempotency key derived from our order id are what Stripe receives;
// Refresh asks Stripe for the intent.
func TestStripeRequiresAction(t *testing.T) {
	t.Parallel()
	base := startStripeMock(t)
	ctx := t.Context()
	redirect := map[string]any{"type": "redirect_to_url",
		"redirect_to_url": map[string]any{"url": "https://hooks.stripe.com/redirect/authenticate/src_1", "return_url": "myshop://done"}}
	sdk := map[string]any{"type": "use_stripe_sdk", "use_stripe_sdk": map[string]any{"type": "three_d_secure_redirect"}}
	for name, tc := range map[string]struct {
		next map[string]any
		want NextAction
	}{
		"redirect": {redirect, NextAction{Type: NextActionRedirect, URL: "https://hooks.stripe.com/redirect/authenticate/src_1",
			ClientSecret: "pi_mock_secret_42"}},
		"sdk": {sdk, NextAction{Type: NextActionUseSDK, ClientSecret: "pi_mock_secret_42"}},
	} {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{}
			st := NewStripe("sk_test_123", "whsec_test", base, WithStripeHTTPClient(&http.Client{
				Transport: actionTransport{rec: rec, nextAction: tc.next}, Timeout: 10 * time.Second}))
			svc := NewService(nil, WithProvider(st))
			a, err := svc.Authorize(ctx, AuthorizeInput{Provider: "stripe", Method: MethodPayPal, Token: "pm_card_visa",
				Amount: eur(2890), Reference: "order_42", IdempotencyKey: "order:order_42:authorize",
				ReturnURL: "myshop://checkout/done"})
			if err != nil {
				t.Fatal(err)
			}
			if a.Result.Status != StatusRequiresAction || a.Result.NextAction == nil || *a.Result.NextAction != tc.want {
				t.Fatalf("result = %+v, next action %+v", a.Result, a.Result.NextAction)
			}
			r := rec.last(t)
			if r.Path != "/v1/payment_intents" || r.Form.Get("return_url") != "myshop://checkout/done" ||
				r.Form.Get("amount") != "2890" || r.Form.Get("currency") != "eur" ||
				r.Form.Get("payment_method_types[0]") != "paypal" || r.Form.Get("metadata[storekeep_reference]") != "order_42" {
				t.Errorf("request = %+v", r)
			}
			if want := deriveKey(KindAuthorize, "order_42", "order:order_42:authorize"); r.IdempotencyKey != want {
				t.Errorf("idempotency key %q, want %q (derived from the order)", r.IdempotencyKey, want)
			}
			res, err := svc.Refresh(ctx, "stripe", a.Result.ProviderRef)
			if err != nil {
				t.Fatal(err)
			}
			if r := rec.last(t); r.Method != http.MethodGet || r.Path != "/v1/payment_intents/"+a.Result.ProviderRef {
				t.Errorf("refresh request = %+v", r)
			}
			if res.Status != StatusRequiresAction || *res.NextAction != tc.want {
				t.Errorf("refresh = %+v", res)
			}
		})
	}
}

// TestStripeAuthorizeWithoutReturnURL: no return_url is sent when the
// checkout gave none (Stripe then answers in-app actions with use_stripe_sdk).
func TestStripeAuthorizeWithoutReturnURL(t *testing.T) {
	t.Parallel()
	s, rec := newMockedStripe(t)
	if _, err := s.Authorize(t.Context(), AuthorizeRequest{Amount: eur(100), Method: MethodCard, Token: "pm_card_visa",
		IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if f := rec.last(t).Form; f.Has("return_url") {
		t.Errorf("form = %v", f)
	}
}

// TestStripeSession: a payment session is an unconfirmed PaymentIntent for
// the amount and currency, with the idempotency key derived from the cart's
// key and the planned order, the return_url in its metadata (Stripe takes
// one only when confirming: the app passes it), answered with the client
// secret for the app's SDK.
func TestStripeSession(t *testing.T) {
	t.Parallel()
	st, rec := newMockedStripe(t)
	svc := NewService(nil, WithProvider(st))
	a, err := svc.CreateSession(t.Context(), AuthorizeInput{Provider: "stripe", Method: MethodApplePay, Amount: eur(4250),
		Reference: "order_77", IdempotencyKey: "cart:cart_1:session-key:k1", ReturnURL: "myshop://checkout/done"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Result.Status != StatusRequiresAction || a.Result.NextAction == nil ||
		a.Result.NextAction.Type != NextActionUseSDK || a.Result.NextAction.ClientSecret == "" {
		t.Fatalf("session = %+v", a.Result)
	}
	r := rec.last(t)
	if r.Path != "/v1/payment_intents" || r.Form.Get("amount") != "4250" || r.Form.Get("currency") != "eur" ||
		r.Form.Has("confirm") || r.Form.Get("payment_method_types[0]") != "card" ||
		r.Form.Get("metadata[storekeep_return_url]") != "myshop://checkout/done" ||
		r.Form.Get("metadata[storekeep_reference]") != "order_77" {
		t.Errorf("request = %+v", r)
	}
	if want := deriveKey(KindSession, "order_77", "cart:cart_1:session-key:k1"); r.IdempotencyKey != want {
		t.Errorf("idempotency key %q, want %q", r.IdempotencyKey, want)
	}
}
