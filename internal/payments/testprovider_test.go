package payments

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTestProviderTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		token   string
		capture bool
		want    Result // ProviderRef only checked for its prefix
	}{
		{"visa authorises", TokenVisa, false, Result{Status: StatusAuthorized}},
		{"visa captures when asked", TokenVisa, true, Result{Status: StatusCaptured}},
		{"declined", TokenDeclined, false, Result{Status: StatusFailed, DeclineCode: "card_declined", Message: "Your card was declined."}},
		{"async stays pending", TokenAsync, true, Result{Status: StatusPending}},
	}
	for _, tt := range tests {
		for _, method := range Methods {
			t.Run(tt.name+"/"+method, func(t *testing.T) {
				t.Parallel()
				p := NewTestProvider(testSecret)
				got, err := p.Authorize(t.Context(), AuthorizeRequest{Amount: eur(1999), Method: method, Token: tt.token, Capture: tt.capture})
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(got.ProviderRef, "tp_") {
					t.Errorf("provider ref = %q, want tp_...", got.ProviderRef)
				}
				got.ProviderRef = ""
				if d := cmp.Diff(tt.want, got); d != "" {
					t.Errorf("result (-want +got):\n%s", d)
				}
			})
		}
	}
}

func TestTestProviderRejectsUnknownToken(t *testing.T) {
	t.Parallel()
	p := NewTestProvider(testSecret)
	_, err := p.Authorize(t.Context(), AuthorizeRequest{Amount: eur(100), Method: MethodCard, Token: "tok_nope"})
	wantCode(t, err, "invalid_payment_token")
}

func TestTestProviderIdempotencyKeyReplaysFirstResult(t *testing.T) {
	t.Parallel()
	p := NewTestProvider(testSecret)
	req := AuthorizeRequest{Amount: eur(100), Method: MethodCard, Token: TokenVisa, IdempotencyKey: "k1"}
	first, err := p.Authorize(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := p.Authorize(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if again != first {
			t.Fatalf("replay = %+v, want %+v", again, first)
		}
	}
	req.IdempotencyKey = "k2"
	other, err := p.Authorize(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if other.ProviderRef == first.ProviderRef {
		t.Error("a new key reused the first authorisation")
	}
	if d := cmp.Diff(map[string]int{"authorize": 2}, p.Calls()); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
}

func TestTestProviderRefusesImpossibleOperations(t *testing.T) {
	t.Parallel()
	p := NewTestProvider(testSecret)
	ctx := t.Context()
	auth, err := p.Authorize(ctx, AuthorizeRequest{Amount: eur(100), Method: MethodCard, Token: TokenVisa})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Capture(ctx, auth.ProviderRef, eur(101), "c0"); err == nil {
		t.Error("captured more than authorised")
	}
	if _, err := p.Capture(ctx, auth.ProviderRef, eur(100), "c1"); err != nil {
		t.Fatal(err)
	}
	_, err = p.Capture(ctx, auth.ProviderRef, eur(100), "c2")
	wantCode(t, err, "payment_provider_rejected")
	_, err = p.Refund(ctx, auth.ProviderRef, eur(101), "r1")
	wantCode(t, err, "payment_provider_rejected")
	_, err = p.Void(ctx, auth.ProviderRef, "v1")
	wantCode(t, err, "payment_provider_rejected")
	_, err = p.Capture(ctx, "pi_not_ours", eur(1), "c3")
	wantCode(t, err, "payment_provider_rejected")
}

func TestTestProviderWebhookSignature(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	p := NewTestProvider(testSecret)
	p.now = func() time.Time { return now }
	body := p.WebhookBody("evt_1", TestEventSucceeded, "tp_1", eur(1999))
	other := NewTestProvider("another secret")
	tests := []struct {
		name   string
		header string
		body   []byte
	}{
		{"tampered body", p.SignWebhook(body, now), []byte(strings.Replace(string(body), "1999", "1", 1))},
		{"stale timestamp", p.SignWebhook(body, now.Add(-WebhookTolerance-time.Second)), body},
		{"future timestamp", p.SignWebhook(body, now.Add(WebhookTolerance+time.Second)), body},
		{"wrong secret", other.SignWebhook(body, now), body},
		{"missing header", "", body},
		{"no v1", "t=" + "1777636800", body},
		{"garbage", "t=abc,v1=zz", body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.ParseWebhook(http.Header{TestSignatureHeader: {tt.header}}, tt.body)
			wantCode(t, err, "invalid_signature")
		})
	}
	t.Run("valid", func(t *testing.T) {
		ev, err := p.ParseWebhook(http.Header{TestSignatureHeader: {p.SignWebhook(body, now.Add(-time.Minute))}}, body)
		if err != nil {
			t.Fatal(err)
		}
		want := WebhookEvent{ID: "evt_1", Type: TestEventSucceeded, ProviderRef: "tp_1", Status: StatusCaptured, Amount: eur(1999)}
		if d := cmp.Diff(want, ev); d != "" {
			t.Errorf("event (-want +got):\n%s", d)
		}
	})
	t.Run("signed but not an event", func(t *testing.T) {
		junk := []byte(`{"id":"evt_2","provider_ref":"tp_1","extra":1}`)
		_, err := p.ParseWebhook(http.Header{TestSignatureHeader: {p.SignWebhook(junk, now)}}, junk)
		wantCode(t, err, "invalid_signature")
	})
}

func TestTestWebhookSecretIsStableAndSecretDependent(t *testing.T) {
	t.Parallel()
	a, b := TestWebhookSecret([]byte("jwt-one")), TestWebhookSecret([]byte("jwt-two"))
	if a != TestWebhookSecret([]byte("jwt-one")) || a == b || len(a) != 64 {
		t.Errorf("secrets %q %q: want stable, distinct, 64 hex chars", a, b)
	}
}

// TestTestProviderJournalOutlivesTheProcess: with a journal, a new provider
// (the server restarted) replays an authorisation under its idempotency key
// instead of making a second one, knows its state (a capture of a voided
// payment is refused) and finds it by our reference.
func TestTestProviderJournalOutlivesTheProcess(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "journal")
	first := NewTestProvider("s")
	if err := first.OpenJournal(path); err != nil {
		t.Fatal(err)
	}
	a, err := first.Authorize(ctx, AuthorizeRequest{Amount: eur(1500), Method: MethodCard, Token: TokenVisa,
		Reference: "order_a", IdempotencyKey: "auth-a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Authorize(ctx, AuthorizeRequest{Amount: eur(700), Method: MethodCard, Token: TokenVisa,
		Reference: "order_b", IdempotencyKey: "auth-b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Void(ctx, a.ProviderRef, "void-a"); err != nil {
		t.Fatal(err)
	}
	// A crash in the middle of writing a line leaves it cut short.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"op":"authorize","key":"half`); err != nil {
		t.Fatal(err)
	}
	f.Close()

	second := NewTestProvider("s")
	if err := second.OpenJournal(path); err != nil {
		t.Fatal(err)
	}
	again, err := second.Authorize(ctx, AuthorizeRequest{Amount: eur(1500), Method: MethodCard, Token: TokenVisa,
		Reference: "order_a", IdempotencyKey: "auth-a"})
	if err != nil || again != a {
		t.Fatalf("replayed authorisation = %+v, %v; want %+v", again, err, a)
	}
	if n := second.Calls()["authorize"]; n != 0 {
		t.Errorf("new authorisations after the restart = %d, want 0", n)
	}
	if _, err := second.Capture(ctx, a.ProviderRef, eur(1500), "cap-a"); err == nil {
		t.Error("captured a payment voided before the restart")
	}
	got, ok, err := second.Lookup(ctx, "order_b")
	if err != nil || !ok || got.Result.Status != StatusAuthorized || got.Amount != eur(700) {
		t.Errorf("lookup of order_b = %+v, %v, %v", got, ok, err)
	}
	if _, ok, _ := second.Lookup(ctx, "order_unknown"); ok {
		t.Error("lookup found a payment for an unknown reference")
	}
	entries, err := ReadTestJournal(path)
	if err != nil || len(entries) != 3 {
		t.Errorf("journal has %d entries (%v), want 3 whole ones", len(entries), err)
	}
}

