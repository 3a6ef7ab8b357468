package loyalty

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/platform/jobs"
)

// Expire debits the points whose time is up, oldest first: debits consume
// credits in the order they were made, so what expires is the part of each
// past-due credit that no debit has consumed yet. Re-running is harmless
// (an expire entry is itself a debit). It returns the points expired.
func (s *Service) Expire(ctx context.Context) (int64, error) {
	now := s.now()
	var ids []string
	if err := s.db.Conn(ctx).Model(&ledgerRow{}).Distinct("customer_id").
		Where("points > 0 AND expires_at IS NOT NULL AND expires_at <= ?", now).Order("customer_id").
		Pluck("customer_id", &ids).Error; err != nil {
		return 0, fmt.Errorf("find expiring points: %w", err)
	}
	var total int64
	for _, c := range ids {
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			n, err := s.expireOne(ctx, c, now)
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (s *Service) expireOne(ctx context.Context, customerID string, now time.Time) (int64, error) {
	var rows []ledgerRow
	if err := s.db.Conn(ctx).Where("customer_id = ?", customerID).Order("id").Find(&rows).Error; err != nil {
		return 0, err
	}
	var debits int64
	for _, r := range rows {
		if r.Points < 0 {
			debits -= r.Points
		}
	}
	var due int64
	for _, r := range rows {
		if r.Points <= 0 {
			continue
		}
		used := min(debits, r.Points)
		debits -= used
		if r.ExpiresAt != nil && !r.ExpiresAt.After(now) {
			due += r.Points - used
		}
	}
	bal, _, err := s.Balance(ctx, customerID)
	if err != nil {
		return 0, err
	}
	due = min(due, bal)
	if due <= 0 {
		return 0, nil
	}
	_, err = s.post(ctx, ledgerRow{CustomerID: customerID, Kind: KindExpire, Points: -due, Reason: "points expired"})
	return due, err
}

// MaintainInterval is how often the expiry and tier pass runs.
const MaintainInterval = time.Hour

// MaintainArgs is the periodic job that expires points and recomputes tiers.
type MaintainArgs struct{}

// Kind names the job.
func (MaintainArgs) Kind() string { return "loyalty.maintain" }

// MaintainWorker runs MaintainArgs.
type MaintainWorker struct {
	jobs.WorkerDefaults[MaintainArgs]
	Svc *Service
}

// Work expires due points, then recomputes every tier. Idempotent.
func (w *MaintainWorker) Work(ctx context.Context, _ *jobs.Job[MaintainArgs]) error {
	n, err := w.Svc.Expire(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.Svc.log.InfoContext(ctx, "expired loyalty points", "points", n)
	}
	_, err = w.Svc.RecomputeAllTiers(ctx)
	return err
}

// RegisterJobs registers the maintenance worker and schedules it.
func RegisterJobs(r *jobs.Runner, s *Service) {
	if r == nil {
		return
	}
	jobs.Register(r, &MaintainWorker{Svc: s})
	r.Periodic(MaintainInterval, func() jobs.Args { return MaintainArgs{} }, true)
}
