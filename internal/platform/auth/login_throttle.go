package auth

import (
	"context"
	"fmt"
	"time"
)

// Sign-in throttling (docs/auth.md "Login throttling"), counted per Limiter
// window (15 minutes) in the login_attempts table, shared by every node.
// Only failures count. A correct password from a client that has not
// failed on the account is never refused, so nobody can lock an owner out
// by failing on their account from other addresses.
const (
	// LoginFailuresPerAccountIP is how many failed sign-ins one client IP
	// may make on one account; then 429 until the window ends.
	LoginFailuresPerAccountIP = 10
	// LoginFailuresPerIP is how many failed sign-ins one client IP may make
	// across all accounts (staff and customers together); then 429 until
	// the window ends. High enough for an office or a carrier-grade NAT.
	LoginFailuresPerIP = 50
	// LoginDelayAfter is how many failures an account may see in a window,
	// from any client, before clients that have failed on it must wait.
	LoginDelayAfter = 5
	// LoginMaxDelay caps that wait.
	LoginMaxDelay = 15 * time.Minute
)

// LoginDelay is how long, after an account's last failure, a client that
// has failed on the account must wait before its next attempt, when the
// account has seen failures failed sign-ins in the window: nothing below
// LoginDelayAfter, then 1 s, doubling with each failure, at most
// LoginMaxDelay.
func LoginDelay(failures int) time.Duration {
	if failures < LoginDelayAfter {
		return 0
	}
	if n := failures - LoginDelayAfter; n < 20 {
		return min(time.Second<<n, LoginMaxDelay)
	}
	return LoginMaxDelay
}

// LoginAttempt is one sign-in let through by BeginLogin. Report its outcome
// with Succeeded or Failed.
type LoginAttempt struct {
	l       *Limiter
	start   time.Time
	account string
	// undo takes back the per-(account, IP) and per-IP hits.
	undo func(context.Context)
	// delayed: the attempt was counted against the account before it ran
	// (its client had failed on the account), through the delay gate.
	delayed bool
}

// BeginLogin decides whether a sign-in to account ("customer:<e-mail>",
// "staff:<e-mail>"; known or not, so answers reveal nothing) from client
// ip may be evaluated, and counts it:
//
//  1. per (account, ip) and per ip, counted before the attempt with an
//     atomic upsert (concurrent attempts cannot slip past): over
//     LoginFailuresPerAccountIP or LoginFailuresPerIP it is 429 until the
//     window ends, and the count is taken back;
//  2. a client with an earlier attempt on the account in this window (a
//     failure, or one running concurrently) goes through the account's
//     delay gate: it waits LoginDelay(account failures) from the account's
//     last failure, else 429 with Retry-After. Passing the gate counts the
//     attempt against the account in the same compare-and-swap update, so
//     of a burst from that client only one passes each delay;
//  3. a client without one is always let through; its failure is counted
//     against the account afterwards (Failed).
//
// A refused attempt counts nowhere: it is not a failure.
func (l *Limiter) BeginLogin(ctx context.Context, account, ip string) (*LoginAttempt, error) {
	hits, undo, err := l.hitAll(ctx, []Limit{
		{Bucket: "login:pair:" + ip + "/" + account, Max: LoginFailuresPerAccountIP},
		{Bucket: "login:ip:" + ip, Max: LoginFailuresPerIP},
	})
	if err != nil {
		undo(ctx)
		return nil, err
	}
	now := l.now().UTC()
	a := &LoginAttempt{l: l, start: now.Truncate(l.window), account: "login:" + account, undo: undo}
	if hits[0] > 1 {
		if err := l.passDelay(ctx, a.account, a.start, now); err != nil {
			undo(ctx)
			return nil, err
		}
		a.delayed = true
	}
	return a, nil
}

// passDelay lets an attempt through the account's delay gate and counts it
// there, or returns 429 with Retry-After (never past the window's end, when
// the account's count starts again). The count and the last failure time
// move only if they are still what was read (compare-and-swap), so
// concurrent attempts through the gate are serialised.
func (l *Limiter) passDelay(ctx context.Context, bucket string, start, now time.Time) error {
	end := start.Add(l.window)
	for range 3 {
		var rows []struct {
			Hits      int
			LastHitUs int64
		}
		err := l.db.Conn(ctx).Raw(`SELECT hits, last_hit_us FROM login_attempts WHERE bucket = ? AND window_start = ?`,
			bucket, start).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("read attempts: %w", err)
		}
		if len(rows) == 0 {
			res := l.db.Conn(ctx).Exec(`INSERT INTO login_attempts (bucket, window_start, hits, last_hit_us) VALUES (?, ?, 1, ?)
ON CONFLICT (bucket, window_start) DO NOTHING`, bucket, start, now.UnixMicro())
			if res.Error != nil {
				return fmt.Errorf("count attempt: %w", res.Error)
			}
			if res.RowsAffected == 1 {
				return nil
			}
			continue
		}
		n, last := rows[0].Hits, rows[0].LastHitUs
		if d := LoginDelay(n); d > 0 {
			if until := time.UnixMicro(last).Add(d); now.Before(until) {
				if end.Before(until) {
					until = end
				}
				return l.limited(until, now)
			}
		}
		res := l.db.Conn(ctx).Exec(`UPDATE login_attempts SET hits = hits + 1, last_hit_us = ?
WHERE bucket = ? AND window_start = ? AND hits = ? AND last_hit_us = ?`, now.UnixMicro(), bucket, start, n, last)
		if res.Error != nil {
			return fmt.Errorf("count attempt: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return nil
		}
	}
	// Lost the race three times: another attempt just went through.
	return l.limited(now.Add(time.Second), now)
}

// Succeeded takes the attempt's counts back: only failures count. The
// account's last failure time stays, so clients that failed on the account
// keep waiting from the later of the two.
func (a *LoginAttempt) Succeeded(ctx context.Context) {
	a.undo(ctx)
	if a.delayed {
		a.l.unhit(ctx, a.account, a.start)
	}
}

// Failed counts the failure against the account (the delay gate already did
// for a client that had failed before) and returns ErrInvalidCredentials,
// the one answer to a failed sign-in.
func (a *LoginAttempt) Failed(ctx context.Context) error {
	if !a.delayed {
		if _, err := a.l.hit(ctx, a.account, a.start, a.l.now().UTC()); err != nil {
			return err
		}
	}
	return ErrInvalidCredentials
}
