// Command storekeep is the Storekeep headless commerce API.
//
//	storekeep serve [--demo]               migrate, then serve
//	storekeep migrate [up|down|status]     manage the schema
//	storekeep seed --demo                  load the demo shop into an empty database
//	storekeep admin create --email E --password P --role R
//	storekeep healthcheck                  probe /healthz (Docker HEALTHCHECK)
//
// main only parses configuration and wires packages together.
//
//	@title						Storekeep API
//	@version					1.0
//	@description				Headless commerce API: catalog, stock, carts and checkout, payments, orders and fulfilment, support chat and KPIs. Errors are RFC 9457 application/problem+json with a stable `code`. Lists take `limit` (default 20, max 100; larger values are clamped) and `cursor`. Money is `{amount, currency}` in minor units. Every GET operation also answers HEAD: the same status and headers, no body.
//	@contact.name				Storekeep maintainers
//	@contact.url				https://storekeep.dev
//	@license.name				MIT
//	@BasePath					/
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				"Bearer " followed by a customer or staff access token, or a secret API key (sk_...).
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

//go:generate go run ./tools/gendocs
// The Go client is generated from the new contract too: it is a module of its
// own (clients/go), which ./... does not reach. The TypeScript client needs
// node: clients/generate.sh regenerates all three.
//go:generate go -C clients/go generate ./...

//go:embed openapi.yaml
var openapiSpec []byte

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "storekeep:", err)
		}
		os.Exit(1)
	}
}

const usage = `usage:
  storekeep serve [--demo] [--addr :8080] [--database-url URL]
  storekeep migrate [up|down|status] [--database-url URL]
  storekeep seed --demo [--database-url URL]
  storekeep admin create --email E --password P --role admin|manager|support|warehouse
  storekeep healthcheck [--addr :8080]   exit 0 when /healthz answers (Docker HEALTHCHECK)`

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(out, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, out)
	case "migrate":
		return cmdMigrate(ctx, rest, out)
	case "seed":
		return cmdSeed(ctx, rest, out)
	case "admin":
		return cmdAdmin(ctx, rest, out)
	case "healthcheck":
		return cmdHealthcheck(ctx, rest, out)
	case "help", "-h", "--help":
		fmt.Fprintln(out, usage)
		return nil
	}
	fmt.Fprintln(out, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(c config, out io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(out, opts))
	}
	return slog.New(slog.NewJSONHandler(out, opts))
}
