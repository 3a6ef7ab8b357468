package metrics

import (
	"context"
	"time"

	"storekeep/internal/platform/jobs"
)

// How often the rollups catch up with changed rows, and are rebuilt whole.
const (
	RollupCatchUpInterval = time.Minute
	RollupRebuildInterval = 24 * time.Hour
)

// RollupCatchUpArgs is the periodic job that rebuilds the hours changed
// rows touch (CatchUp).
type RollupCatchUpArgs struct{}

// Kind names the job (River's JobArgs interface).
func (RollupCatchUpArgs) Kind() string { return "metrics.rollup_catch_up" }

// RollupRebuildArgs is the daily job that rebuilds every hour (Rebuild),
// correcting any drift (a row changed without moving its updated_at, a
// variant's cost, a run that failed half way).
type RollupRebuildArgs struct{}

// Kind names the job (River's JobArgs interface).
func (RollupRebuildArgs) Kind() string { return "metrics.rollup_rebuild" }

// RollupCatchUpWorker runs RollupCatchUpArgs.
type RollupCatchUpWorker struct {
	jobs.WorkerDefaults[RollupCatchUpArgs]
	KPIs *KPIs
}

// Work catches the rollups up; idempotent, so a retry or a duplicate run
// is harmless.
func (w *RollupCatchUpWorker) Work(ctx context.Context, _ *jobs.Job[RollupCatchUpArgs]) error {
	return w.KPIs.CatchUp(ctx)
}

// RollupRebuildWorker runs RollupRebuildArgs.
type RollupRebuildWorker struct {
	jobs.WorkerDefaults[RollupRebuildArgs]
	KPIs *KPIs
}

// Work rebuilds the rollups; idempotent.
func (w *RollupRebuildWorker) Work(ctx context.Context, _ *jobs.Job[RollupRebuildArgs]) error {
	return w.KPIs.Rebuild(ctx)
}

// RegisterRollupJobs registers the rollup workers and schedules them: the
// catch-up every minute (first run at start), the full rebuild daily.
func RegisterRollupJobs(r *jobs.Runner, k *KPIs) {
	jobs.Register(r, &RollupCatchUpWorker{KPIs: k})
	jobs.Register(r, &RollupRebuildWorker{KPIs: k})
	r.Periodic(RollupCatchUpInterval, func() jobs.Args { return RollupCatchUpArgs{} }, true)
	r.Periodic(RollupRebuildInterval, func() jobs.Args { return RollupRebuildArgs{} }, false)
}
