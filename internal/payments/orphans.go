package payments

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/platform/jobs"
)

// A webhook can arrive while the checkout that records its payment is still
// in its transaction: on PostgreSQL neither transaction sees the other's
// rows, so the event is recorded as unknown_payment and Record does not see
// it. The orphan sweep closes that window: it applies recorded
// unknown_payment events whose payment now exists, exactly as the webhook
// would have (forward only, amount checked, hooks in the same transaction).

// OrphanSweepInterval is how often the orphan sweep runs.
const OrphanSweepInterval = time.Minute

// orphanBatch bounds one sweep; the next run takes the rest.
const orphanBatch = 100

// ApplyOrphanEvents applies unknown_payment webhook events whose payment has
// since been recorded, and returns how many payments it looked at. It is
// idempotent: each event's outcome is updated in the transaction that
// applies it.
func (s *Service) ApplyOrphanEvents(ctx context.Context) (int, error) {
	var ids []string
	err := s.db.Conn(ctx).Raw(`SELECT DISTINCT p.id FROM payments p
		JOIN payment_webhook_events e ON e.provider = p.provider AND e.provider_ref = p.provider_ref
		WHERE e.outcome = ? AND p.provider_ref <> '' ORDER BY p.id LIMIT ?`, OutcomeUnknownPayment, orphanBatch).
		Scan(&ids).Error
	if err != nil {
		return 0, fmt.Errorf("find orphan webhook events: %w", err)
	}
	for _, pid := range ids {
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			row, err := s.row(ctx, pid)
			if err != nil {
				return err
			}
			before := row.Status
			if err := s.applyEarlyEvents(ctx, row); err != nil {
				return err
			}
			after, err := s.row(ctx, pid)
			if err != nil || after.Status == before {
				return err
			}
			return s.runHooks(ctx, after.payment())
		})
		if err != nil {
			return 0, fmt.Errorf("apply orphan events of %s: %w", pid, err)
		}
	}
	return len(ids), nil
}

// OrphanSweepArgs is the periodic job running ApplyOrphanEvents.
type OrphanSweepArgs struct{}

// Kind names the job (River's JobArgs interface).
func (OrphanSweepArgs) Kind() string { return "payments.apply_orphan_webhook_events" }

// OrphanSweepWorker runs OrphanSweepArgs.
type OrphanSweepWorker struct {
	jobs.WorkerDefaults[OrphanSweepArgs]
	Svc *Service
}

// Work applies orphan webhook events.
func (w *OrphanSweepWorker) Work(ctx context.Context, _ *jobs.Job[OrphanSweepArgs]) error {
	n, err := w.Svc.ApplyOrphanEvents(ctx)
	if n > 0 {
		w.Svc.log.InfoContext(ctx, "applied orphan payment webhook events", "payments", n)
	}
	return err
}

// RegisterJobs registers the payments domain's periodic jobs. Call it while
// wiring, before the runner starts.
func RegisterJobs(r *jobs.Runner, s *Service) {
	jobs.Register(r, &OrphanSweepWorker{Svc: s})
	r.Periodic(OrphanSweepInterval, func() jobs.Args { return OrphanSweepArgs{} }, false)
}
