// Package db opens Storekeep's database (embedded SQLite or PostgreSQL), applies
// the embedded migrations and carries transactions in a context.Context.
//
// Invariants: every store reads and writes through Conn(ctx), so a service that
// wraps its work in WithTx has all of it in one transaction; SQLite write
// transactions start with BEGIN IMMEDIATE so read-then-write work cannot lose
// updates or fail with SQLITE_BUSY half way.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Dialect names the database engine.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the database handle shared by every store.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect Dialect
	// url is what Open was given, for connections kept outside the pool
	// (listen.go).
	url string
}

// Now is GORM's clock: UTC truncated to microseconds, PostgreSQL's precision,
// so a value read back equals the value written.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Open connects to url: "sqlite:PATH" (or a bare path, or "sqlite::memory:")
// or "postgres://...". It does not migrate.
func Open(ctx context.Context, rawURL string, log *slog.Logger) (*DB, error) {
	cfg := &gorm.Config{
		TranslateError:         true,
		NowFunc:                Now,
		SkipDefaultTransaction: true, // we open transactions ourselves, in services
		Logger:                 queryLogger{log: log, slow: 500 * time.Millisecond},
	}
	var (
		g       *gorm.DB
		err     error
		dialect Dialect
	)
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		dialect = Postgres
		g, err = gorm.Open(postgres.Open(rawURL), cfg)
	default:
		dialect = SQLite
		g, err = gorm.Open(sqlite.Open(sqliteDSN(rawURL)), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		// WAL lets readers run beside the writer; writers queue on busy_timeout.
		sqlDB.SetMaxOpenConns(4)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("ping %s database: %w", dialect, err)
	}
	return &DB{gorm: g, sql: sqlDB, dialect: dialect, url: rawURL}, nil
}

// sqliteDSN turns "sqlite:path" into the driver's DSN with the pragmas we rely on.
func sqliteDSN(rawURL string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite://"), "sqlite:")
	if path == "" {
		path = "storekeep.db"
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return "file:" + path + sep + q.Encode()
}

// Dialect reports which engine this is.
func (d *DB) Dialect() Dialect { return d.dialect }

// SQL returns the underlying *sql.DB (for migrations and health checks).
func (d *DB) SQL() *sql.DB { return d.sql }

// Ping checks the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.sql.PingContext(ctx) }

// Close closes the pool.
func (d *DB) Close() error { return d.sql.Close() }
