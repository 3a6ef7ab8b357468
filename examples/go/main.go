// Command journey drives a Storekeep server through the generated Go client
// only (storekeep/clients/go), as an integrator would: a shopper browses,
// searches, reads a product in French, registers, fills a cart, applies the
// WELCOME15 code, gives an address, picks shipping and checks out with an
// Idempotency-Key (then replays it); staff fulfil, ship and partly refund the
// order. Every total is checked on the way; any mismatch exits 1.
//
//	go run . -base-url http://127.0.0.1:8080
//
// It expects the demo shop (`storekeep serve --demo`): its products, its
// WELCOME15 code, the test payment provider and the demo admin login.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// config holds what the journey needs to know about the server.
type config struct {
	baseURL       string
	adminEmail    string
	adminPassword string
	handle        string // the product the shopper buys
	code          string // the discount code the shopper applies
	codePercent   int    // its percentage, in basis points
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "journey:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("journey", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.baseURL, "base-url", envOr("STOREKEEP_URL", "http://localhost:8080"), "the server's origin (env STOREKEEP_URL)")
	fs.StringVar(&c.adminEmail, "admin-email", envOr("STOREKEEP_ADMIN_EMAIL", "admin@skincare.test"), "staff login (env STOREKEEP_ADMIN_EMAIL; the demo admin by default)")
	fs.StringVar(&c.adminPassword, "admin-password", envOr("STOREKEEP_ADMIN_PASSWORD", "demo-admin-password"), "staff password (env STOREKEEP_ADMIN_PASSWORD)")
	fs.StringVar(&c.handle, "product", "gentle-foaming-cleanser", "handle of the product to buy")
	fs.StringVar(&c.code, "code", "WELCOME15", "percentage discount code to apply")
	fs.IntVar(&c.codePercent, "code-percent", 1500, "the code's percentage in basis points (1500 = 15 %)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var chk checker
	bought, err := shop(ctx, c, &chk, out)
	if err != nil {
		return fmt.Errorf("shopper journey: %w", err)
	}
	if err := manage(ctx, c, bought, &chk, out); err != nil {
		return fmt.Errorf("staff journey: %w", err)
	}
	return chk.verdict(out)
}

// envOr returns the environment variable key, or def when it is unset.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
