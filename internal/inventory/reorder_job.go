package inventory

import (
	"context"

	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// reorderWorker works the durable reorder job: ReorderVariant is idempotent,
// so River's retries (and a rerun after a crash) are safe.
type reorderWorker struct {
	jobs.WorkerDefaults[ReorderArgs]
	svc *Service
}

// Work drafts or tops up the purchase order for the job's variant.
func (w *reorderWorker) Work(ctx context.Context, job *jobs.Job[ReorderArgs]) error {
	_, err := w.svc.ReorderVariant(ctx, job.Args.VariantID)
	return err
}

// RegisterReordering wires automatic reordering: it registers the reorder
// job's worker with runner and the low-stock hook that, in the stock
// change's transaction, records inventory.low_stock in the events outbox and
// enqueues the job; and it schedules the hourly reorder sweep (first run at
// start). Call it once at wiring time, before runner starts.
func (s *Service) RegisterReordering(runner *jobs.Runner) {
	jobs.Register(runner, &reorderWorker{svc: s})
	jobs.Register(runner, &reorderSweepWorker{svc: s})
	runner.Periodic(ReorderSweepInterval, func() jobs.Args { return ReorderSweepArgs{} }, true)
	s.OnLowStock(ReorderOnLowStock(
		func(ctx context.Context, typ, subjectID string, payload any) error {
			return events.Record(ctx, s.db, typ, subjectID, payload)
		},
		func(ctx context.Context, a ReorderArgs) error { return runner.Enqueue(ctx, a, nil) },
	))
}
