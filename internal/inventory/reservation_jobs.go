package inventory

import (
	"context"
	"time"

	"storekeep/internal/platform/jobs"
)

// ReleaseExpiredInterval is how often expired reservations are swept.
const ReleaseExpiredInterval = time.Minute

// ReleaseExpiredArgs is the periodic job that releases expired reservations.
type ReleaseExpiredArgs struct{}

// Kind names the job (River's JobArgs interface).
func (ReleaseExpiredArgs) Kind() string { return "inventory.release_expired_reservations" }

// ReleaseExpiredWorker runs ReleaseExpiredArgs.
type ReleaseExpiredWorker struct {
	jobs.WorkerDefaults[ReleaseExpiredArgs]
	Svc *Service
}

// Work releases every reservation expired by the database's clock. It is
// idempotent (each release is a guarded claim), so a retried, duplicated or
// concurrently running sweep is harmless.
func (w *ReleaseExpiredWorker) Work(ctx context.Context, _ *jobs.Job[ReleaseExpiredArgs]) error {
	n, err := w.Svc.ReleaseExpiredNow(ctx)
	if n > 0 {
		w.Svc.log.InfoContext(ctx, "released expired reservations", "count", n)
	}
	return err
}

// RegisterReservationJobs registers the expiry worker and schedules it every
// minute (first run at start). Call it while wiring, before the runner starts.
func RegisterReservationJobs(r *jobs.Runner, s *Service) {
	jobs.Register(r, &ReleaseExpiredWorker{Svc: s})
	r.Periodic(ReleaseExpiredInterval, func() jobs.Args { return ReleaseExpiredArgs{} }, true)
}
