package webhooks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/jobs"
)

// deliverWorker works the webhooks.deliver jobs: one attempt each.
type deliverWorker struct {
	jobs.WorkerDefaults[deliverArgs]
	s *Service
}

// Work makes the attempt; an error (the database failing) lets River retry
// the job, which may then claim the attempt again.
func (w *deliverWorker) Work(ctx context.Context, j *jobs.Job[deliverArgs]) error {
	_, err := w.s.attempt(ctx, j.Args.DeliveryID, "job:"+strconv.FormatInt(j.ID, 10))
	return err
}

// Queue is the jobs queue of deliveries: a slow receiver holds one of its
// QueueWorkers for up to RequestTimeout, never a worker of the other jobs.
const Queue = "webhooks"

// QueueWorkers is how many attempts run at once per process.
const QueueWorkers = 50

// RegisterJobs registers the delivery worker and its queue with r, and the
// hourly trim of the delivery log (PurgeLog).
func RegisterJobs(r *jobs.Runner, s *Service) {
	jobs.Register(r, &deliverWorker{s: s})
	r.Queue(Queue, QueueWorkers)
	jobs.Register(r, &purgeWorker{s: s})
	r.Periodic(PurgeInterval, func() jobs.Args { return purgeArgs{} }, true)
}

const (
	// claimTTL: a claim older than this belongs to a worker that died
	// (an attempt lasts RequestTimeout at most), and is taken over.
	claimTTL = 2 * time.Minute
	// earlySlack: a job may start this much before its attempt is due.
	earlySlack = time.Second
	// orderWaitMin and orderWaitMax bound how long a message waiting for an
	// earlier one about the same resource sleeps before looking again; the
	// earlier one's end also wakes it (wakeNext).
	orderWaitMin = 5 * time.Second
	orderWaitMax = time.Hour
)

// claimed is an attempt this worker holds, with its message and webhook.
type claimed struct {
	d deliveryRow
	m messageRow
	w webhookRow
}

// attempt works attempt deliveryID as owner: claim it, send it with no
// transaction open, record the outcome. It reports whether an attempt was
// made (false: done already, not due, held by another worker, or waiting
// for an earlier message).
func (s *Service) attempt(ctx context.Context, deliveryID, owner string) (bool, error) {
	c, ok, err := s.claim(ctx, deliveryID, owner)
	if err != nil || !ok {
		return false, err
	}
	res := s.send(ctx, c)
	if res.canceled {
		// Shutting down mid-attempt: nothing was recorded; River runs the
		// job again, and the same owner takes its claim back.
		return false, ctx.Err()
	}
	return true, s.record(ctx, c, res)
}

// claim takes attempt deliveryID for owner if it is pending, due and not
// held by another live worker, and its message may go (no earlier message
// about the same resource is pending; else it is looked at again later).
func (s *Service) claim(ctx context.Context, deliveryID, owner string) (claimed, bool, error) {
	var c claimed
	ok := false
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		d, err := db.TakeByID[deliveryRow](ctx, s.db, deliveryID, gorm.ErrRecordNotFound)
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil // the webhook was deleted with its log
		}
		if err != nil || d.Status != StatusPending {
			return err
		}
		now := s.nowUTC()
		if d.ClaimedAt != nil && now.Sub(*d.ClaimedAt) < claimTTL && (d.ClaimedBy == nil || *d.ClaimedBy != owner) {
			return nil // in flight elsewhere
		}
		if d.NextAttemptAt != nil && d.NextAttemptAt.After(now.Add(earlySlack)) {
			return nil // a retry not due yet: its own job comes then
		}
		m, err := db.TakeByID[messageRow](ctx, s.db, d.MessageID, ErrNotFound)
		if err != nil {
			return err
		}
		w, err := db.TakeByID[webhookRow](ctx, s.db, d.WebhookID, ErrNotFound)
		if err != nil {
			return err
		}
		if !w.Active && !m.Test {
			return s.finish(ctx, claimed{d: d, m: m, w: w}, result{err: "not sent: the webhook is disabled", final: true}, now)
		}
		if wait, blocked, err := s.waitForEarlier(ctx, m, now); err != nil || blocked {
			if err != nil {
				return err
			}
			return s.schedule(ctx, d.ID, now.Add(wait))
		}
		res := conn.Model(&deliveryRow{}).
			Where("id = ? AND status = ? AND (claimed_at IS NULL OR claimed_at < ? OR claimed_by = ?)",
				d.ID, StatusPending, now.Add(-claimTTL), owner).
			Updates(map[string]any{"claimed_at": now, "claimed_by": owner})
		if res.Error != nil {
			return fmt.Errorf("webhooks: claim %s: %w", d.ID, res.Error)
		}
		if res.RowsAffected != 1 {
			return nil
		}
		if m.FirstAttemptAt == nil {
			m.FirstAttemptAt = &now
			if err := conn.Model(&messageRow{}).Where("id = ?", m.ID).Update("first_attempt_at", now).Error; err != nil {
				return fmt.Errorf("webhooks: start message %s: %w", m.ID, err)
			}
		}
		c, ok = claimed{d: d, m: m, w: w}, true
		return nil
	})
	return c, ok, err
}

