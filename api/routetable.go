package api

import (
	"context"
	"log/slog"
	"strings"

	"storekeep/api/web"
	"storekeep/internal/platform/db"
)

// RouteTable lists every route New registers, with its access policy, as
// the router holds them. It builds a server over an empty in-memory SQLite
// database that nothing reads (registering routes touches no table), so it
// needs no configuration: tools/gendocs derives the contract's security
// requirements from it, and api's tests check the contract against it.
func RouteTable() ([]web.Route, error) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	d, err := db.Open(ctx, "sqlite::memory:", log)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	srv, err := New(Options{DB: d, Log: log, JWTSecret: []byte(strings.Repeat("route-table ", 4)),
		Payments: PaymentOptions{EnableTestProvider: true}})
	if err != nil {
		return nil, err
	}
	return srv.Router.Routes(), nil
}
