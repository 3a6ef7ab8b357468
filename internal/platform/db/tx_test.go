package db_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
)

func count(t *testing.T, d *db.DB, ctx context.Context) int64 {
	t.Helper()
	var n int64
	if err := d.Conn(ctx).Table("settings").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func insert(ctx context.Context, d *db.DB, key string) error {
	return d.Conn(ctx).Exec(`INSERT INTO settings (key, value, updated_at) VALUES (?, 'v', ?)`, key, db.Now()).Error
}

func TestWithTxRollsBackEverythingOnError(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	boom := errors.New("boom")
	err := d.WithTx(ctx, func(ctx context.Context) error {
		if err := insert(ctx, d, "a"); err != nil {
			return err
		}
		// A nested WithTx joins the outer transaction, so its insert is undone too.
		if err := d.WithTx(ctx, func(ctx context.Context) error { return insert(ctx, d, "b") }); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if n := count(t, d, ctx); n != 0 {
		t.Errorf("%d rows survived a rolled-back transaction", n)
	}
}

func TestWithTxCommits(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	if err := d.WithTx(ctx, func(ctx context.Context) error {
		if !db.InTx(ctx) {
			t.Error("ctx carries no transaction")
		}
		return insert(ctx, d, "a")
	}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, d, ctx); n != 1 {
		t.Errorf("count = %d, want 1", n)
	}
}

// TestConcurrentReadModifyWrite proves write transactions serialise: 20
// goroutines each read a counter and write it back plus one. With deferred
// SQLite transactions some would fail with SQLITE_BUSY or lose updates.
func TestConcurrentReadModifyWrite(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	if err := insert(ctx, d, "counter"); err != nil {
		t.Fatal(err)
	}
	if err := d.Conn(ctx).Exec(`UPDATE settings SET value = '0' WHERE key = 'counter'`).Error; err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	errc := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- d.WithTx(ctx, func(ctx context.Context) error {
				var v string
				q := `SELECT value FROM settings WHERE key = 'counter'`
				if d.Dialect() == db.Postgres {
					q += ` FOR UPDATE`
				}
				if err := d.Conn(ctx).Raw(q).Scan(&v).Error; err != nil {
					return err
				}
				var cur int
				if _, err := fmt.Sscan(v, &cur); err != nil {
					return err
				}
				time.Sleep(time.Millisecond) // widen the read-to-write window so transactions overlap
				return d.Conn(ctx).Exec(`UPDATE settings SET value = ? WHERE key = 'counter'`, fmt.Sprint(cur+1)).Error
			})
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	var v string
	if err := d.Conn(ctx).Raw(`SELECT value FROM settings WHERE key = 'counter'`).Scan(&v).Error; err != nil {
		t.Fatal(err)
	}
	if v != fmt.Sprint(n) {
		t.Errorf("counter = %s, want %d: updates were lost", v, n)
	}
}

func TestSQLiteForeignKeysAreEnforced(t *testing.T) {
	if dbtest.Postgres() {
		t.Skip("PostgreSQL always enforces foreign keys")
	}
	d := dbtest.New(t)
	ctx := t.Context()
	var on int
	if err := d.Conn(ctx).Raw(`PRAGMA foreign_keys`).Scan(&on).Error; err != nil || on != 1 {
		t.Fatalf("foreign_keys = %d, %v", on, err)
	}
	var mode string
	if err := d.Conn(ctx).Raw(`PRAGMA journal_mode`).Scan(&mode).Error; err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
}
