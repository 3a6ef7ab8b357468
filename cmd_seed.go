package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"storekeep/internal/catalog"
	"storekeep/internal/customers"
	"storekeep/internal/demo"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/db"
	"storekeep/internal/staff"
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

// seedDemo loads the demo shop when the database is empty and prints the
// demo logins; on a database that has been set up it changes nothing.
func seedDemo(ctx context.Context, d *db.DB, log *slog.Logger, out io.Writer) error {
	cat := catalog.NewService(d)
	res, err := demo.Load(ctx, demo.Services{
		DB:        d,
		Catalog:   cat,
		Inventory: inventory.NewService(d, cat),
		Staff:     staff.NewService(d, nil, nil, nil),
		Customers: customers.NewService(d, nil, nil, nil),
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !res.Loaded {
		log.Info("demo data not loaded: the database already has staff users")
		fmt.Fprintln(out, "The database is not empty; demo data was not loaded.")
		return nil
	}
	log.Info("demo data loaded", "products", res.Products, "categories", res.Categories, "collections", res.Collections)
	fmt.Fprintf(out, `Loaded the demo shop "The Skincare Manager": %d products, %d categories, %d collections.
Demo logins (local demo only):
  staff admin  %s / %s   POST /v1/auth/staff/login
  customer     %s / %s   POST /v1/auth/customers/login
`, res.Products, res.Categories, res.Collections, demo.AdminEmail, demo.AdminPassword, demo.CustomerEmail, demo.CustomerPassword)
	return nil
}
