// Package jobs runs Storekeep's durable background jobs on River
// (github.com/riverqueue/river), over the same database as everything else:
// PostgreSQL through River's database/sql driver, SQLite through its SQLite
// driver. River's tables are created by db.Migrate.
//
// Invariants: Enqueue inserts the job through the transaction carried by ctx,
// so a job exists if and only if the change that caused it committed; a job is
// retried with backoff until it succeeds or exhausts its attempts, so workers
// must be idempotent (they may run more than once after a crash).
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"storekeep/internal/platform/db"
)

// Args is a job's payload; River stores it as JSON. Kind must be a stable
// name ("inventory.release_expired_reservations"): it routes the job to its worker.
type Args = river.JobArgs

// Job is what a worker receives: the decoded args plus River's row metadata.
type Job[T Args] = river.Job[T]

// Worker handles one kind of job. Embed WorkerDefaults and implement Work.
type Worker[T Args] = river.Worker[T]

// WorkerDefaults gives a worker River's defaults (timeout, retry backoff).
type WorkerDefaults[T Args] = river.WorkerDefaults[T]

// InsertOpts overrides per-job options (queue, priority, schedule, uniqueness).
type InsertOpts = river.InsertOpts

// Options configures a Runner.
type Options struct {
	// Log receives River's own log lines (warnings and errors only).
	Log *slog.Logger
	// MaxWorkers is the number of jobs worked concurrently (default 10; on
	// SQLite writes serialise anyway, so more rarely helps).
	MaxWorkers int
	// PollInterval is how often the queue is polled for new jobs (default 1 s).
	// Jobs inserted by this process are picked up sooner: River wakes its
	// producer on insert.
	PollInterval time.Duration
}

// Runner owns the River client: it holds the registered workers and periodic
// jobs, inserts jobs, and works them between Start and Stop. Register workers
// and periodic jobs before the first Enqueue/Start: the client is built then.
type Runner struct {
	d    *db.DB
	opts Options

	mu       sync.Mutex
	workers  *river.Workers
	periodic []*river.PeriodicJob
	queues   map[string]int
	client   *river.Client[*sql.Tx]
	started  bool
	loops    loops
}

// New returns a Runner over d. It does not start working jobs.
func New(d *db.DB, opts Options) *Runner {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.MaxWorkers <= 0 {
		opts.MaxWorkers = 10
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	return &Runner{d: d, opts: opts, workers: river.NewWorkers()}
}

// Register adds the worker for args kind T. It panics when called after the
// client was built (first Enqueue or Start) or twice for one kind: both are
// wiring bugs that must fail at startup, not at the first job.
func Register[T Args](r *Runner, w Worker[T]) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.client != nil {
		panic("jobs: Register after the runner was built")
	}
	river.AddWorker(r.workers, w)
}

// Periodic schedules a job every interval; make builds its args each time.
// With runOnStart the first run is right after Start instead of one interval
// later. Only the elected leader among running processes enqueues periodic
// jobs, so several API nodes do not multiply them.
func (r *Runner) Periodic(interval time.Duration, make func() Args, runOnStart bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.client != nil {
		panic("jobs: Periodic after the runner was built")
	}
	r.periodic = append(r.periodic, river.NewPeriodicJob(
		river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return make(), nil },
		&river.PeriodicJobOpts{RunOnStart: runOnStart},
	))
}

// Queue adds a named queue worked by up to maxWorkers jobs at once, besides
// the default one: work that waits on the network (webhook deliveries) gets
// a queue of its own so it cannot take every worker from the rest. Jobs go
// to it through InsertOpts.Queue. It panics after the client was built.
func (r *Runner) Queue(name string, maxWorkers int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.client != nil {
		panic("jobs: Queue after the runner was built")
	}
	if r.queues == nil {
		r.queues = map[string]int{}
	}
	r.queues[name] = maxWorkers
}

// build creates the River client once.
func (r *Runner) build() (*river.Client[*sql.Tx], error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.client != nil {
		return r.client, nil
	}
	var driver riverdriver.Driver[*sql.Tx]
	if r.d.Dialect() == db.SQLite {
		driver = riversqlite.New(r.d.SQL())
	} else {
		driver = riverdatabasesql.New(r.d.SQL())
	}
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: r.opts.MaxWorkers}}
	for name, n := range r.queues {
		queues[name] = river.QueueConfig{MaxWorkers: n}
	}
	cfg := &river.Config{
		Logger:            r.opts.Log,
		FetchPollInterval: r.opts.PollInterval,
		FetchCooldown:     min(100*time.Millisecond, r.opts.PollInterval),
		PeriodicJobs:      r.periodic,
		// database/sql has no LISTEN support in River's drivers: poll.
		PollOnly: true,
		Queues:   queues,
		Workers:  r.workers,
	}
	c, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: new river client: %w", err)
	}
	r.client = c
	return c, nil
}

// Enqueue inserts a job. When ctx carries a transaction (db.WithTx) the job is
// inserted in it and becomes visible to workers only if that transaction
// commits; otherwise it is inserted on its own.
func (r *Runner) Enqueue(ctx context.Context, args Args, opts *InsertOpts) error {
	c, err := r.build()
	if err != nil {
		return err
	}
	if db.InTx(ctx) {
		tx, ok := r.d.Conn(ctx).Statement.ConnPool.(*sql.Tx)
		if !ok {
			return errors.New("jobs: transaction in ctx is not a *sql.Tx")
		}
		_, err = c.InsertTx(ctx, tx, args, opts)
	} else {
		_, err = c.Insert(ctx, args, opts)
	}
	if err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// Start begins working jobs and scheduling periodic ones in the background.
// Canceling ctx stops River abruptly, so pass a context that lives as long as
// the process and use Stop for the graceful path (SIGTERM).
func (r *Runner) Start(ctx context.Context) error {
	c, err := r.build()
	if err != nil {
		return err
	}
	if err := c.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	r.mu.Lock()
	r.started = true
	r.mu.Unlock()
	r.startLoops()
	return nil
}

// Stop stops fetching new jobs and waits for running ones to finish, or for
// ctx to end (then running jobs are canceled). Safe to call when not started.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	c, started := r.client, r.started
	r.started = false
	r.mu.Unlock()
	r.stopLoops()
	if c == nil || !started {
		return nil
	}
	err := c.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// Graceful period over: cancel the jobs still running. River
		// rescues them later (they are retried), so nothing is lost.
		return c.StopAndCancel(context.Background())
	}
	return err
}
