package payments

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/money"
)

// hookRecorder counts OnStatusChange calls and can fail them.
type hookRecorder struct {
	mu    sync.Mutex
	calls []Payment
	fail  atomic.Bool
}

func (h *hookRecorder) hook(ctx context.Context, p Payment) error {
	if h.fail.Load() {
		return errors.New("order service down")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, p)
	return nil
}

func (h *hookRecorder) got() []Payment {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Payment(nil), h.calls...)
}

func newWebhookFixture(t *testing.T) (*fixture, *hookRecorder) {
	t.Helper()
	f := newFixture(t)
	h := &hookRecorder{}
	f.svc.OnStatusChange(h.hook)
	return f, h
}

// send signs and delivers a test provider event.
func (f *fixture) send(t *testing.T, eventID, typ, ref string, amount money.Amount) error {
	t.Helper()
	body := f.tp.WebhookBody(eventID, typ, ref, amount)
	hdr := http.Header{TestSignatureHeader: {f.tp.SignWebhook(body, time.Now())}}
	return f.svc.HandleWebhook(t.Context(), "test", hdr, body)
}

func (f *fixture) outcome(t *testing.T, eventID string) string {
	t.Helper()
	var r webhookEventRow
	if err := f.db.Conn(t.Context()).Where("provider = ? AND event_id = ?", "test", eventID).Take(&r).Error; err != nil {
		t.Fatalf("webhook event %s: %v", eventID, err)
	}
	return r.Outcome
}

func TestWebhookConfirmsAPendingPaymentAndRunsTheHook(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ    string
		status Status
		capt   int64
	}{
		{TestEventSucceeded, StatusCaptured, 2500},
		{TestEventAuthorized, StatusAuthorized, 0},
		{TestEventFailed, StatusFailed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			t.Parallel()
			f, h := newWebhookFixture(t)
			p := f.pay(t, TokenAsync, eur(2500), false)
			if err := f.send(t, "evt_1", tt.typ, p.ProviderRef, eur(2500)); err != nil {
				t.Fatal(err)
			}
			got := f.get(t, p.ID)
			if got.Status != tt.status || got.Captured != eur(tt.capt) {
				t.Errorf("payment = %+v, want %s with %d captured", got, tt.status, tt.capt)
			}
			if calls := h.got(); len(calls) != 1 || calls[0].Status != tt.status || calls[0].ID != p.ID {
				t.Errorf("hook calls = %+v, want one with %s", calls, tt.status)
			}
			if o := f.outcome(t, "evt_1"); o != OutcomeApplied {
				t.Errorf("outcome = %s", o)
			}
			txs, err := f.svc.Transactions(t.Context(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if txs[0].Status == TxPending {
				t.Error("the pending authorisation was not settled")
			}
		})
	}
}

func TestWebhookSameEventInParallelAppliesOnce(t *testing.T) {
	t.Parallel()
	f, h := newWebhookFixture(t)
	p := f.pay(t, TokenAsync, eur(2500), false)
	body := f.tp.WebhookBody("evt_dup", TestEventSucceeded, p.ProviderRef, eur(2500))
	hdr := http.Header{TestSignatureHeader: {f.tp.SignWebhook(body, time.Now())}}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if err := f.svc.HandleWebhook(context.Background(), "test", hdr, body); err != nil {
				t.Errorf("webhook: %v", err)
			}
		})
	}
	wg.Wait()
	if n := len(h.got()); n != 1 {
		t.Errorf("hook ran %d times, want 1", n)
	}
	if n := f.count(t, "payment_webhook_events"); n != 1 {
		t.Errorf("%d webhook events recorded, want 1", n)
	}
	if got := f.get(t, p.ID); got.Status != StatusCaptured {
		t.Errorf("status = %s", got.Status)
	}
}

