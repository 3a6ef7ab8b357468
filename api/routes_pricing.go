package api

import (
	"storekeep/api/admin"
	"storekeep/api/web"
	"storekeep/internal/checkout"
)

// registerPricing wires the checkout configuration (regions and tax, shipping
// options, promotions) to the admin routes. chk is the checkout service the
// cart and checkout routes use too, so they see the same configuration.
func registerPricing(r *web.Router, chk *checkout.Service) {
	admin.RegisterPricing(r, admin.Pricing{Svc: chk})
}
