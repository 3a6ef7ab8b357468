package db

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// migrateRiver applies the schema of River, the durable job queue
// (internal/platform/jobs), on the same *sql.DB. River ships its own versioned
// migrations per dialect and records them in its own river_migration table,
// so they run after ours and never through goose. The River version is pinned
// in go.mod; migrations/postgres/00006_platform_jobs.sql names it so that
// dbtest's PostgreSQL template (hashed from migrations/postgres) is rebuilt
// when River is upgraded.
func (d *DB) migrateRiver(ctx context.Context) error {
	cfg := &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)}
	var err error
	if d.dialect == SQLite {
		var m *rivermigrate.Migrator[*sql.Tx]
		m, err = rivermigrate.New(riversqlite.New(d.sql), cfg)
		if err == nil {
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		}
	} else {
		var m *rivermigrate.Migrator[*sql.Tx]
		m, err = rivermigrate.New(riverdatabasesql.New(d.sql), cfg)
		if err == nil {
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		}
	}
	if err != nil {
		return fmt.Errorf("migrate river schema: %w", err)
	}
	return nil
}
