package api

import (
	"storekeep/api/admin"
	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/idempotency"
)

// The catalog is the inventory's view of variants and their store figure.
var _ inventory.Catalog = (*catalog.Service)(nil)

// registerInventory wires warehouses, stock levels, the ledger and
// reservations to the admin routes. The returned service is what checkout
// and purchasing call; it keeps cat's store-visible availability in sync.
// The expiry job runs on the process's jobs runner. The service keeps its default clock (not opts.Now) so reservation expiry is
// measured by the database's clock on PostgreSQL (Service.DBNow).
func registerInventory(r *web.Router, opts Options, cat *catalog.Service) (*inventory.Service, error) {
	svc := inventory.NewService(opts.DB, cat, inventory.WithLogger(opts.Log))
	// Adjustments, transfers and counts honour Idempotency-Key (API keys
	// must send one); the store is stateless over the database.
	idem := web.Idempotent(idempotency.NewStore(opts.DB), web.IdempotencyOptions{})
	admin.RegisterInventory(r, svc, admin.RequireIdempotencyKeyForAPIKeys, idem)
	inventory.RegisterReservationJobs(opts.Jobs, svc)
	return svc, nil
}
