package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/jobs"
)

type countArgs struct {
	Label string `json:"label"`
}

func (countArgs) Kind() string { return "test.count" }

type countWorker struct {
	jobs.WorkerDefaults[countArgs]
	runs   atomic.Int64
	labels chan string
}

func (w *countWorker) Work(_ context.Context, j *jobs.Job[countArgs]) error {
	w.runs.Add(1)
	select {
	case w.labels <- j.Args.Label:
	default:
	}
	return nil
}

func newRunner(t *testing.T, d *db.DB) (*jobs.Runner, *countWorker) {
	t.Helper()
	r := jobs.New(d, jobs.Options{PollInterval: 20 * time.Millisecond})
	w := &countWorker{labels: make(chan string, 100)}
	jobs.Register(r, w)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return r, w
}

func TestEnqueueFollowsTheCallersTransaction(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	r, w := newRunner(t, d)
	ctx := t.Context()
	boom := errors.New("boom")

	err := d.WithTx(ctx, func(ctx context.Context) error {
		if err := d.Conn(ctx).Exec(`INSERT INTO settings (key, value, updated_at) VALUES ('rolled', 'v', ?)`, db.Now()).Error; err != nil {
			return err
		}
		if err := r.Enqueue(ctx, countArgs{Label: "rolled back"}, nil); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx = %v", err)
	}
	err = d.WithTx(ctx, func(ctx context.Context) error {
		return r.Enqueue(ctx, countArgs{Label: "committed"}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	if err := d.SQL().QueryRowContext(ctx, `SELECT count(*) FROM river_job`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Fatalf("river_job has %d rows, want 1 (rolled-back enqueue must vanish)", rows)
	}

	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := r.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	if got := w.runs.Load(); got != 1 {
		t.Fatalf("worker ran %d times, want exactly 1", got)
	}
	if got := <-w.labels; got != "committed" {
		t.Errorf("worked %q, want committed", got)
	}
	// Later polls must not run it again.
	time.Sleep(200 * time.Millisecond)
	if got := w.runs.Load(); got != 1 {
		t.Errorf("worker ran %d times after settling, want 1", got)
	}
}

func TestEnqueueWithoutTransaction(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	r, w := newRunner(t, d)
	ctx := t.Context()
	if err := r.Enqueue(ctx, countArgs{Label: "pool"}, nil); err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := r.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	if got := w.runs.Load(); got != 1 {
		t.Fatalf("worker ran %d times, want 1", got)
	}
}

func TestPeriodicJobFires(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	r, w := newRunner(t, d)
	r.Periodic(50*time.Millisecond, func() jobs.Args { return countArgs{Label: "tick"} }, true)
	if err := r.Start(context.WithoutCancel(t.Context())); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		select {
		case got := <-w.labels:
			if got != "tick" {
				t.Fatalf("got %q", got)
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("periodic job fired %d times within 15 s, want >= 2", i)
		}
	}
}

func TestRegisterAfterBuildPanics(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	r, _ := newRunner(t, d)
	if err := r.Enqueue(t.Context(), countArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Register after build did not panic")
		}
	}()
	jobs.Register(r, &countWorker{})
}

// A job enqueued on a named queue is worked by that queue's workers.
func TestNamedQueue(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	r := jobs.New(d, jobs.Options{PollInterval: 20 * time.Millisecond})
	w := &countWorker{labels: make(chan string, 10)}
	jobs.Register(r, w)
	r.Queue("network", 2)
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
	if err := r.Enqueue(t.Context(), countArgs{Label: "queued"}, &jobs.InsertOpts{Queue: "network"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.runs.Load(); got != 1 {
		t.Fatalf("worker ran %d times, want 1", got)
	}
}
