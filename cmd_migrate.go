package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"storekeep/internal/platform/db"
)

func cmdMigrate(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	dir := "up"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		dir, args = args[0], args[1:]
	}
	c, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, c.DatabaseURL, newLogger(c, os.Stderr))
	if err != nil {
		return err
	}
	defer d.Close()
	switch dir {
	case "up":
		if err := d.Migrate(ctx); err != nil {
			return err
		}
		fmt.Fprintln(out, "migrated")
		return nil
	case "down":
		return d.MigrateDown(ctx)
	case "status":
		return d.MigrationStatus(ctx, out)
	}
	return fmt.Errorf("migrate: unknown direction %q (want up, down or status)", dir)
}