// TestTestProviderAuthenticateJournaled: a tok_3ds payment waits for the
// shopper; the authenticate page's outcome is journaled, so a restarted
// provider still knows it; a wrong secret or a second, different outcome
// is refused.
func TestTestProviderAuthenticateJournaled(t *testing.T) {
	t.Parallel()
	journal := filepath.Join(t.TempDir(), "j.jsonl")
	p := NewTestProvider("s")
	if err := p.OpenJournal(journal); err != nil {
		t.Fatal(err)
	}
	r, err := p.Authorize(t.Context(), AuthorizeRequest{Amount: eur(500), Method: MethodCard, Token: Token3DS,
		Reference: "order_1", IdempotencyKey: "k", Capture: true})
	if err != nil || r.Status != StatusRequiresAction || r.NextAction == nil || r.NextAction.Type != NextActionUseSDK {
		t.Fatalf("authorize = %+v, %v", r, err)
	}
	if _, _, err := p.Authenticate(r.ProviderRef, "wrong", true); err == nil {
		t.Fatal("a wrong client secret authenticated")
	}
	if _, st, err := p.Authenticate(r.ProviderRef, r.NextAction.ClientSecret, true); err != nil || st != StatusCaptured {
		t.Fatalf("authenticate = %s, %v", st, err)
	}
	if _, _, err := p.Authenticate(r.ProviderRef, r.NextAction.ClientSecret, false); err == nil {
		t.Fatal("a passed payment was failed afterwards")
	}
	again := NewTestProvider("s")
	if err := again.OpenJournal(journal); err != nil {
		t.Fatal(err)
	}
	if res, err := again.Refresh(t.Context(), r.ProviderRef); err != nil || res.Status != StatusCaptured {
		t.Fatalf("after a restart: %+v, %v", res, err)
	}
	if f, ok, _ := again.Lookup(t.Context(), "order_1"); !ok || f.Captured.Minor != 500 {
		t.Fatalf("lookup after a restart: %+v %v", f, ok)
	}
}
