package webhooks

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/platform/jobs"
)

// LogRetention is how long a finished delivery (its message and every
// attempt) stays in the log, and can be redelivered from it. The events
// themselves stay in the outbox (GET /v1/admin/events).
const LogRetention = 30 * 24 * time.Hour

// purgeBatch bounds one delete statement, so a large backlog is cleared in
// short transactions.
const purgeBatch = 1000

// PurgeLog deletes the messages that finished before the retention period
// and their attempts, and reports how many messages went. Pending messages
// are never purged, however old.
func (s *Service) PurgeLog(ctx context.Context) (int, error) {
	cutoff := s.nowUTC().Add(-LogRetention)
	total := 0
	for {
		var n int
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			conn := s.db.Conn(ctx)
			var ids []string
			if err := conn.Raw(`SELECT id FROM webhook_messages WHERE status <> 'pending' AND finished_at < ?
				ORDER BY finished_at LIMIT ?`, cutoff, purgeBatch).Scan(&ids).Error; err != nil {
				return fmt.Errorf("webhooks: old messages: %w", err)
			}
			if len(ids) == 0 {
				return nil
			}
			if err := conn.Exec(`DELETE FROM webhook_deliveries WHERE message_id IN ?`, ids).Error; err != nil {
				return fmt.Errorf("webhooks: purge attempts: %w", err)
			}
			if err := conn.Exec(`DELETE FROM webhook_messages WHERE id IN ?`, ids).Error; err != nil {
				return fmt.Errorf("webhooks: purge messages: %w", err)
			}
			n = len(ids)
			return nil
		})
		total += n
		if err != nil || n < purgeBatch {
			return total, err
		}
	}
}

// purgeArgs is the periodic job that trims the delivery log.
type purgeArgs struct{}

// Kind names the job.
func (purgeArgs) Kind() string { return "webhooks.purge_log" }

// purgeWorker runs purgeArgs; deleting is idempotent, so a retried or
// duplicated run is harmless.
type purgeWorker struct {
	jobs.WorkerDefaults[purgeArgs]
	s *Service
}

func (w *purgeWorker) Work(ctx context.Context, _ *jobs.Job[purgeArgs]) error {
	_, err := w.s.PurgeLog(ctx)
	return err
}

// PurgeInterval is how often the delivery log is trimmed.
const PurgeInterval = time.Hour
