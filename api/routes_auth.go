package api

import (
	"storekeep/api/admin"
	authapi "storekeep/api/auth"
	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/platform/auth"
	"storekeep/internal/staff"
)

// registerAuth wires accounts, staff, API keys and tokens: one session
// service (refresh-token rotation) that knows customers and staff as token
// subjects, one DB-backed limiter shared by every sign-in route. It returns
// the customers service for the domains that work with customer accounts.
func registerAuth(r *web.Router, opts Options) (*customers.Service, error) {
	tokens, err := auth.NewTokens(opts.JWTSecret, opts.Now)
	if err != nil {
		return nil, err
	}
	sessions := auth.NewSessions(opts.DB, tokens, opts.Now)
	limiter := auth.NewLimiter(opts.DB, auth.DefaultWindow, opts.Now)
	cus := customers.NewService(opts.DB, sessions, limiter, opts.Now)
	stf := staff.NewService(opts.DB, sessions, limiter, opts.Now)
	sessions.Register(auth.Customer, cus)
	sessions.Register(auth.Staff, stf)

	authapi.Register(r, authapi.Handlers{Customers: cus, Staff: stf, Sessions: sessions})
	admin.RegisterAPIKeys(r, admin.APIKeys{Staff: stf})
	return cus, nil
}
