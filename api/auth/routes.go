package authapi

import (
	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/platform/auth"
	"storekeep/internal/staff"
)

// Handlers serves the auth routes.
type Handlers struct {
	Customers *customers.Service
	Staff     *staff.Service
	Sessions  *auth.Sessions
}

// Register adds the auth routes to r. (The customer profile routes live in
// api/store, with the rest of the customer's account.)
// Sign-in routes are public: the credential travels in the body.
func Register(r *web.Router, h Handlers) {
	r.POST("/v1/auth/customers/register", web.Public, h.registerCustomer)
	r.POST("/v1/auth/customers/login", web.Public, h.loginCustomer)
	r.POST("/v1/auth/staff/login", web.Public, h.loginStaff)
	r.POST("/v1/auth/refresh", web.Public, h.refresh)
	r.POST("/v1/auth/logout", web.Public, h.logout)
}