func TestWebhookWithABadSignatureWritesNothing(t *testing.T) {
	t.Parallel()
	f, h := newWebhookFixture(t)
	p := f.pay(t, TokenAsync, eur(2500), false)
	body := f.tp.WebhookBody("evt_bad", TestEventSucceeded, p.ProviderRef, eur(2500))
	wrong := NewTestProvider("not the secret")
	tests := []struct {
		name   string
		header string
		body   []byte
	}{
		{"tampered body", f.tp.SignWebhook(body, time.Now()), []byte(strings.Replace(string(body), "evt_bad", "evt_bad2", 1))},
		{"stale timestamp", f.tp.SignWebhook(body, time.Now().Add(-6*time.Minute)), body},
		{"wrong secret", wrong.SignWebhook(body, time.Now()), body},
		{"no signature", "", body},
	}
	before := snapshot(t, f)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.svc.HandleWebhook(t.Context(), "test", http.Header{TestSignatureHeader: {tt.header}}, tt.body)
			wantCode(t, err, "invalid_signature")
		})
	}
	if d := cmp.Diff(before, snapshot(t, f)); d != "" {
		t.Errorf("bad webhooks changed payments (-before +after):\n%s", d)
	}
	if n := f.count(t, "payment_webhook_events"); n != 0 {
		t.Errorf("%d webhook events recorded", n)
	}
	if n := len(h.got()); n != 0 {
		t.Errorf("hook ran %d times", n)
	}
	err := f.svc.HandleWebhook(t.Context(), "acme", http.Header{}, body)
	wantErr(t, err, ErrProviderNotFound)
}

func TestWebhookAmountMismatchDoesNotConfirm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		amount money.Amount
	}{
		{"less", eur(1)},
		{"more", eur(2501)},
		{"other currency", usd(2500)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, h := newWebhookFixture(t)
			p := f.pay(t, TokenAsync, eur(2500), false)
			if err := f.send(t, "evt_m", TestEventSucceeded, p.ProviderRef, tt.amount); err != nil {
				t.Fatal(err)
			}
			got := f.get(t, p.ID)
			if got.Status != StatusPending || got.Captured != eur(0) || got.ReviewReason != OutcomeAmountMismatch {
				t.Errorf("payment = %+v, want pending and flagged for review", got)
			}
			if o := f.outcome(t, "evt_m"); o != OutcomeAmountMismatch {
				t.Errorf("outcome = %s", o)
			}
			if n := len(h.got()); n != 0 {
				t.Errorf("hook ran %d times", n)
			}
		})
	}
}

func TestWebhookNeverMovesBackwards(t *testing.T) {
	t.Parallel()
	f, h := newWebhookFixture(t)
	p := f.pay(t, TokenAsync, eur(2500), false)
	steps := []struct {
		event, typ string
		status     Status
		outcome    string
	}{
		{"evt_1", TestEventSucceeded, StatusCaptured, OutcomeApplied},
		{"evt_2", TestEventAuthorized, StatusCaptured, OutcomeIgnored}, // late
		{"evt_3", TestEventFailed, StatusCaptured, OutcomeIgnored},
		{"evt_4", "payment.something_else", StatusCaptured, OutcomeIgnored},
	}
	for _, st := range steps {
		if err := f.send(t, st.event, st.typ, p.ProviderRef, eur(2500)); err != nil {
			t.Fatal(err)
		}
		if got := f.get(t, p.ID); got.Status != st.status {
			t.Fatalf("after %s: %s, want %s", st.typ, got.Status, st.status)
		}
		if o := f.outcome(t, st.event); o != st.outcome {
			t.Errorf("%s outcome = %s, want %s", st.event, o, st.outcome)
		}
	}
	if n := len(h.got()); n != 1 {
		t.Errorf("hook ran %d times, want 1", n)
	}
}

func TestWebhookForAnUnknownPaymentIsRecorded(t *testing.T) {
	t.Parallel()
	f, _ := newWebhookFixture(t)
	if err := f.send(t, "evt_u", TestEventSucceeded, "tp_unknown", eur(10)); err != nil {
		t.Fatal(err)
	}
	if o := f.outcome(t, "evt_u"); o != OutcomeUnknownPayment {
		t.Errorf("outcome = %s", o)
	}
}

func TestWebhookHookFailureRollsBackSoTheRetryApplies(t *testing.T) {
	t.Parallel()
	f, h := newWebhookFixture(t)
	p := f.pay(t, TokenAsync, eur(2500), false)
	h.fail.Store(true)
	if err := f.send(t, "evt_r", TestEventSucceeded, p.ProviderRef, eur(2500)); err == nil {
		t.Fatal("a failing hook did not fail the webhook")
	}
	if got := f.get(t, p.ID); got.Status != StatusPending {
		t.Fatalf("status = %s after a rolled back webhook", got.Status)
	}
	if n := f.count(t, "payment_webhook_events"); n != 0 {
		t.Fatalf("rolled back event recorded (%d rows): the retry would be dropped", n)
	}
	h.fail.Store(false)
	if err := f.send(t, "evt_r", TestEventSucceeded, p.ProviderRef, eur(2500)); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, p.ID); got.Status != StatusCaptured || len(h.got()) != 1 {
		t.Errorf("after retry: %s, hook calls %d", got.Status, len(h.got()))
	}
}

