package events

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/jobs"
)

// Consumer handles one event inside the dispatch transaction. It must only
// record its own durable work there (insert rows, jobs.Enqueue through ctx)
// and never call out of the process: the transaction commits the consumers'
// work and the event's dispatched mark together, so a crash re-dispatches the
// event to every consumer and none of them sees it twice. Returning an error
// rolls the whole batch back; the next round retries it.
type Consumer func(ctx context.Context, e Event) error

type subscriber struct {
	name string
	fn   Consumer
}

// Dispatcher hands every recorded event, in id order, to the consumers that
// subscribed (webhooks, e-mail notifications, automations). It runs as a
// jobs.Loop in every process; a PostgreSQL advisory lock makes one process
// dispatch at a time, so consumers see events in order across nodes.
type Dispatcher struct {
	d     *db.DB
	batch int

	mu   sync.Mutex // one round at a time in this process
	subs []subscriber
}

// DispatchInterval is how often the outbox is polled for new events.
const DispatchInterval = 500 * time.Millisecond

// dispatchLockKey is the advisory lock key of the dispatcher (PostgreSQL).
const dispatchLockKey = 7_410_001

// NewDispatcher returns a dispatcher over d with no consumers.
func NewDispatcher(d *db.DB) *Dispatcher { return &Dispatcher{d: d, batch: 100} }

// Subscribe adds a consumer; name identifies it in errors. Subscribe before
// the runner starts.
func (x *Dispatcher) Subscribe(name string, fn Consumer) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.subs = append(x.subs, subscriber{name: name, fn: fn})
}

// Register runs the dispatcher as a loop of r.
func (x *Dispatcher) Register(r *jobs.Runner) {
	r.Loop("events.dispatch", DispatchInterval, x.DispatchPending)
}

// DispatchPending dispatches up to one batch of undispatched events in one
// transaction and reports how many it handled.
func (x *Dispatcher) DispatchPending(ctx context.Context) (int, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := 0
	err := x.d.WithTx(ctx, func(ctx context.Context) error {
		conn := x.d.Conn(ctx)
		if x.d.Dialect() == db.Postgres {
			// Blocking, not try: a caller that waits here then sees what
			// the other process left, which is what Drain relies on.
			if err := conn.Exec(`SELECT pg_advisory_xact_lock(?)`, dispatchLockKey).Error; err != nil {
				return fmt.Errorf("events: dispatch lock: %w", err)
			}
		}
		var rows []row
		err := conn.Raw(`SELECT id, type, resource_type, subject_id, payload, created_at, delivered_at FROM events
			WHERE delivered_at IS NULL ORDER BY id LIMIT ?`, x.batch).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("events: read undispatched: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			e := r.event()
			for _, s := range x.subs {
				if err := s.fn(ctx, e); err != nil {
					return fmt.Errorf("events: %s on %s %s: %w", s.name, e.Type, e.ID, err)
				}
			}
			ids[i] = r.ID
		}
		if err := conn.Exec(`UPDATE events SET delivered_at = ? WHERE id IN ?`, db.Now(), ids).Error; err != nil {
			return fmt.Errorf("events: mark dispatched: %w", err)
		}
		n = len(rows)
		return nil
	})
	return n, err
}

// row is an events row as read back.
type row struct {
	ID           string
	Type         string
	ResourceType string
	SubjectID    string
	Payload      string
	CreatedAt    time.Time
	DeliveredAt  *time.Time
}

func (r row) event() Event {
	return Event{ID: r.ID, Type: r.Type, ResourceType: r.ResourceType, SubjectID: r.SubjectID,
		Payload: json.RawMessage(r.Payload), CreatedAt: r.CreatedAt, DeliveredAt: r.DeliveredAt}
}
