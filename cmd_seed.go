package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"

	"storekeep/internal/platform/db"
)

func cmdSeed(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "load the demo shop")
	c, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	if !*demo {
		return errors.New("seed: only --demo is available")
	}
	log := newLogger(c, os.Stderr)
	d, err := db.Open(ctx, c.DatabaseURL, log)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	return seedDemo(ctx, d, log, out)
}

// seedDemo loads the demo shop when the database is empty; the demo work fills it in.
func seedDemo(ctx context.Context, d *db.DB, log *slog.Logger, out io.Writer) error {
	return nil
}
