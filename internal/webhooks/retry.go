package webhooks

import (
	"math/rand/v2"
	"time"
)

// RetryPolicy says when a failed attempt is tried again.
type RetryPolicy struct {
	// Delays are the waits after the 1st, 2nd, ... failed attempt; when
	// they run out, the message has failed.
	Delays []time.Duration
	// Horizon caps the whole chain: no attempt is scheduled later than this
	// after the first one (the last one is moved to the horizon instead).
	Horizon time.Duration
	// Jitter spreads each delay by up to this fraction either way, so
	// endpoints that failed together are not retried together.
	Jitter float64
}

// DefaultRetryPolicy is the schedule of docs/webhooks.md, after Standard
// Webhooks' example: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then a last try 24 h
// after the first (8 attempts), each delay ±10 %.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		Delays: []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
			5 * time.Hour, 10 * time.Hour, 10 * time.Hour},
		Horizon: 24 * time.Hour,
		Jitter:  0.1,
	}
}

// next returns when attempt failed+1 is due, after failed attempts so far
// (the chain began at first), or false when the message has failed for
// good. retryAfter, the receiver's Retry-After, lengthens the wait (never
// past the horizon).
func (p RetryPolicy) next(failed int, first, now time.Time, retryAfter time.Duration) (time.Time, bool) {
	if failed < 1 || failed > len(p.Delays) {
		return time.Time{}, false
	}
	d := p.Delays[failed-1]
	if p.Jitter > 0 && d > 0 {
		d += time.Duration((rand.Float64()*2 - 1) * p.Jitter * float64(d))
	}
	d = max(d, retryAfter)
	at := now.Add(d)
	if p.Horizon > 0 {
		end := first.Add(p.Horizon)
		if !now.Before(end) {
			return time.Time{}, false
		}
		if at.After(end) {
			at = end
		}
	}
	return at, true
}
