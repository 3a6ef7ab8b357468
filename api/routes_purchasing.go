package api

import (
	"storekeep/api/admin"
	"storekeep/api/web"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/idempotency"
)

// registerPurchasing wires suppliers, purchase orders and the demand forecast
// to the admin routes. Purchasing lives in the inventory service: receiving
// goods moves stock through its ledger in the same transaction. Receiving
// honours Idempotency-Key (optional), so a retried receipt is not booked twice.
//
// Automatic reordering is wired by inv.RegisterReordering(runner) (the
// low-stock hook recording inventory.low_stock and enqueuing the durable
// reorder job, plus the job's worker); it needs the process's jobs.Runner,
// which Options does not carry yet.
func registerPurchasing(r *web.Router, opts Options, inv *inventory.Service) error {
	idem := web.Idempotent(idempotency.NewStore(opts.DB), web.IdempotencyOptions{})
	admin.RegisterPurchasing(r, admin.Purchasing{Svc: inv}, idem)
	return nil
}
