package events_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// Consumers see every event once, in id order; a consumer's failure rolls
// the batch back and the next round hands the same events again.
func TestDispatcherHandsEventsInOrderAndRetriesFailedBatches(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := t.Context()
	for _, s := range []string{"a", "b", "c"} {
		if err := events.Record(ctx, d, "order.created", "order_"+s, map[string]string{"s": s}); err != nil {
			t.Fatal(err)
		}
	}
	x := events.NewDispatcher(d)
	var mu sync.Mutex
	var seen []string
	fail := true
	x.Subscribe("recorder", func(ctx context.Context, e events.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if e.ResourceType != "order" {
			t.Errorf("resource type %q, want order", e.ResourceType)
		}
		seen = append(seen, e.SubjectID)
		if fail && e.SubjectID == "order_b" {
			return errors.New("boom")
		}
		return nil
	})
	if n, err := x.DispatchPending(ctx); err == nil || n != 0 {
		t.Fatalf("first round = %d, %v; want the consumer's error", n, err)
	}
	fail = false
	seen = nil
	if n, err := x.DispatchPending(ctx); err != nil || n != 3 {
		t.Fatalf("second round = %d, %v; want 3 dispatched", n, err)
	}
	if got := len(seen); got != 3 || seen[0] != "order_a" || seen[2] != "order_c" {
		t.Fatalf("seen %v, want a, b, c", seen)
	}
	if n, err := x.DispatchPending(ctx); err != nil || n != 0 {
		t.Fatalf("third round = %d, %v; want nothing left", n, err)
	}
	all, err := events.List(ctx, d, events.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if e.DeliveredAt == nil {
			t.Errorf("event %s not marked dispatched", e.ID)
		}
	}
}

// Drain runs the dispatch loop until the outbox is empty, including events
// recorded by a consumer's own job.
func TestDrainRunsTheDispatchLoop(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := t.Context()
	r := jobs.New(d, jobs.Options{})
	jobs.Register(r, &noopWorker{}) // River starts only with a worker
	x := events.NewDispatcher(d)
	x.Register(r)
	var mu sync.Mutex
	count := 0
	x.Subscribe("chain", func(ctx context.Context, e events.Event) error {
		mu.Lock()
		count++
		mu.Unlock()
		if e.Type == "order.created" {
			return events.Record(ctx, d, "order.paid", e.SubjectID, nil)
		}
		return nil
	})
	if err := events.Record(ctx, d, "order.created", "order_1", nil); err != nil {
		t.Fatal(err)
	}
	if err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
	mu.Lock()
	defer mu.Unlock()
	if count != 2 {
		t.Fatalf("consumer saw %d events, want 2 (order.created, then order.paid)", count)
	}
}

type noopArgs struct{}

func (noopArgs) Kind() string { return "test.noop" }

type noopWorker struct{ jobs.WorkerDefaults[noopArgs] }

func (*noopWorker) Work(context.Context, *jobs.Job[noopArgs]) error { return nil }

// Two nodes dispatching the same outbox at once (two dispatchers over one
// database, as two API processes are): every event reaches the consumers
// exactly once, and in id order. On PostgreSQL the advisory lock is what
// holds this; without it both would read the same undispatched rows.
func TestDispatchersOnTwoNodesHandEachEventOnceInOrder(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := t.Context()
	const n = 300
	for i := range n {
		if err := events.Record(ctx, d, "order.created", fmt.Sprintf("order_%03d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var seen []string
	consumer := func(ctx context.Context, e events.Event) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, e.ID)
		return nil
	}
	var wg sync.WaitGroup
	for range 2 {
		x := events.NewDispatcher(d)
		x.Subscribe("recorder", consumer)
		wg.Go(func() {
			for {
				k, err := x.DispatchPending(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if k == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("consumers saw %d events, want each of %d once", len(seen), n)
	}
	if !slices.IsSorted(seen) {
		t.Fatal("events reached the consumers out of id order")
	}
}
