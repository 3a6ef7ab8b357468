package webhooks

import (
	"net/http"
	"testing"
	"time"
)

// TestDisabledAfterFailingForDays: a final failure disables a webhook only
// once it has been failing (no success in between) for DisableAfter; a
// success starts the count over; a 410 disables it at once. Test pings
// count for nothing.
func TestDisabledAfterFailingForDays(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	// No retries: every failure is final.
	g := newRig(t, WithClock(clk.now), WithRetryPolicy(RetryPolicy{Horizon: 24 * time.Hour}))
	status := http.StatusInternalServerError
	rc := newReceiver(t, func(int, seen) int { return status })
	w := g.create(rc.URL+"/hook", "order.*")

	g.record("order.created", "order_1", map[string]string{"id": "order_1"})
	g.drain()
	if got := g.webhook(w.ID); !got.Active {
		t.Fatalf("disabled after one failure: %+v", got)
	}
	clk.advance(4 * 24 * time.Hour)
	g.record("order.paid", "order_1", map[string]string{"id": "order_1"})
	g.drain()
	if got := g.webhook(w.ID); !got.Active {
		t.Fatalf("disabled after 4 days of failures: %+v", got)
	}
	// A test ping that fails changes nothing.
	clk.advance(2 * 24 * time.Hour)
	if d, err := g.svc.Test(t.Context(), admin, w.ID); err != nil || d.Status != StatusFailed {
		t.Fatalf("ping = %+v, %v; want failed", d, err)
	}
	if got := g.webhook(w.ID); !got.Active {
		t.Fatal("a failed test ping disabled the webhook")
	}
	// Day 6 of the failure run: the next final failure disables it.
	g.record("order.shipped", "order_1", map[string]string{"id": "order_1"})
	g.drain()
	got := g.webhook(w.ID)
	if got.Active || got.DisabledReason == nil || *got.DisabledReason != DisabledFailing || got.DisabledAt == nil {
		t.Fatalf("after 6 days of failures: %+v, want disabled (failing)", got)
	}
	// While disabled nothing is delivered; re-enabled, the count restarts.
	n := len(rc.requests())
	g.record("order.delivered", "order_1", nil)
	g.drain()
	if len(rc.requests()) != n {
		t.Fatal("a disabled webhook received an event")
	}
	on := true
	if got, err := g.svc.Update(t.Context(), admin, w.ID, WebhookPatch{Active: &on}); err != nil || !got.Active ||
		got.DisabledReason != nil {
		t.Fatalf("re-enable = %+v, %v", got, err)
	}
	clk.advance(24 * time.Hour)
	g.record("order.canceled", "order_2", nil)
	g.drain()
	if got := g.webhook(w.ID); !got.Active {
		t.Fatal("disabled by the first failure after re-enabling")
	}
	// A success resets the run: failures resume from zero days.
	status = http.StatusOK
	g.record("order.created", "order_3", nil)
	g.drain()
	status = http.StatusBadGateway
	clk.advance(6 * 24 * time.Hour)
	g.record("order.paid", "order_3", nil)
	g.drain()
	if got := g.webhook(w.ID); !got.Active {
		t.Fatal("disabled though it succeeded since its last failures")
	}
	// 410 Gone: off at once, reason gone.
	status = http.StatusGone
	g.record("order.created", "order_4", nil)
	g.drain()
	got = g.webhook(w.ID)
	if got.Active || got.DisabledReason == nil || *got.DisabledReason != DisabledGone {
		t.Fatalf("after 410: %+v, want disabled (gone)", got)
	}
}
