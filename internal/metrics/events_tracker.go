package metrics

import (
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
)

// Tracker records storefront events, marketing spend and experiments: the
// inputs the KPIs are computed from.
type Tracker struct {
	db           *db.DB
	now          func() time.Time
	limiter      *auth.Limiter
	batchesPerIP int
}

// DefaultEventBatchesPerIP is how many event batches one client IP may send
// per rate-limit window (auth.DefaultWindow, 15 minutes) by default: one
// every 1.5 s, ample for a storefront that batches, tight for a flood.
const DefaultEventBatchesPerIP = 600

// TrackerOption configures a Tracker.
type TrackerOption func(*Tracker)

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) TrackerOption {
	return func(t *Tracker) {
		if now != nil {
			t.now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
		}
	}
}

// WithEventLimit limits event batches per client IP and window; perIP <= 0
// turns the limit off.
func WithEventLimit(l *auth.Limiter, perIP int) TrackerOption {
	return func(t *Tracker) { t.limiter, t.batchesPerIP = l, perIP }
}

// NewTracker returns a Tracker over d.
func NewTracker(d *db.DB, opts ...TrackerOption) *Tracker {
	t := &Tracker{db: d, now: db.Now}
	for _, o := range opts {
		o(t)
	}
	return t
}
