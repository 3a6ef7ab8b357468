package admin_test

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/internal/webhooks"
)

// TestWebhookURLsRefusedWithoutAllowPrivate: with the address checks on (the
// production default), every spelling of an internal target is refused at
// creation and on change, 422 webhook_url_not_allowed naming the reason on
// url, and nothing is written.
func TestWebhookURLsRefusedWithoutAllowPrivate(t *testing.T) {
	t.Parallel()
	k := newHookClient(t, func(o *api.WebhookOptions) {
		o.AllowPrivate, o.AllowHTTP = false, false
		o.Resolver = fakeDNS{"hooks.example.com": {"93.184.216.34"}, "localhost": {"127.0.0.1", "::1"},
			"internal.example.com": {"93.184.216.34", "10.1.2.3"}}
	})
	w := k.create("https://hooks.example.com/ok", "*")
	before := k.h.RowCounts(t, "webhooks")
	for url, reason := range map[string]string{
		"https://127.0.0.1/hook":               "loopback",
		"https://[::1]/hook":                   "loopback",
		"https://169.254.169.254/latest":       "link-local",
		"https://10.0.0.1/":                    "private",
		"https://0x7f000001/":                  "non-standard form",
		"https://[::ffff:127.0.0.1]/":          "loopback",
		"https://localhost:8443/hook":          "resolves to 127.0.0.1",
		"https://internal.example.com/":        "resolves to 10.1.2.3",
		"http://hooks.example.com/":            "https",
		"https://user:pass@hooks.example.com/": "password",
	} {
		p := k.do(http.MethodPost, "/v1/admin/webhooks", map[string]any{"url": url, "event_types": []string{"*"}}).
			ExpectProblem(t, http.StatusUnprocessableEntity, "webhook_url_not_allowed")
		if len(p.Errors) != 1 || p.Errors[0].Field != "url" || !strings.Contains(p.Errors[0].Message, reason) {
			t.Errorf("%s: errors %+v, want url: ...%s...", url, p.Errors, reason)
		}
		k.do(http.MethodPatch, "/v1/admin/webhooks/"+w.ID, map[string]any{"url": url}).
			ExpectProblem(t, http.StatusUnprocessableEntity, "webhook_url_not_allowed")
	}
	if d := cmp.Diff(before, k.h.RowCounts(t, "webhooks")); d != "" {
		t.Errorf("refused URLs wrote rows (-before +after):\n%s", d)
	}
	if got := k.get(w.ID); got.URL != "https://hooks.example.com/ok" {
		t.Errorf("URL changed to %s", got.URL)
	}
}

// rebinding resolves its host to a public address the first time (when the
// webhook is saved), then to loopback (when deliveries look it up).
type rebinding struct {
	mu    sync.Mutex
	calls int
}

func (r *rebinding) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls == 1 {
		return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
	}
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

// TestWebhookDeliveryRefusesInternalAddresses: a host that resolved to a
// public address when the webhook was saved and to loopback afterwards (DNS
// rebinding) is refused at delivery: the attempts fail with the reason, and
// the loopback receiver on that port is never reached.
func TestWebhookDeliveryRefusesInternalAddresses(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, always(http.StatusOK))
	port := rc.URL[strings.LastIndex(rc.URL, ":")+1:]
	k := newHookClient(t, func(o *api.WebhookOptions) {
		o.AllowPrivate = false
		o.Resolver = &rebinding{}
	})
	w := k.create("http://rebind.example.com:"+port+"/hook", "order.*")
	k.record("order.created", "order_1", map[string]any{"id": "order_1"})
	k.drain()
	if n := len(rc.got()); n != 0 {
		t.Fatalf("the receiver on loopback got %d requests", n)
	}
	log := k.deliveries(w.ID)
	if len(log) != 4 {
		t.Fatalf("log %s, want 4 failed attempts", statuses(log))
	}
	for _, d := range log {
		if d.Status != webhooks.StatusFailed || d.Error == nil || !strings.Contains(*d.Error, "refused") ||
			!strings.Contains(*d.Error, "127.0.0.1, a loopback address") || d.ResponseStatus != nil {
			t.Errorf("attempt %+v (error %v), want refused as loopback", d, deref(d.Error))
		}
	}
	// The test ping is refused the same way.
	var ping webhooks.Delivery
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/test", nil).Expect(t, http.StatusOK).JSON(t, &ping)
	if ping.Status != webhooks.StatusFailed || ping.Error == nil || !strings.Contains(*ping.Error, "loopback") {
		t.Errorf("ping %+v, want refused", ping)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestWebhookRedirectNotFollowed: a 302 is a failed attempt, and where it
// points (here another loopback server) is never contacted.
func TestWebhookRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	target := newReceiver(t, always(http.StatusOK))
	rc := newReceiver(t, always(http.StatusOK))
	rc.Config.Handler = http.RedirectHandler(target.URL+"/metadata", http.StatusFound)
	k := newHookClient(t, func(o *api.WebhookOptions) { o.RetryDelays = []time.Duration{} })
	w := k.create(rc.URL+"/hook", "*")
	k.record("order.created", "order_1", nil)
	k.drain()
	log := k.deliveries(w.ID)
	if len(log) != 1 || log[0].Status != webhooks.StatusFailed || log[0].ResponseStatus == nil ||
		*log[0].ResponseStatus != http.StatusFound || !strings.Contains(deref(log[0].Error), "redirect") {
		t.Fatalf("log %+v (error %s), want one failed 302", log, deref(log[0].Error))
	}
	if n := len(target.got()); n != 0 {
		t.Fatalf("the redirect target got %d requests", n)
	}
}

