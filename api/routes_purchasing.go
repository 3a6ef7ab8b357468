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
// Automatic reordering: the low-stock hook records inventory.low_stock and
// enqueues the durable reorder job in the stock change's transaction.
func registerPurchasing(r *web.Router, opts Options, inv *inventory.Service) error {
	idem := web.Idempotent(idempotency.NewStore(opts.DB), web.IdempotencyOptions{})
	admin.RegisterPurchasing(r, admin.Purchasing{Svc: inv}, idem)
	inv.RegisterReordering(opts.Jobs)
	return nil
}
