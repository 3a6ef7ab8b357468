// Package idempotency stores Idempotency-Key claims and the responses they
// produced (docs/api.md, docs/reliability.md). The HTTP side lives in
// api/web/idempotency.go; this package only talks to the database.
//
// Invariants: a key is unique per principal (the primary key (principal, key)
// decides races between concurrent first requests); a key is bound to the
// route and request fingerprint of its first use; a completed key replays its
// stored response until it expires (72 h), and only the purge job removes it.
package idempotency

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
)

// Errors answered by the middleware.
var (
	ErrKeyRequired = errs.New(errs.Invalid, "idempotency_key_required", "this request needs an Idempotency-Key header")
	ErrInvalidKey  = errs.New(errs.Invalid, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters")
	ErrConflict    = errs.New(errs.Unprocessable, "idempotency_conflict",
		"this Idempotency-Key was used with a different request (route or body); use a new key for a new request")
	// ErrInUse carries RetryAfter 1: the first request is still running.
	ErrInUse = &errs.Error{Kind: errs.Conflict, Code: "idempotency_key_in_use",
		Message: "a request with this Idempotency-Key is still in progress; retry shortly", RetryAfter: 1}
)

// Defaults, as docs/reliability.md documents them.
const (
	// DefaultTTL is how long a key and its response are kept (>= 24 h required).
	DefaultTTL = 72 * time.Hour
	// DefaultLockTimeout is how long an in_progress claim blocks others; after
	// it, the claim is considered abandoned (crashed process) and is taken over.
	DefaultLockTimeout = 30 * time.Second
)

// Statuses of a key row.
const (
	StatusInProgress = "in_progress"
	StatusCompleted  = "completed"
)

// Response is a stored response.
type Response struct {
	Status  int
	Headers map[string]string
	Body    []byte
}

// Outcome is what Begin decided.
type Outcome int

// Outcomes of Begin.
const (
	// Claimed: the caller owns the key and must run the request, then call
	// Complete or Release.
	Claimed Outcome = iota + 1
	// Replay: the key completed before; Begin returns its response.
	Replay
)

// Store reads and writes idempotency_keys.
type Store struct {
	d           *db.DB
	ttl         time.Duration
	lockTimeout time.Duration
	now         func() time.Time
}

// NewStore returns a Store with the default TTL and lock timeout.
func NewStore(d *db.DB) *Store {
	return &Store{d: d, ttl: DefaultTTL, lockTimeout: DefaultLockTimeout, now: db.Now}
}

// WithLockTimeout returns a copy of s using timeout (tests use a short one).
func (s *Store) WithLockTimeout(timeout time.Duration) *Store {
	c := *s
	c.lockTimeout = timeout
	return &c
}

type row struct {
	Route           string
	RequestHash     string
	Status          string
	ResponseStatus  *int
	ResponseHeaders string
	ResponseBody    []byte
	LockedAt        time.Time
	ExpiresAt       time.Time
}

// Begin claims (principal, key) for a request on route with fingerprint hash.
// It returns Claimed, or Replay with the stored response, or ErrConflict when
// the key was used for another route or body, or ErrInUse when another request
// holds the claim. A claim older than the lock timeout is taken over, and an
// expired key is forgotten and claimed afresh.
func (s *Store) Begin(ctx context.Context, principal, key, route, hash string) (Outcome, *Response, error) {
	for range 3 {
		now := s.now()
		res := s.d.Conn(ctx).Exec(`INSERT INTO idempotency_keys
			(principal, key, route, request_hash, status, locked_at, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (principal, key) DO NOTHING`,
			principal, key, route, hash, StatusInProgress, now, now, now.Add(s.ttl))
		if res.Error != nil {
			return 0, nil, fmt.Errorf("idempotency: claim: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return Claimed, nil, nil
		}
		var r row
		err := s.d.Conn(ctx).Raw(`SELECT route, request_hash, status, response_status, response_headers,
			response_body, locked_at, expires_at FROM idempotency_keys WHERE principal = ? AND key = ?`,
			principal, key).Scan(&r).Error
		if err != nil {
			return 0, nil, fmt.Errorf("idempotency: read claim: %w", err)
		}
		if r.Status == "" {
			continue // deleted between our insert and read: try again
		}
		if !r.ExpiresAt.After(now) {
			// Expired but not purged yet: a reuse after expiry is a new request.
			if err := s.d.Conn(ctx).Exec(`DELETE FROM idempotency_keys WHERE principal = ? AND key = ? AND expires_at <= ?`,
				principal, key, now).Error; err != nil {
				return 0, nil, fmt.Errorf("idempotency: drop expired: %w", err)
			}
			continue
		}
		if r.Route != route || r.RequestHash != hash {
			return 0, nil, ErrConflict
		}
		if r.Status == StatusCompleted && r.ResponseStatus != nil {
			resp := &Response{Status: *r.ResponseStatus, Body: r.ResponseBody, Headers: map[string]string{}}
			if r.ResponseHeaders != "" {
				if err := json.Unmarshal([]byte(r.ResponseHeaders), &resp.Headers); err != nil {
					return 0, nil, fmt.Errorf("idempotency: decode stored headers: %w", err)
				}
			}
			return Replay, resp, nil
		}
		// In progress. Take over a claim whose holder is presumed dead; the
		// conditional update lets exactly one of several retries win it.
		cutoff := now.Add(-s.lockTimeout)
		if r.LockedAt.Before(cutoff) {
			res := s.d.Conn(ctx).Exec(`UPDATE idempotency_keys SET locked_at = ?
				WHERE principal = ? AND key = ? AND status = ? AND locked_at < ?`,
				now, principal, key, StatusInProgress, cutoff)
			if res.Error != nil {
				return 0, nil, fmt.Errorf("idempotency: take over claim: %w", res.Error)
			}
			if res.RowsAffected == 1 {
				return Claimed, nil, nil
			}
		}
		return 0, nil, ErrInUse
	}
	return 0, nil, ErrInUse
}

// Complete stores the response of a claimed key; later requests replay it.
func (s *Store) Complete(ctx context.Context, principal, key string, resp Response) error {
	headers, err := json.Marshal(resp.Headers)
	if err != nil {
		return err
	}
	err = s.d.Conn(ctx).Exec(`UPDATE idempotency_keys SET status = ?, response_status = ?, response_headers = ?,
		response_body = ? WHERE principal = ? AND key = ? AND status = ?`,
		StatusCompleted, resp.Status, string(headers), resp.Body, principal, key, StatusInProgress).Error
	if err != nil {
		return fmt.Errorf("idempotency: complete: %w", err)
	}
	return nil
}

// Release deletes an in-progress claim so a retry with the key runs again
// (used when the request failed with a 5xx or was rate limited).
func (s *Store) Release(ctx context.Context, principal, key string) error {
	err := s.d.Conn(ctx).Exec(`DELETE FROM idempotency_keys WHERE principal = ? AND key = ? AND status = ?`,
		principal, key, StatusInProgress).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("idempotency: release: %w", err)
	}
	return nil
}

// Purge deletes keys that expired before now and reports how many.
func (s *Store) Purge(ctx context.Context) (int64, error) {
	res := s.d.Conn(ctx).Exec(`DELETE FROM idempotency_keys WHERE expires_at < ?`, s.now())
	if res.Error != nil {
		return 0, fmt.Errorf("idempotency: purge: %w", res.Error)
	}
	return res.RowsAffected, nil
}
