package idempotency

import (
	"context"
	"time"

	"storekeep/internal/platform/jobs"
)

// PurgeArgs is the periodic job that deletes expired keys.
type PurgeArgs struct{}

// Kind names the job.
func (PurgeArgs) Kind() string { return "idempotency.purge_expired" }

// PurgeWorker runs PurgeArgs.
type PurgeWorker struct {
	jobs.WorkerDefaults[PurgeArgs]
	Store *Store
}

// Work deletes expired keys; deleting is naturally idempotent, so a retried
// or duplicated run is harmless.
func (w *PurgeWorker) Work(ctx context.Context, _ *jobs.Job[PurgeArgs]) error {
	_, err := w.Store.Purge(ctx)
	return err
}

// PurgeInterval is how often expired keys are purged.
const PurgeInterval = time.Hour

// RegisterJobs registers the purge worker and schedules it hourly (first run
// at start). Call it while wiring, before the runner starts.
func RegisterJobs(r *jobs.Runner, s *Store) {
	jobs.Register(r, &PurgeWorker{Store: s})
	r.Periodic(PurgeInterval, func() jobs.Args { return PurgeArgs{} }, true)
}
