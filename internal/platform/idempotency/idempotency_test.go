package idempotency_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/idempotency"
	"storekeep/internal/platform/jobs"
)

func TestStaleClaimIsTakenOver(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := t.Context()
	s := idempotency.NewStore(d)
	if o, _, err := s.Begin(ctx, "customer:c1", "k", "POST /x", "h"); err != nil || o != idempotency.Claimed {
		t.Fatalf("first Begin = %v, %v", o, err)
	}
	if _, _, err := s.Begin(ctx, "customer:c1", "k", "POST /x", "h"); !errors.Is(err, idempotency.ErrInUse) {
		t.Fatalf("second Begin = %v, want ErrInUse", err)
	}
	// With a lock timeout already passed, the claim is presumed abandoned.
	stale := s.WithLockTimeout(-time.Second)
	if o, _, err := stale.Begin(ctx, "customer:c1", "k", "POST /x", "h"); err != nil || o != idempotency.Claimed {
		t.Fatalf("Begin on stale claim = %v, %v; want Claimed", o, err)
	}
	if err := s.Complete(ctx, "customer:c1", "k", idempotency.Response{Status: 201, Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	o, resp, err := s.Begin(ctx, "customer:c1", "k", "POST /x", "h")
	if err != nil || o != idempotency.Replay || resp.Status != 201 || string(resp.Body) != `{}` {
		t.Fatalf("Begin after Complete = %v, %+v, %v", o, resp, err)
	}
}

func TestExpiredKeysArePurgedByTheJob(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := t.Context()
	s := idempotency.NewStore(d)
	if _, _, err := s.Begin(ctx, "customer:c1", "live", "POST /x", "h"); err != nil {
		t.Fatal(err)
	}
	past := db.Now().Add(-100 * time.Hour)
	if err := d.Conn(ctx).Exec(`INSERT INTO idempotency_keys (principal, key, route, request_hash, status, locked_at, created_at, expires_at)
		VALUES ('customer:c1', 'old', 'POST /x', 'h', 'completed', ?, ?, ?)`, past, past, past.Add(72*time.Hour)).Error; err != nil {
		t.Fatal(err)
	}
	r := jobs.New(d, jobs.Options{PollInterval: 20 * time.Millisecond})
	idempotency.RegisterJobs(r, s)
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
	if err := r.Enqueue(ctx, idempotency.PurgeArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := r.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := d.Conn(ctx).Raw(`SELECT key FROM idempotency_keys ORDER BY key`).Scan(&keys).Error; err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != "live" {
		t.Errorf("keys after purge = %v, want [live]", keys)
	}
	// An expired key that was not purged yet is a new request when reused.
	if err := d.Conn(ctx).Exec(`UPDATE idempotency_keys SET expires_at = ?`, past).Error; err != nil {
		t.Fatal(err)
	}
	if o, _, err := s.Begin(ctx, "customer:c1", "live", "POST /other", "h2"); err != nil || o != idempotency.Claimed {
		t.Errorf("reuse after expiry = %v, %v; want Claimed", o, err)
	}
}
