// Package dbtest gives each test its own freshly migrated database: a SQLite
// file in t.TempDir() by default, or, when TEST_DATABASE_URL points at a
// PostgreSQL server, a new database cloned from a migrated template. Tests never
// share rows, so they may run in parallel.
package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for admin statements

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/id"
	"storekeep/migrations"
)

// Postgres reports whether the suite runs against PostgreSQL.
func Postgres() bool { return os.Getenv("TEST_DATABASE_URL") != "" }

// New returns a migrated database private to t, closed and dropped at cleanup.
func New(t testing.TB) *db.DB {
	t.Helper()
	d, _ := NewWithURL(t)
	return d
}

// NewWithURL is New that also returns the database's URL, for tests that
// start a server process (or a second pool) on the same database.
func NewWithURL(t testing.TB) (*db.DB, string) {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if base := os.Getenv("TEST_DATABASE_URL"); base != "" {
		return newPostgres(t, ctx, base, log)
	}
	return NewSQLite(t)
}

// NewSQLite returns a migrated SQLite database private to t, whatever
// TEST_DATABASE_URL says (tests of the embedded default itself), and its URL.
func NewSQLite(t testing.TB) (*db.DB, string) {
	t.Helper()
	ctx := context.Background()
	url := "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	d, err := db.Open(ctx, url, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d, url
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

func newPostgres(t testing.TB, ctx context.Context, base string, log *slog.Logger) (*db.DB, string) {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(ctx, admin, base, log) })
	if templateErr != nil {
		t.Fatalf("postgres template: %v", templateErr)
	}
	name := "t_" + strings.TrimPrefix(id.New("x"), "x_")
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %q TEMPLATE %q`, name, templateName)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	url := withDatabase(base, name)
	d, err := db.Open(ctx, url, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = d.Close()
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.ExecContext(context.Background(), fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, name))
	})
	return d, url
}

// ensureTemplate migrates a template database named after a hash of the
// migrations, once per server: test binaries of several packages race here, so
// an advisory lock serialises them and the loser finds the template made.
func ensureTemplate(ctx context.Context, admin *sql.DB, base string, log *slog.Logger) (string, error) {
	name := "storekeep_tmpl_" + migrationsHash()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727272)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(727272)`) //nolint:errcheck
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	_, _ = conn.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %q`, building))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %q`, building)); err != nil {
		return "", err
	}
	d, err := db.Open(ctx, withDatabase(base, building), log)
	if err != nil {
		return "", err
	}
	err = d.Migrate(ctx)
	_ = d.Close()
	if err != nil {
		return "", err
	}
	// Renaming only after a complete migration means a crash never leaves a
	// half-migrated template behind under the final name.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %q RENAME TO %q`, building, name)); err != nil {
		return "", err
	}
	return name, nil
}

func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(migrations.FS, "postgres", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(migrations.FS, path)
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}
