package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"storekeep/internal/metrics"
	"storekeep/internal/platform/db"
)

// syntheticArgs are the flags of `seed --synthetic`.
type syntheticArgs struct {
	on                   bool
	orders, events, days int
	seed                 uint64
	end                  string
}

func syntheticFlags(fs *flag.FlagSet) *syntheticArgs {
	a := &syntheticArgs{}
	fs.BoolVar(&a.on, "synthetic", false, "generate a synthetic data set for the KPIs (docs/kpis.md)")
	fs.IntVar(&a.orders, "orders", 10000, "synthetic: orders")
	fs.IntVar(&a.events, "events", 100000, "synthetic: storefront events")
	fs.IntVar(&a.days, "days", 90, "synthetic: days the data spans, up to --end")
	fs.Uint64Var(&a.seed, "seed", 1, "synthetic: random seed (the same seed and end give the same data)")
	fs.StringVar(&a.end, "end", "", "synthetic: end date YYYY-MM-DD, exclusive (default: tomorrow, UTC)")
	return a
}

// seedSynthetic writes the synthetic data set and builds the rollups.
func seedSynthetic(ctx context.Context, c config, a *syntheticArgs, out io.Writer) error {
	end := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	if a.end != "" {
		t, err := time.Parse(time.DateOnly, a.end)
		if err != nil {
			return fmt.Errorf("seed: --end must be YYYY-MM-DD: %w", err)
		}
		end = t
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
	began := time.Now()
	res, err := metrics.Synthetic(ctx, d, metrics.SyntheticOptions{Orders: a.orders, Events: a.events, Days: a.days,
		Seed: a.seed, End: end})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Generated %d orders, %d events in %d sessions, %d carts and %d customers over %d days up to %s in %s (rollups built).\n",
		res.Orders, res.Events, res.Sessions, res.Carts, res.Customers, a.days, end.Format(time.DateOnly),
		time.Since(began).Round(time.Millisecond))
	return nil
}
