package checkout

import (
	"context"
	"time"

	"storekeep/internal/platform/jobs"
)

// PurgeGuestCartsInterval is how often abandoned guest carts are deleted.
const PurgeGuestCartsInterval = time.Hour

// PurgeGuestCartsArgs is the periodic job that deletes abandoned guest carts.
type PurgeGuestCartsArgs struct{}

// Kind names the job (River's JobArgs interface).
func (PurgeGuestCartsArgs) Kind() string { return "checkout.purge_guest_carts" }

// PurgeGuestCartsWorker runs PurgeGuestCartsArgs.
type PurgeGuestCartsWorker struct {
	jobs.WorkerDefaults[PurgeGuestCartsArgs]
	Svc *Service
}

// Work deletes abandoned guest carts (PurgeGuestCarts). It is idempotent, so
// a retried, duplicated or concurrent run is harmless.
func (w *PurgeGuestCartsWorker) Work(ctx context.Context, _ *jobs.Job[PurgeGuestCartsArgs]) error {
	n, err := w.Svc.PurgeGuestCarts(ctx)
	if n > 0 {
		w.Svc.log.InfoContext(ctx, "deleted abandoned guest carts", "count", n)
	}
	return err
}

// registerPurge registers the cleanup worker and, unless cleanup is off
// (WithCartLimits), schedules it every hour (first run at start). The worker
// is registered either way, so a job left queued by an earlier run with
// cleanup on still finds it.
func registerPurge(r *jobs.Runner, s *Service) {
	jobs.Register(r, &PurgeGuestCartsWorker{Svc: s})
	if s.guestTTL() > 0 {
		r.Periodic(PurgeGuestCartsInterval, func() jobs.Args { return PurgeGuestCartsArgs{} }, true)
	}
}
