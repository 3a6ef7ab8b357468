package api

import (
	"time"

	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/platform/idempotency"
)

// checkoutKeyLock is how long a checkout's Idempotency-Key stays locked to
// the request that claimed it: longer than the 30 s request timeout (and a
// provider's own timeout and retry), so a retry can never take over a key
// whose first request is still running and answer for it.
const checkoutKeyLock = 90 * time.Second

// registerCheckout wires carts and checkout to the store routes, and the
// guest cart cleanup job to the job runner. Checkout
// requires an Idempotency-Key (API.md), scoped per customer, or per cart
// for guests (the cart id in the path).
func registerCheckout(r *web.Router, opts Options, chk *checkout.Service) {
	keys := idempotency.NewStore(opts.DB).WithLockTimeout(checkoutKeyLock)
	store.RegisterCarts(r, chk, web.Idempotent(keys, web.IdempotencyOptions{Required: true}))
	checkout.RegisterCartJobs(opts.Jobs, chk)
}
