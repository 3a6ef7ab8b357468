package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"storekeep/api"
	"storekeep/api/admin"
	"storekeep/internal/automations"
	"storekeep/internal/catalog"
	"storekeep/internal/channels"
	"storekeep/internal/checkout"
	"storekeep/internal/customers"
	"storekeep/internal/demo"
	"storekeep/internal/inventory"
	"storekeep/internal/loyalty"
	"storekeep/internal/platform/db"
	"storekeep/internal/staff"
	"storekeep/internal/support"
)

func cmdSeed(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "load the demo shop")
	syn := syntheticFlags(fs)
	c, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	if syn.on {
		return seedSynthetic(ctx, c, syn, out)
	}
	if !*demo {
		return errors.New("seed: give --demo or --synthetic")
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
	secret, err := jwtSecret(ctx, d, c, log)
	if err != nil {
		return err
	}
	return seedDemo(ctx, d, log, out, apiOptions(c, d, log, secret))
}

// seedDemo loads the demo shop when the database is empty and prints the
// demo logins; on a database that has been set up it changes nothing. The
// catalog, stock and configuration go in through the domain services in one
// transaction; the past orders then through the API (opts builds an
// in-process server), as a storefront and the back office would place them.
func seedDemo(ctx context.Context, d *db.DB, log *slog.Logger, out io.Writer, opts api.Options) error {
	cat := catalog.NewService(d, catalog.WithEventView(admin.ProductOf))
	inv := inventory.NewService(d, cat)
	chs := channels.NewService(d, inv, nil)
	cat.SetChannels(chs)
	// As in the served process (api/routes_channels.go): the demo's
	// warehouses fulfil the default web channel.
	inv.OnWarehouseChange(chs.WarehouseChanged)
	res, err := demo.Load(ctx, demo.Services{
		DB:        d,
		Catalog:   cat,
		Inventory: inv,
		Channels:  chs,
		Staff:     staff.NewService(d, nil, nil, nil),
		Customers: customers.NewService(d, nil, nil, nil),
		Checkout:  checkout.NewService(d),
		Support:   support.NewService(d),
		// Creating rules needs none of the service's collaborators: the
		// served process wires them (api/routes_automations.go).
		Automations: automations.NewService(d),
		Loyalty:     loyalty.NewService(d),
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !res.Loaded {
		log.Info("demo data not loaded: the database already has staff users")
		fmt.Fprintln(out, "The database is not empty; demo data was not loaded.")
		return nil
	}
	// The in-process server's access log would only repeat the seeding steps.
	opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	// The past orders are paid with the test provider. This server is never
	// exposed, so the provider is on for it whatever the served one does.
	opts.Payments.EnableTestProvider = true
	srv, err := api.New(opts)
	if err != nil {
		return err
	}
	if err := seedDemoOrders(ctx, srv, res.Channel(demo.PopupChannelName)); err != nil {
		return fmt.Errorf("demo orders: %w", err)
	}
	if err := seedDemoSupport(&inProcess{ctx: ctx, srv: srv}); err != nil {
		return fmt.Errorf("demo support: %w", err)
	}
	// Hand the past orders' events to their consumers now (the served
	// process would at start): Camille's fulfilled orders earn their points
	// and take her to Silver, and the co-purchase counts behind "bought
	// together" are there as soon as the seed ends.
	for {
		n, err := srv.Events.DispatchPending(ctx)
		if err != nil {
			return fmt.Errorf("demo events: %w", err)
		}
		if n == 0 {
			break
		}
	}
	// Last, the metrics history (it builds the rollups over everything above).
	hist, err := demo.LoadMetrics(ctx, d, time.Now(), res.Channels)
	if err != nil {
		return fmt.Errorf("demo metrics: %w", err)
	}
	log.Info("demo data loaded", "products", res.Products, "categories", res.Categories, "collections", res.Collections)
	fmt.Fprintf(out, `Loaded the demo shop "The Skincare Manager": %d products, %d categories, %d collections,
two regions with shipping options, the WELCOME15 code, %d automations (a thank-you code after a
first delivery, an abandoned-cart reminder), a loyalty programme with three tiers (Camille is
Silver with points), the "Skincare enthusiasts" segment, a few past orders with approved
reviews (and a few sales at the Paris pop-up), support FAQs, canned
replies, two support conversations (one closed and rated, one waiting for an agent) and %d days
of metrics (%d orders, %d storefront events, spend per channel, the stopped %q experiment).
Demo logins (local demo only):
  staff admin    %s / %s   POST /v1/auth/staff/login
  support agent  %s / %s   POST /v1/auth/staff/login
  customer       %s / %s   POST /v1/auth/customers/login
`, res.Products, res.Categories, res.Collections, res.Automations, demo.MetricsDays, hist.Orders, hist.Events, demo.ExperimentKey,
		demo.AdminEmail, demo.AdminPassword, demo.SupportEmail,
		demo.SupportPassword, demo.CustomerEmail, demo.CustomerPassword)
	if len(res.Channels) > 0 {
		fmt.Fprintln(out, "Sales channels (send the key as X-Publishable-Key on store requests; none: the web store):")
		for _, c := range res.Channels {
			fmt.Fprintf(out, "  %-14s %-7s %s\n", c.Name, c.Kind, c.Key)
		}
	}
	return nil
}