// waitForEarlier reports whether m must wait for an earlier pending message
// (by event id, then id) about the same resource to the same webhook, and
// for how long before looking again.
func (s *Service) waitForEarlier(ctx context.Context, m messageRow, now time.Time) (time.Duration, bool, error) {
	if m.ResourceKey == "" {
		return 0, false, nil
	}
	var due []*time.Time
	err := s.db.Conn(ctx).Raw(`SELECT d.next_attempt_at FROM webhook_messages m
		JOIN webhook_deliveries d ON d.message_id = m.id AND d.status = 'pending'
		WHERE m.webhook_id = ? AND m.resource_key = ? AND m.status = 'pending'
		  AND (m.event_id < ? OR (m.event_id = ? AND m.id < ?))
		ORDER BY m.event_id, m.id LIMIT 1`,
		m.WebhookID, m.ResourceKey, m.EventID, m.EventID, m.ID).Scan(&due).Error
	if err != nil {
		return 0, false, fmt.Errorf("webhooks: earlier messages of %s: %w", m.ResourceKey, err)
	}
	if len(due) == 0 {
		return 0, false, nil
	}
	wait := orderWaitMin
	if due[0] != nil && due[0].Sub(now)+time.Second > wait {
		wait = due[0].Sub(now) + time.Second
	}
	return min(wait, orderWaitMax), true, nil
}

// record writes an attempt's outcome, and what follows from it: the next
// attempt and its job, or the message's end (and the webhook's failure
// accounting, and the next waiting message woken).
func (s *Service) record(ctx context.Context, c claimed, res result) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		return s.finish(ctx, c, res, s.nowUTC())
	})
}

// finish records res as attempt c.d's outcome, inside ctx's transaction.
func (s *Service) finish(ctx context.Context, c claimed, res result, now time.Time) error {
	conn := s.db.Conn(ctx)
	status := StatusFailed
	if res.err == "" {
		status = StatusSucceeded
	}
	var next *time.Time
	if status == StatusFailed && !res.gone && !res.final && !c.m.Test {
		first := now
		if c.m.FirstAttemptAt != nil {
			first = *c.m.FirstAttemptAt
		}
		if at, ok := s.retry.next(c.d.Attempt, first, now, res.retryAfter); ok {
			next = &at
		}
	}
	upd := map[string]any{"status": status, "response_status": nilIfZero(res.status),
		"response_excerpt": nilIfEmpty(res.excerpt), "duration_ms": res.durationMs(), "error": nilIfEmpty(res.err),
		"next_attempt_at": next, "attempted_at": res.at()}
	q := conn.Model(&deliveryRow{}).Where("id = ? AND status = ?", c.d.ID, StatusPending).Updates(upd)
	if q.Error != nil {
		return fmt.Errorf("webhooks: record attempt %s: %w", c.d.ID, q.Error)
	}
	if q.RowsAffected == 0 {
		return nil // recorded by another worker meanwhile
	}
	if next != nil {
		d := deliveryRow{ID: id.New("dlv"), MessageID: c.m.ID, WebhookID: c.m.WebhookID, EventID: c.m.EventID,
			EventType: c.m.EventType, Attempt: c.d.Attempt + 1, Status: StatusPending, NextAttemptAt: next, CreatedAt: now}
		if err := conn.Create(&d).Error; err != nil {
			return fmt.Errorf("webhooks: insert retry of %s: %w", c.m.ID, err)
		}
		if err := s.schedule(ctx, d.ID, *next); err != nil {
			return err
		}
		return s.countFailure(ctx, c, res, now, false)
	}
	if err := conn.Model(&messageRow{}).Where("id = ?", c.m.ID).
		Updates(map[string]any{"status": status, "finished_at": now}).Error; err != nil {
		return fmt.Errorf("webhooks: finish message %s: %w", c.m.ID, err)
	}
	if status == StatusSucceeded {
		if !c.m.Test && c.w.FailingSince != nil {
			if err := conn.Model(&webhookRow{}).Where("id = ? AND failing_since IS NOT NULL", c.w.ID).
				Update("failing_since", nil).Error; err != nil {
				return fmt.Errorf("webhooks: reset failures of %s: %w", c.w.ID, err)
			}
		}
	} else if err := s.countFailure(ctx, c, res, now, true); err != nil {
		return err
	}
	return s.wakeNext(ctx, c.m, now)
}

