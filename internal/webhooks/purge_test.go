package webhooks

import (
	"net/http"
	"testing"
	"time"
)

// TestPurgeLog: finished deliveries older than the retention period leave
// the log with all their attempts; newer ones and pending ones stay.
func TestPurgeLog(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	g := newRig(t, WithClock(clk.now), WithRetryPolicy(RetryPolicy{Delays: []time.Duration{0}, Horizon: 24 * time.Hour}))
	status := http.StatusInternalServerError
	rc := newReceiver(t, func(int, seen) int { return status })
	w := g.create(rc.URL+"/hook", "*")
	g.record("order.created", "order_old", nil) // two failed attempts
	g.drain()
	clk.advance(LogRetention - time.Hour)
	status = http.StatusOK
	g.record("order.created", "order_new", nil)
	g.drain()
	// A pending delivery, however old, is kept (its retry is far ahead).
	g.svc.retry = RetryPolicy{Delays: []time.Duration{48 * time.Hour}, Horizon: 72 * time.Hour}
	status = http.StatusInternalServerError
	g.record("order.created", "order_pending", nil)
	g.drain()
	clk.advance(2 * time.Hour)
	n, err := g.svc.PurgeLog(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("PurgeLog = %d, %v; want the one old message", n, err)
	}
	l, err := g.svc.ListDeliveries(t.Context(), admin, w.ID, DeliveryFilter{}, pageAll)
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(l.Data); got != "pending failed succeeded" {
		t.Fatalf("log after the purge: %s", got)
	}
}
