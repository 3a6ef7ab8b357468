package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"storekeep/api"
	"storekeep/internal/platform/db"
)

func cmdServe(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "load the demo shop when the database is empty and print demo logins")
	c, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	log := newLogger(c, os.Stderr)
	log.Info("starting", "config", c.String())
	if c.SMTPURL == "" {
		log.Info("e-mail is off: STOREKEEP_SMTP_URL is not set; messages are recorded as not_sent (docs/email.md)")
	}
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
	opts := apiOptions(c, d, log, secret)
	if *demo {
		if err := seedDemo(ctx, d, log, out, opts); err != nil {
			return err
		}
	}
	srv, err := api.New(opts)
	if err != nil {
		return err
	}
	// A cancelled ctx would make River stop hard; shutdown stops it below.
	if err := srv.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	hs := &http.Server{
		Addr:              c.Addr,
		Handler:           srv.Echo,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info("listening", "addr", c.Addr)
	fmt.Fprintf(out, "Storekeep is listening on %s (docs at /docs)\n", displayAddr(c.Addr))
	select {
	case err := <-errc:
		closeSockets(srv, log)
		stopJobs(srv, log)
		return err
	case <-ctx.Done():
	}
	// SIGTERM: stop accepting, drain in-flight requests for up to 15 s.
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	// Shutdown leaves hijacked connections alone: WebSockets close here,
	// with 1001 (going away), so clients reconnect to another node.
	if serr := srv.Close(sctx); serr != nil {
		log.Error("closing sockets", "error", serr.Error())
	}
	if jerr := srv.Jobs.Stop(sctx); jerr != nil {
		log.Error("stopping jobs", "error", jerr.Error())
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func stopJobs(srv *api.Server, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Jobs.Stop(ctx); err != nil {
		log.Error("stopping jobs", "error", err.Error())
	}
}

func closeSockets(srv *api.Server, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Close(ctx); err != nil {
		log.Error("closing sockets", "error", err.Error())
	}
}

func displayAddr(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "http://localhost" + addr
	}
	return "http://" + addr
}
