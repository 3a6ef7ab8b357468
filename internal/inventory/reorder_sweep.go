package inventory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"storekeep/internal/platform/jobs"
)

// ReorderSweepInterval is how often every low level is reordered for, on top
// of the low-stock hook that fires when a level first falls to its reorder
// point. The sweep tops drafts up as stock keeps falling, and re-drafts for a
// level that stayed low after its draft was canceled.
const ReorderSweepInterval = time.Hour

// ReorderSweepArgs is the periodic job that reorders for every low level.
type ReorderSweepArgs struct{}

// Kind names the job (River's JobArgs interface).
func (ReorderSweepArgs) Kind() string { return "inventory.reorder_sweep" }

type reorderSweepWorker struct {
	jobs.WorkerDefaults[ReorderSweepArgs]
	svc *Service
}

// Work runs ReorderVariant for each variant with a low level. Each variant is
// its own transaction, and ReorderVariant is idempotent, so a retried or
// overlapping sweep is harmless; one variant failing does not stop the rest.
func (w *reorderSweepWorker) Work(ctx context.Context, _ *jobs.Job[ReorderSweepArgs]) error {
	return w.svc.ReorderLow(ctx)
}

// ReorderLow runs ReorderVariant for every variant that has a low level.
func (s *Service) ReorderLow(ctx context.Context) error {
	var ids []string
	err := s.db.Conn(ctx).Model(&levelRow{}).Distinct("variant_id").
		Where("reorder_point > 0 AND on_hand - reserved <= reorder_point").Order("variant_id").Pluck("variant_id", &ids).Error
	if err != nil {
		return fmt.Errorf("list low variants: %w", err)
	}
	var failed []error
	for _, v := range ids {
		if _, err := s.ReorderVariant(ctx, v); err != nil {
			failed = append(failed, err)
		}
	}
	return errors.Join(failed...)
}
