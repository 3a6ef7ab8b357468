package db

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/pressly/goose/v3"

	"storekeep/migrations"
)

func (d *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations.FS, string(d.dialect))
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectPostgres
	if d.dialect == SQLite {
		dialect = goose.DialectSQLite3
	}
	return goose.NewProvider(dialect, d.sql, sub)
}

// Migrate applies every pending migration.
func (d *DB) Migrate(ctx context.Context) error {
	p, err := d.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return d.migrateRiver(ctx)
}

// MigrateDown rolls back the most recent migration.
func (d *DB) MigrateDown(ctx context.Context) error {
	p, err := d.provider()
	if err != nil {
		return err
	}
	if _, err := p.Down(ctx); err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	return nil
}

// MigrationStatus writes one line per migration: version, state, file.
func (d *DB) MigrationStatus(ctx context.Context, w io.Writer) error {
	p, err := d.provider()
	if err != nil {
		return err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return err
	}
	for _, s := range st {
		fmt.Fprintf(w, "%05d  %-8s %s\n", s.Source.Version, strings.ToLower(string(s.State)), s.Source.Path)
	}
	return nil
}
