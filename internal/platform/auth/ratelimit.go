package auth

import (
	"context"
	"fmt"
	"math"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
)

// ErrRateLimited is the 429 for too many attempts; RetryAfter is set on the
// copy Limiter returns.
var ErrRateLimited = errs.New(errs.TooMany, "rate_limited", "too many attempts; try again later")

// Limit is one counter: a bucket name (such as "login:ip:203.0.113.9") and the
// number of hits allowed per window.
type Limit struct {
	Bucket string
	Max    int
}

// Limiter is a fixed-window counter kept in the login_attempts table, so every
// API node shares it (nodes keep no state of their own: docs/architecture.md).
// It writes nothing but
// its own counters.
type Limiter struct {
	db     *db.DB
	now    func() time.Time
	window time.Duration
}

// DefaultWindow is the length of a rate-limit window.
const DefaultWindow = 15 * time.Minute

// NewLimiter returns a limiter with the given window (0 means DefaultWindow).
func NewLimiter(d *db.DB, window time.Duration, now func() time.Time) *Limiter {
	if window <= 0 {
		window = DefaultWindow
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{db: d, now: now, window: window}
}

// Hit counts one attempt in each bucket and returns ErrRateLimited (with
// Retry-After seconds until the window ends) when any bucket is over its max.
// Counting before the attempt runs, with an atomic upsert, means concurrent
// attempts cannot slip past the limit. undo takes the hit back; callers that
// limit only failures call it when the attempt succeeded.
func (l *Limiter) Hit(ctx context.Context, limits ...Limit) (undo func(context.Context), err error) {
	_, undo, err = l.hitAll(ctx, limits)
	if err != nil {
		return func(context.Context) {}, err
	}
	return undo, nil
}

// hitAll is Hit that also returns each bucket's hits in the window, this
// one included, and whose undo takes back whatever was counted even when it
// returns an error (a refused sign-in is not a failure).
func (l *Limiter) hitAll(ctx context.Context, limits []Limit) (hits []int, undo func(context.Context), err error) {
	now := l.now().UTC()
	start := now.Truncate(l.window)
	counted := make([]string, 0, len(limits))
	undo = func(ctx context.Context) {
		for _, b := range counted {
			l.unhit(ctx, b, start)
		}
	}
	over := false
	for _, lim := range limits {
		n, err := l.hit(ctx, lim.Bucket, start, now)
		if err != nil {
			return nil, undo, err
		}
		counted = append(counted, lim.Bucket)
		hits = append(hits, n)
		if n > lim.Max {
			over = true
		}
	}
	if over {
		return hits, undo, l.limited(start.Add(l.window), now)
	}
	return hits, undo, nil
}

// hit counts one attempt in bucket's window starting at start and returns
// the window's hits; the bucket's last hit becomes now.
func (l *Limiter) hit(ctx context.Context, bucket string, start, now time.Time) (int, error) {
	var hits int
	err := l.db.Conn(ctx).Raw(`INSERT INTO login_attempts (bucket, window_start, hits, last_hit_us) VALUES (?, ?, 1, ?)
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = login_attempts.hits + 1, last_hit_us = excluded.last_hit_us
RETURNING hits`, bucket, start, now.UnixMicro()).Scan(&hits).Error
	if err != nil {
		return 0, fmt.Errorf("count attempt: %w", err)
	}
	if hits == 1 {
		l.prune(ctx, start)
	}
	return hits, nil
}

// unhit takes one hit back. Best effort: a failed decrement only makes the
// limit stricter.
func (l *Limiter) unhit(ctx context.Context, bucket string, start time.Time) {
	_ = l.db.Conn(ctx).Exec(`UPDATE login_attempts SET hits = hits - 1 WHERE bucket = ? AND window_start = ? AND hits > 0`,
		bucket, start).Error
}

// limited is ErrRateLimited with Retry-After until (at least one second).
func (l *Limiter) limited(until, now time.Time) error {
	e := *ErrRateLimited
	e.RetryAfter = max(int(math.Ceil(until.Sub(now).Seconds())), 1)
	return &e
}

// prune deletes counters of past windows; it runs when a bucket opens a new
// window, so the table holds roughly one window's worth of rows.
func (l *Limiter) prune(ctx context.Context, current time.Time) {
	_ = l.db.Conn(ctx).Exec(`DELETE FROM login_attempts WHERE window_start < ?`, current).Error
}

// Check returns ErrRateLimited (with Retry-After) when any bucket has
// already reached its max in the current window, without counting: callers
// that limit only failures (a declined card, a wrong discount code) Check
// before the attempt and Hit after a failure, so successful attempts never
// write to (or wait on) a shared counter row.
func (l *Limiter) Check(ctx context.Context, limits ...Limit) error {
	now := l.now().UTC()
	start := now.Truncate(l.window)
	for _, lim := range limits {
		var hits []int
		err := l.db.Conn(ctx).Raw(`SELECT hits FROM login_attempts WHERE bucket = ? AND window_start = ?`,
			lim.Bucket, start).Scan(&hits).Error
		if err != nil {
			return fmt.Errorf("read attempts: %w", err)
		}
		if len(hits) == 1 && hits[0] >= lim.Max {
			return l.limited(start.Add(l.window), now)
		}
	}
	return nil
}
