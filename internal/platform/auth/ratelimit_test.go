package auth_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/errs"
)

func TestLimiterFixedWindow(t *testing.T) {
	d := dbtest.New(t)
	now := time.Date(2025, 3, 1, 12, 10, 0, 0, time.UTC) // 10 min into a 15-min window
	l := auth.NewLimiter(d, 15*time.Minute, func() time.Time { return now })
	lim := auth.Limit{Bucket: "login:test", Max: 3}
	for i := range 3 {
		if _, err := l.Hit(t.Context(), lim); err != nil {
			t.Fatalf("hit %d: %v", i+1, err)
		}
	}
	_, err := l.Hit(t.Context(), lim)
	if !errors.Is(err, auth.ErrRateLimited) {
		t.Fatalf("4th hit = %v, want ErrRateLimited", err)
	}
	if e, _ := errs.As(err); e.RetryAfter != 300 {
		t.Errorf("RetryAfter = %d, want 300 (until the window ends)", e.RetryAfter)
	}
	// Other buckets are independent.
	if _, err := l.Hit(t.Context(), auth.Limit{Bucket: "login:other", Max: 3}); err != nil {
		t.Errorf("another bucket: %v", err)
	}
	// The next window starts afresh and prunes the old counters.
	now = now.Add(5 * time.Minute)
	if _, err := l.Hit(t.Context(), lim); err != nil {
		t.Errorf("first hit of the next window: %v", err)
	}
	var rows int64
	d.Conn(t.Context()).Table("login_attempts").Count(&rows)
	if rows != 1 {
		t.Errorf("login_attempts rows = %d, want 1 after the old window was pruned", rows)
	}
}

func TestLimiterUndo(t *testing.T) {
	d := dbtest.New(t)
	l := auth.NewLimiter(d, 0, nil)
	lim := auth.Limit{Bucket: "login:undo", Max: 2}
	for range 5 {
		undo, err := l.Hit(t.Context(), lim)
		if err != nil {
			t.Fatalf("undone hits still count: %v", err)
		}
		undo(t.Context())
	}
	for range 2 {
		if _, err := l.Hit(t.Context(), lim); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Hit(t.Context(), lim); !errors.Is(err, auth.ErrRateLimited) {
		t.Errorf("3rd kept hit = %v, want ErrRateLimited", err)
	}
}

func TestCheckDoesNotCount(t *testing.T) {
	d := dbtest.New(t)
	l := auth.NewLimiter(d, time.Minute, func() time.Time { return time.Date(2026, 1, 1, 12, 0, 30, 0, time.UTC) })
	lim := auth.Limit{Bucket: "code:cart:1", Max: 2}
	for range 5 {
		if err := l.Check(t.Context(), lim); err != nil {
			t.Fatalf("check before any failure: %v", err)
		}
	}
	for range 2 {
		if _, err := l.Hit(t.Context(), lim); err != nil {
			t.Fatal(err)
		}
	}
	err := l.Check(t.Context(), lim)
	e, ok := errs.As(err)
	if !ok || e.Code != "rate_limited" || e.RetryAfter != 30 {
		t.Fatalf("check at the max = %v, want rate_limited with Retry-After 30", err)
	}
}

func TestLoginDelayDoublesUpToItsCap(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {auth.LoginDelayAfter - 1, 0}, {auth.LoginDelayAfter, time.Second},
		{auth.LoginDelayAfter + 1, 2 * time.Second}, {auth.LoginDelayAfter + 5, 32 * time.Second},
		{auth.LoginDelayAfter + 9, 512 * time.Second}, {auth.LoginDelayAfter + 10, auth.LoginMaxDelay},
		{auth.LoginDelayAfter + 64, auth.LoginMaxDelay}, {1 << 30, auth.LoginMaxDelay},
	} {
		if got := auth.LoginDelay(tc.failures); got != tc.want {
			t.Errorf("LoginDelay(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
}

// TestRefusedSignInsCountNowhere: attempts refused by a hard limit or by the
// delay are not failures: they leave every counter as it was.
func TestRefusedSignInsCountNowhere(t *testing.T) {
	d := dbtest.New(t)
	now := time.Date(2030, 1, 7, 10, 1, 0, 0, time.UTC)
	l := auth.NewLimiter(d, 0, func() time.Time { return now })
	hits := func() map[string]int {
		var rows []struct {
			Bucket string
			Hits   int
		}
		if err := d.Conn(t.Context()).Raw(`SELECT bucket, hits FROM login_attempts`).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, r := range rows {
			out[r.Bucket] = r.Hits
		}
		return out
	}
	fail := func() error {
		a, err := l.BeginLogin(t.Context(), "customer:ada@example.com", "192.0.2.1")
		if err != nil {
			return err
		}
		if err := a.Failed(t.Context()); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Fatalf("Failed = %v", err)
		}
		return nil
	}
	for i := range auth.LoginDelayAfter + 1 {
		now = now.Add(auth.LoginDelay(i))
		if err := fail(); err != nil {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	before := hits()
	if err := fail(); !errors.Is(err, auth.ErrRateLimited) { // inside the 2 s delay
		t.Fatalf("attempt during the delay = %v, want ErrRateLimited", err)
	}
	if d := cmp.Diff(before, hits()); d != "" {
		t.Errorf("an attempt refused by the delay counted (-before +after):\n%s", d)
	}
	for i := auth.LoginDelayAfter + 1; i < auth.LoginFailuresPerAccountIP; i++ {
		now = now.Add(auth.LoginDelay(i))
		if err := fail(); err != nil {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	now = now.Add(auth.LoginDelay(auth.LoginFailuresPerAccountIP))
	before = hits()
	if err := fail(); !errors.Is(err, auth.ErrRateLimited) {
		t.Fatalf("attempt past the per-client limit = %v, want ErrRateLimited", err)
	}
	if d := cmp.Diff(before, hits()); d != "" {
		t.Errorf("an attempt refused by the hard limit counted (-before +after):\n%s", d)
	}
	if before["login:ip:192.0.2.1"] != auth.LoginFailuresPerAccountIP {
		t.Errorf("per-IP count = %d, want %d", before["login:ip:192.0.2.1"], auth.LoginFailuresPerAccountIP)
	}
}
