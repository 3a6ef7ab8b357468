package orders

import (
	"context"
	"errors"
	"time"

	"storekeep/internal/platform/jobs"
)

// ExpireInterval is how often pending orders are expired and canceled
// orders' payments settled.
const ExpireInterval = time.Minute

// ExpireArgs is the periodic job that expires pending orders.
type ExpireArgs struct{}

// Kind names the job (River's JobArgs interface).
func (ExpireArgs) Kind() string { return "orders.expire_pending" }

// ExpireWorker runs ExpireArgs.
type ExpireWorker struct {
	jobs.WorkerDefaults[ExpireArgs]
	Svc *Service
}

// Work cancels expired pending orders, then retries the payment settlement
// of canceled orders, the capture of fulfilled ones and the settlement of
// canceled remainders. All are idempotent (guarded transitions, provider
// keys derived from the order), so a retried or concurrent run is harmless.
func (w *ExpireWorker) Work(ctx context.Context, _ *jobs.Job[ExpireArgs]) error {
	n, err := w.Svc.ExpirePending(ctx)
	if n > 0 {
		w.Svc.log.InfoContext(ctx, "expired pending orders", "count", n)
	}
	m, serr := w.Svc.SettleCanceled(ctx)
	if m > 0 {
		w.Svc.log.InfoContext(ctx, "settled canceled orders", "count", m)
	}
	c, cerr := w.Svc.CaptureFulfilled(ctx)
	if c > 0 {
		w.Svc.log.InfoContext(ctx, "captured fulfilled orders", "count", c)
	}
	// After the captures: a cancellation waiting for its order's capture
	// finds it done.
	r, rerr := w.Svc.SettleCancellations(ctx)
	if r > 0 {
		w.Svc.log.InfoContext(ctx, "settled canceled remainders", "count", r)
	}
	return errors.Join(err, serr, cerr, rerr)
}

// RegisterOrderJobs registers the expiry worker and schedules it every
// minute (first run at start). Call it while wiring, before the runner starts.
func RegisterOrderJobs(r *jobs.Runner, s *Service) {
	jobs.Register(r, &ExpireWorker{Svc: s})
	r.Periodic(ExpireInterval, func() jobs.Args { return ExpireArgs{} }, true)
}
