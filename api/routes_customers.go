package api

import (
	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/customers"
)

// registerCustomers wires the customers service (built once by registerAuth)
// to the signed-in customer's profile and address book and to the staff
// customer and customer-group routes. The orders domain plugs its figures
// into the staff view with cus.SetOrderHistory when it is built.
func registerCustomers(r *web.Router, _ Options, cus *customers.Service) error {
	store.RegisterCustomers(r, store.Customers{Svc: cus})
	admin.RegisterCustomers(r, admin.Customers{Svc: cus})
	return nil
}

// registerSegments runs the rule-based groups: the recompute jobs (one
// customer, one group, nightly all) and the consumer on the events
// dispatcher that queues a customer's recompute when its orders or account
// change. It needs the orders domain wired (cus.SetOrderHistory) first.
func registerSegments(opts Options, srv *Server, cus *customers.Service) {
	customers.RegisterJobs(opts.Jobs, cus)
	srv.Events.Subscribe("segments", cus.OnEvent)
}
