package api

import (
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/platform/idempotency"
)

// registerCheckout wires carts and checkout to the store routes. Checkout
// requires an Idempotency-Key (API.md), scoped per customer, or per cart
// for guests (the cart id in the path).
func registerCheckout(r *web.Router, opts Options, chk *checkout.Service) {
	idem := web.Idempotent(idempotency.NewStore(opts.DB), web.IdempotencyOptions{Required: true})
	store.RegisterCarts(r, chk, idem)
}
