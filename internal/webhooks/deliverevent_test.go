package webhooks

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"storekeep/internal/platform/events"
)

// TestDeliverEvent: the automations' call_webhook path delivers an event to
// one webhook whatever it subscribes to, inside the caller's transaction (a
// rollback leaves no delivery); an unknown webhook is ErrNotFound.
func TestDeliverEvent(t *testing.T) {
	t.Parallel()
	g := newRig(t)
	rc := newReceiver(t, func(int, seen) int { return http.StatusOK })
	w := g.create(rc.URL+"/hook", "refund.created")
	e := events.Event{ID: "evt_06h1wbq28dxanf5st2bqp8yfxm", Type: "order.delivered", ResourceType: "order",
		SubjectID: "order_1", Payload: []byte(`{"id":"order_1"}`), CreatedAt: time.Now()}
	ctx := t.Context()
	boom := errors.New("rule failed")
	err := g.d.WithTx(ctx, func(ctx context.Context) error {
		if err := g.svc.DeliverEvent(ctx, w.ID, e); err != nil {
			t.Fatal(err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx = %v", err)
	}
	g.drain()
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("a rolled-back DeliverEvent delivered %d requests", n)
	}
	if err := g.d.WithTx(ctx, func(ctx context.Context) error { return g.svc.DeliverEvent(ctx, w.ID, e) }); err != nil {
		t.Fatal(err)
	}
	if err := g.svc.DeliverEvent(ctx, "wh_06h1wbq28dxanf5st2bqp8yfxm", e); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown webhook: %v, want ErrNotFound", err)
	}
	g.drain()
	got := rc.requests()
	if len(got) != 1 || got[0].Header.Get("webhook-id") != e.ID ||
		string(got[0].Body) != `{"type":"order.delivered","timestamp":"`+e.CreatedAt.UTC().Format(time.RFC3339Nano)+`","data":{"id":"order_1"}}` {
		t.Fatalf("delivered %+v", got)
	}
}