func TestWebhookThatOvertakesCheckoutIsAppliedWhenRecorded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		typ    string
		amount money.Amount
		status Status
		review string
	}{
		{"succeeded", TestEventSucceeded, eur(2500), StatusCaptured, ""},
		{"failed", TestEventFailed, eur(2500), StatusFailed, ""},
		{"amount mismatch", TestEventSucceeded, eur(25), StatusPending, OutcomeAmountMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, h := newWebhookFixture(t)
			a, err := f.svc.Authorize(t.Context(), AuthorizeInput{Provider: "test", Method: MethodPayPal, Token: TokenAsync,
				Amount: eur(2500), Reference: "order_fast"})
			if err != nil {
				t.Fatal(err)
			}
			// The provider confirms before checkout has recorded the payment.
			if err := f.send(t, "evt_early", tt.typ, a.Result.ProviderRef, tt.amount); err != nil {
				t.Fatal(err)
			}
			if o := f.outcome(t, "evt_early"); o != OutcomeUnknownPayment {
				t.Fatalf("outcome before record = %s", o)
			}
			p, err := f.svc.Record(t.Context(), "order_fast", a)
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != tt.status || p.ReviewReason != tt.review {
				t.Errorf("recorded payment = %+v, want %s (review %q)", p, tt.status, tt.review)
			}
			if d := cmp.Diff(p, f.get(t, p.ID)); d != "" {
				t.Errorf("returned and stored payment differ:\n%s", d)
			}
			wantHooks := 1
			if tt.status == StatusPending {
				wantHooks = 0
			}
			calls := h.got()
			if len(calls) != wantHooks || (wantHooks == 1 && calls[0].Status != tt.status) {
				t.Errorf("hook calls = %+v, want %d with %s", calls, wantHooks, tt.status)
			}
			// A redelivery now changes nothing.
			if err := f.send(t, "evt_early", tt.typ, a.Result.ProviderRef, tt.amount); err != nil {
				t.Fatal(err)
			}
			if got := f.get(t, p.ID); got.Status != tt.status || len(h.got()) != wantHooks {
				t.Errorf("after redelivery: %s, hooks %d", got.Status, len(h.got()))
			}
		})
	}
}

func TestOrphanSweepAppliesEventsThatRacedTheirCheckout(t *testing.T) {
	t.Parallel()
	f, h := newWebhookFixture(t)
	p := f.pay(t, TokenAsync, eur(2500), false)
	// Simulate the race: the event was recorded as unknown_payment while the
	// checkout's transaction (invisible to it) was recording the payment.
	if err := f.send(t, "evt_orphan", TestEventSucceeded, p.ProviderRef, eur(2500)); err != nil {
		t.Fatal(err)
	}
	err := f.db.Conn(t.Context()).Model(&webhookEventRow{}).Where("event_id = ?", "evt_orphan").
		Updates(map[string]any{"outcome": OutcomeUnknownPayment, "payment_id": nil}).Error
	if err != nil {
		t.Fatal(err)
	}
	err = f.db.Conn(t.Context()).Model(&paymentRow{}).Where("id = ?", p.ID).
		Updates(map[string]any{"status": StatusPending, "captured_amount": 0}).Error
	if err != nil {
		t.Fatal(err)
	}
	hooksBefore := len(h.got())
	for range 2 { // the second sweep finds nothing left
		if _, err := f.svc.ApplyOrphanEvents(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.get(t, p.ID); got.Status != StatusCaptured {
		t.Errorf("status = %s, want captured", got.Status)
	}
	if o := f.outcome(t, "evt_orphan"); o != OutcomeApplied {
		t.Errorf("outcome = %s", o)
	}
	if n := len(h.got()) - hooksBefore; n != 1 {
		t.Errorf("hook ran %d times in the sweeps, want 1", n)
	}
}
