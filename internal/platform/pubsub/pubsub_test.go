package pubsub_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/pubsub"
)

// recorder collects a bus's events.
type recorder struct {
	mu     sync.Mutex
	events []pubsub.Event
}

func (r *recorder) handle(_ context.Context, e pubsub.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// waitFor polls until cond holds on the events, or fails after 10 s.
func (r *recorder) waitFor(t *testing.T, what string, cond func([]pubsub.Event) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.mu.Lock()
		ok := cond(r.events)
		r.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func payloads(es []pubsub.Event) []string {
	var out []string
	for _, e := range es {
		if !e.Resync {
			out = append(out, string(e.Payload))
		}
	}
	return out
}

// TestPublishReachesTheHandler: a payload published after Start reaches
// the handler (on PostgreSQL through the node's own LISTEN connection);
// one published inside a rolled-back transaction never does on PostgreSQL.
func TestPublishReachesTheHandler(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	var rec recorder
	bus := pubsub.New(d, "pubsub_test", rec.handle, pubsub.Options{})
	t.Cleanup(func() { _ = bus.Close() })
	if err := bus.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if d.Dialect() == db.Postgres {
		err := d.WithTx(t.Context(), func(ctx context.Context) error {
			if err := bus.Publish(ctx, []byte("rolled-back")); err != nil {
				return err
			}
			return fmt.Errorf("roll back")
		})
		if err == nil {
			t.Fatal("transaction committed")
		}
	}
	for i := range 3 {
		if err := bus.Publish(t.Context(), fmt.Appendf(nil, "p%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	rec.waitFor(t, "3 payloads", func(es []pubsub.Event) bool { return len(payloads(es)) >= 3 })
	if got := fmt.Sprint(payloads(rec.events)); got != "[p0 p1 p2]" {
		t.Errorf("payloads = %s, want [p0 p1 p2]", got)
	}
}

// TestTwoBusesOnePostgres: two nodes' buses on one database each receive
// what either publishes.
func TestTwoBusesOnePostgres(t *testing.T) {
	t.Parallel()
	if !dbtest.Postgres() {
		t.Skip("PostgreSQL only (TEST_DATABASE_URL)")
	}
	d := dbtest.New(t)
	var a, b recorder
	busA := pubsub.New(d, "pubsub_two", a.handle, pubsub.Options{})
	busB := pubsub.New(d, "pubsub_two", b.handle, pubsub.Options{})
	for _, bus := range []*pubsub.Bus{busA, busB} {
		t.Cleanup(func() { _ = bus.Close() })
		if err := bus.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if err := busA.Publish(t.Context(), []byte("from-a")); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, "B to hear A", func(es []pubsub.Event) bool { return len(payloads(es)) == 1 })
	a.waitFor(t, "A to hear itself", func(es []pubsub.Event) bool { return len(payloads(es)) == 1 })
}

// TestListenerKilledResyncs: when the listening backend is terminated, the
// bus reconnects and delivers a Resync; a payload sent while no connection
// listened is lost (which is why Resync exists), later ones arrive.
func TestListenerKilledResyncs(t *testing.T) {
	t.Parallel()
	if !dbtest.Postgres() {
		t.Skip("PostgreSQL only (TEST_DATABASE_URL)")
	}
	d := dbtest.New(t)
	var rec recorder
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	bus := pubsub.New(d, "pubsub_kill", rec.handle, pubsub.Options{MinBackoff: 10 * time.Millisecond,
		BeforeReconnect: func(ctx context.Context) {
			once.Do(func() { close(held) })
			select {
			case <-release:
			case <-ctx.Done():
			}
		}})
	t.Cleanup(func() { _ = bus.Close() })
	if err := bus.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	KillListeners(t, d)
	<-held
	if err := bus.Publish(t.Context(), []byte("lost")); err != nil {
		t.Fatal(err)
	}
	close(release)
	rec.waitFor(t, "a resync", func(es []pubsub.Event) bool { return len(es) > 0 && es[len(es)-1].Resync })
	if err := bus.Publish(t.Context(), []byte("after")); err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, "the payload after the resync", func(es []pubsub.Event) bool { return len(payloads(es)) == 1 })
	if got := fmt.Sprint(payloads(rec.events)); got != "[after]" || bus.Reconnects() != 1 {
		t.Errorf("payloads = %s, reconnects = %d; want [after], 1", got, bus.Reconnects())
	}
}

// KillListeners terminates d's listening connections (pg_terminate_backend).
func KillListeners(t *testing.T, d *db.DB) {
	t.Helper()
	var n int64
	err := d.Conn(t.Context()).Raw(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = ? AND datname = current_database()`, db.ListenApplicationName).Scan(&n).Error
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no listening connection to kill")
	}
}
