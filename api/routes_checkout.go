package api

import (
	"time"

	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/platform/idempotency"
)

// checkoutKeyLock is how long a checkout's Idempotency-Key stays locked to
// the request that claimed it: longer than the 30 s request timeout (and a
// provider's own timeout and retry), so a retry does not take over a key
// whose first request is still running. A shorter checkout claim timeout
// shortens it too: a retry after a crash then waits no longer for its key
// than for its cart (a takeover of a live request stays safe, as the cart
// claim lets one attempt through).
const checkoutKeyLock = 90 * time.Second

// registerCheckout wires carts and checkout to the store routes, and the
// guest cart cleanup job to the job runner. Checkout
// requires an Idempotency-Key (docs/api.md), scoped per customer, or per cart
// for guests (the cart id in the path).
func registerCheckout(r *web.Router, opts Options, chk *checkout.Service) {
	lock := checkoutKeyLock
	if t := opts.Checkout.ClaimTimeout; t > 0 && t < lock {
		lock = t
	}
	keys := idempotency.NewStore(opts.DB).WithLockTimeout(lock)
	store.RegisterCarts(r, chk, web.Idempotent(keys, web.IdempotencyOptions{Required: true}))
	// Staff orders (point of sale) require a key too, as checkout does.
	admin.RegisterStaffOrders(r, chk, web.Idempotent(keys, web.IdempotencyOptions{Required: true}))
	checkout.RegisterJobs(opts.Jobs, chk)
}