// countFailure keeps the webhook's failure run: failing_since is the first
// failed attempt since the last success. A message's final failure disables
// the webhook when that run has lasted disableAfter, or at once when the
// receiver said 410 Gone. Test pings and deliveries refused because the
// webhook was already off do not count.
func (s *Service) countFailure(ctx context.Context, c claimed, res result, now time.Time, final bool) error {
	if c.m.Test || res.final {
		return nil
	}
	conn := s.db.Conn(ctx)
	if err := conn.Model(&webhookRow{}).Where("id = ? AND failing_since IS NULL", c.w.ID).
		Update("failing_since", now).Error; err != nil {
		return fmt.Errorf("webhooks: count failure of %s: %w", c.w.ID, err)
	}
	if !final {
		return nil
	}
	reason := ""
	if res.gone {
		reason = DisabledGone
	} else {
		w, err := db.TakeByID[webhookRow](ctx, s.db, c.w.ID, ErrNotFound)
		if err != nil {
			return err
		}
		if w.FailingSince != nil && now.Sub(*w.FailingSince) >= s.disableAfter {
			reason = DisabledFailing
		}
	}
	if reason == "" {
		return nil
	}
	q := conn.Model(&webhookRow{}).Where("id = ? AND active = ?", c.w.ID, true).
		Updates(map[string]any{"active": false, "disabled_reason": reason, "disabled_at": now, "updated_at": now})
	if q.Error != nil {
		return fmt.Errorf("webhooks: disable %s: %w", c.w.ID, q.Error)
	}
	if q.RowsAffected == 1 {
		s.log.Warn("webhook disabled", "webhook_id", c.w.ID, "reason", reason, "event_id", c.m.EventID)
	}
	return nil
}

// wakeNext starts the earliest message still pending about m's resource to
// m's webhook, now that m has ended (it may have been waiting for m).
func (s *Service) wakeNext(ctx context.Context, m messageRow, now time.Time) error {
	if m.ResourceKey == "" {
		return nil
	}
	var next []struct {
		ID            string
		NextAttemptAt *time.Time
	}
	err := s.db.Conn(ctx).Raw(`SELECT d.id, d.next_attempt_at FROM webhook_messages m
		JOIN webhook_deliveries d ON d.message_id = m.id AND d.status = 'pending'
		WHERE m.webhook_id = ? AND m.resource_key = ? AND m.status = 'pending'
		ORDER BY m.event_id, m.id LIMIT 1`, m.WebhookID, m.ResourceKey).Scan(&next).Error
	if err != nil {
		return fmt.Errorf("webhooks: next message of %s: %w", m.ResourceKey, err)
	}
	if len(next) == 0 || next[0].NextAttemptAt != nil && next[0].NextAttemptAt.After(now.Add(earlySlack)) {
		return nil // nothing waits, or it is a retry with its own job later
	}
	return s.schedule(ctx, next[0].ID, now)
}

func nilIfZero(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
