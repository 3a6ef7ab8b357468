package checkout

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// EventCartAbandoned is recorded once per idle spell of an open cart that
// has an e-mail and items and was not changed for the abandonment delay
// (WithAbandonedCarts), with the Cart as the store API returns it. A cart
// changed after its event is abandoned again after a new idle spell.
const EventCartAbandoned = "cart.abandoned"

// DefaultAbandonedAfter is how long a cart sits idle before it counts as
// abandoned (STOREKEEP_CART_ABANDONED_AFTER).
const DefaultAbandonedAfter = time.Hour

// AbandonedCartsInterval is how often the job looks for abandoned carts: an
// event comes at most this late after the delay.
const AbandonedCartsInterval = 5 * time.Minute

// abandonBatch bounds the carts one scan reads; a run scans at most
// abandonBatches times (the next run goes on).
const (
	abandonBatch   = 100
	abandonBatches = 20
)

// WithAbandonedCarts sets after how long an idle cart is abandoned (0: the
// default, negative: never) and the clock the idle time is measured with
// (nil: the service's).
func WithAbandonedCarts(after time.Duration, now func() time.Time) Option {
	return func(s *Service) { s.abandonAfter, s.abandonNow = after, now }
}

// abandonedAfter is the abandonment delay; 0: off.
func (s *Service) abandonedAfter() time.Duration {
	switch {
	case s.abandonAfter < 0:
		return 0
	case s.abandonAfter == 0:
		return DefaultAbandonedAfter
	}
	return s.abandonAfter
}

// dueCarts selects the carts not reported for their current idle spell;
// its terms are the carts_abandon_due index's (migration 00025), so both
// databases scan that index only.
const dueCarts = `status = 'open' AND email <> '' AND (abandoned_idle_since IS NULL OR abandoned_idle_since < updated_at)`

// RecordAbandonedCarts records cart.abandoned for every cart due: open,
// with an e-mail and at least one item, idle since before now minus the
// delay, not reported since its last change. Each cart is marked and its
// event recorded in one short transaction, with a guarded update that
// re-checks every condition, so a cart changed meanwhile is skipped and a
// concurrent or repeated run records nothing twice. It reports how many it
// recorded.
func (s *Service) RecordAbandonedCarts(ctx context.Context) (int, error) {
	after := s.abandonedAfter()
	if after == 0 {
		return 0, nil
	}
	now := s.now
	if s.abandonNow != nil {
		now = s.abandonNow
	}
	cutoff := now().UTC().Add(-after)
	total := 0
	for range abandonBatches {
		var ids []string
		err := s.db.Conn(ctx).Model(&cartRow{}).Where(dueCarts).
			Where("updated_at <= ? AND EXISTS (SELECT 1 FROM cart_items WHERE cart_items.cart_id = carts.id)", cutoff).
			Order("updated_at, id").Limit(abandonBatch).Pluck("id", &ids).Error
		if err != nil {
			return total, fmt.Errorf("find abandoned carts: %w", err)
		}
		for _, cartID := range ids {
			ok, err := s.markAbandoned(ctx, cartID, cutoff)
			if err != nil {
				return total, err
			}
			if ok {
				total++
			}
		}
		if len(ids) < abandonBatch {
			break
		}
	}
	return total, nil
}

// markAbandoned marks one cart reported for its idle spell and records its event,
// unless it stopped being due.
func (s *Service) markAbandoned(ctx context.Context, cartID string, cutoff time.Time) (bool, error) {
	done := false
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		// Raw SQL: a GORM update would move updated_at, starting a new spell.
		res := s.db.Conn(ctx).Exec(`UPDATE carts SET abandoned_idle_since = updated_at WHERE id = ? AND `+dueCarts+
			` AND updated_at <= ? AND EXISTS (SELECT 1 FROM cart_items WHERE cart_items.cart_id = carts.id)`, cartID, cutoff)
		if res.Error != nil {
			return fmt.Errorf("mark cart abandoned: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		var r cartRow
		if err := s.db.Conn(ctx).Where("id = ?", cartID).Take(&r).Error; err != nil {
			return fmt.Errorf("read abandoned cart: %w", err)
		}
		c, err := s.view(ctx, r)
		if err != nil {
			return err
		}
		done = true
		return events.Record(ctx, s.db, EventCartAbandoned, cartID, c)
	})
	return done, err
}

// AbandonedCartsArgs is the periodic job that records cart.abandoned.
type AbandonedCartsArgs struct{}

// Kind names the job (River's JobArgs interface).
func (AbandonedCartsArgs) Kind() string { return "checkout.abandoned_carts" }

// AbandonedCartsWorker runs AbandonedCartsArgs.
type AbandonedCartsWorker struct {
	jobs.WorkerDefaults[AbandonedCartsArgs]
	Svc *Service
}

// Work records the abandoned carts (RecordAbandonedCarts); idempotent.
func (w *AbandonedCartsWorker) Work(ctx context.Context, _ *jobs.Job[AbandonedCartsArgs]) error {
	n, err := w.Svc.RecordAbandonedCarts(ctx)
	if n > 0 {
		w.Svc.log.InfoContext(ctx, "recorded abandoned carts", "count", n)
	}
	return err
}

// registerAbandoned registers the worker and, unless abandonment is off,
// schedules it every AbandonedCartsInterval (first run at start, which
// catches up after a restart).
func registerAbandoned(r *jobs.Runner, s *Service) {
	jobs.Register(r, &AbandonedCartsWorker{Svc: s})
	if s.abandonedAfter() > 0 {
		r.Periodic(AbandonedCartsInterval, func() jobs.Args { return AbandonedCartsArgs{} }, true)
	}
}