// TestWebhookOrderPerResource: events about one resource reach an endpoint
// in the order they happened, even when the first needs retries: the second
// is not sent before the first succeeded. Another resource's event does not
// wait.
func TestWebhookOrderPerResource(t *testing.T) {
	t.Parallel()
	var firstID string
	var mu sync.Mutex
	rc := newReceiver(t, func(h hit, before int) int {
		mu.Lock()
		defer mu.Unlock()
		if h.ID() == firstID && before < 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	k := newHookClient(t)
	k.create(rc.URL+"/hook", "order.*")
	mu.Lock()
	a1 := k.record("order.created", "order_a", map[string]any{"id": "order_a", "step": 1})
	firstID = a1.ID
	mu.Unlock()
	a2 := k.record("order.paid", "order_a", map[string]any{"id": "order_a", "step": 2})
	b1 := k.record("order.created", "order_b", map[string]any{"id": "order_b"})
	a3 := k.record("order.shipped", "order_a", map[string]any{"id": "order_a", "step": 3})
	k.drain()

	var seq []string
	for _, h := range rc.got() {
		switch h.ID() {
		case a1.ID:
			seq = append(seq, "a1")
		case a2.ID:
			seq = append(seq, "a2")
		case a3.ID:
			seq = append(seq, "a3")
		case b1.ID:
			seq = append(seq, "b1")
		}
	}
	var aOnly []string
	for _, s := range seq {
		if s != "b1" {
			aOnly = append(aOnly, s)
		}
	}
	if d := cmp.Diff([]string{"a1", "a1", "a1", "a2", "a3"}, aOnly); d != "" {
		t.Fatalf("order_a's requests (-want +got):\n%s\nall: %v", d, seq)
	}
	if strings.Count(strings.Join(seq, " "), "b1") != 1 {
		t.Fatalf("order_b's event sent %v", seq)
	}
}

// TestWebhookPingRedeliverDisableReEnable: the test ping answers with the
// attempt; a redelivery sends the same body with the same webhook-id; a
// webhook whose deliveries keep failing is disabled (here after any run of
// failures, DisableAfter being a nanosecond), receives nothing more, cannot
// be redelivered to, still takes test pings, and is re-enabled by staff.
func TestWebhookPingRedeliverDisableReEnable(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	status := http.StatusOK
	rc := newReceiver(t, func(hit, int) int {
		mu.Lock()
		defer mu.Unlock()
		return status
	})
	setStatus := func(s int) { mu.Lock(); status = s; mu.Unlock() }
	k := newHookClient(t, func(o *api.WebhookOptions) {
		o.RetryDelays = []time.Duration{0}
		o.DisableAfter = time.Nanosecond
	})
	w := k.create(rc.URL+"/hook", "order.created")

	var ping webhooks.Delivery
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/test", nil).Expect(t, http.StatusOK).JSON(t, &ping)
	if ping.Status != webhooks.StatusSucceeded || ping.EventType != "webhook.test" || ping.ResponseStatus == nil ||
		*ping.ResponseStatus != 200 || deref(ping.ResponseExcerpt) != "received" || ping.DurationMS == nil ||
		ping.Attempt != 1 || !strings.HasPrefix(ping.EventID, "msg_") {
		t.Fatalf("ping %+v", ping)
	}
	hits := rc.got()
	if len(hits) != 1 || hits[0].ID() != ping.EventID || verify(t, w.Secret, hits[0]) != nil ||
		!strings.Contains(string(hits[0].Body), `"type":"webhook.test"`) || !strings.Contains(string(hits[0].Body), w.ID) {
		t.Fatalf("ping request %+v", hits)
	}

	e := k.record("order.created", "order_1", map[string]any{"id": "order_1"})
	k.drain()
	first := k.deliveries(w.ID)
	last := first[len(first)-1]
	if last.EventID != e.ID || last.Status != webhooks.StatusSucceeded {
		t.Fatalf("delivery %+v", last)
	}
	var again webhooks.Delivery
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/deliveries/"+last.ID+"/redeliver", nil).
		Expect(t, http.StatusAccepted).JSON(t, &again)
	if again.ID == last.ID || again.EventID != e.ID || again.Attempt != 1 || again.Status != webhooks.StatusPending {
		t.Fatalf("redelivery %+v", again)
	}
	k.drain()
	hits = rc.got()
	if len(hits) != 3 || hits[2].ID() != e.ID || string(hits[2].Body) != string(hits[1].Body) {
		t.Fatalf("redelivered request %+v", hits)
	}

	// The receiver breaks: two failed attempts end the delivery, which
	// disables the webhook.
	setStatus(http.StatusInternalServerError)
	k.record("order.created", "order_2", nil)
	k.drain()
	got := k.get(w.ID)
	if got.Active || deref(got.DisabledReason) != webhooks.DisabledFailing || got.DisabledAt == nil {
		t.Fatalf("after failing: %+v", got)
	}
	n := len(rc.got())
	k.record("order.created", "order_3", nil)
	k.drain()
	if len(rc.got()) != n {
		t.Fatal("a disabled webhook received an event")
	}
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/deliveries/"+last.ID+"/redeliver", nil).
		ExpectProblem(t, http.StatusConflict, "webhook_disabled")
	setStatus(http.StatusOK)
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/test", nil).Expect(t, http.StatusOK).JSON(t, &ping)
	if ping.Status != webhooks.StatusSucceeded || k.get(w.ID).Active {
		t.Fatalf("ping to a disabled webhook %+v (it must not re-enable it)", ping)
	}

	k.do(http.MethodPatch, "/v1/admin/webhooks/"+w.ID, map[string]any{"active": true}).Expect(t, http.StatusOK).JSON(t, &got)
	if !got.Active || got.DisabledReason != nil || got.DisabledAt != nil {
		t.Fatalf("re-enabled %+v", got)
	}
	e4 := k.record("order.created", "order_4", nil)
	k.drain()
	hits = rc.got()
	if hits[len(hits)-1].ID() != e4.ID {
		t.Fatalf("the re-enabled webhook did not receive the next event")
	}
}

// TestWebhookSecretRotation: after a rotation deliveries carry two
// signatures, and the old and the new secret each verify them; with no
// overlap only the new one does.
func TestWebhookSecretRotation(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, always(http.StatusOK))
	k := newHookClient(t)
	w := k.create(rc.URL+"/hook", "*")
	var rotated webhooks.WebhookWithSecret
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/rotate-secret", nil).Expect(t, http.StatusOK).JSON(t, &rotated)
	if rotated.Secret == w.Secret || !strings.HasPrefix(rotated.Secret, "whsec_") || rotated.PreviousSecretExpiresAt == nil ||
		time.Until(*rotated.PreviousSecretExpiresAt) < 23*time.Hour {
		t.Fatalf("rotated %+v", rotated)
	}
	k.record("order.created", "order_1", nil)
	k.drain()
	h := rc.got()[0]
	if n := len(strings.Fields(h.Header.Get("webhook-signature"))); n != 2 {
		t.Fatalf("webhook-signature %q: want two signatures during the overlap", h.Header.Get("webhook-signature"))
	}
	for _, s := range []string{w.Secret, rotated.Secret} {
		if err := verify(t, s, h); err != nil {
			t.Errorf("verify with %s...: %v", s[:10], err)
		}
	}

	var third webhooks.WebhookWithSecret
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/rotate-secret", map[string]any{"overlap_seconds": 0}).
		Expect(t, http.StatusOK).JSON(t, &third)
	if third.PreviousSecretExpiresAt != nil {
		t.Fatalf("rotation without overlap kept a previous secret: %+v", third)
	}
	k.record("order.created", "order_2", nil)
	k.drain()
	h = rc.got()[1]
	if verify(t, third.Secret, h) != nil || verify(t, rotated.Secret, h) == nil || verify(t, w.Secret, h) == nil {
		t.Fatal("after a rotation without overlap only the newest secret must verify")
	}
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/rotate-secret", map[string]any{"overlap_seconds": 999999}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/rotate-secret", map[string]any{"overlap": 5}).
		ExpectProblem(t, http.StatusBadRequest, "malformed_request")
}
