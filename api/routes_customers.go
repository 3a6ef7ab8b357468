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
