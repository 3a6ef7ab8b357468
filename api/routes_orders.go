package api

import (
	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/inventory"
	"storekeep/internal/orders"
	"storekeep/internal/payments"
	"storekeep/internal/platform/idempotency"
)

// registerOrders wires orders to the store (a customer's own) and admin
// routes. The returned service is what checkout creates orders with.
// Fulfilment, cancellation, refunds and returns move stock through inv and
// money through pay; the expiry job (pending orders, canceled orders'
// payments) runs on the process's jobs runner. Cancel and refunds require
// an Idempotency-Key (docs/reliability.md); fulfilment, capture and returns
// honour one.
func registerOrders(r *web.Router, opts Options, inv *inventory.Service, pay *payments.Service) *orders.Service {
	o := []orders.Option{orders.WithLogger(opts.Log), orders.WithInventory(inv), orders.WithPayments(pay)}
	if opts.benchNoCheckoutEvents {
		o = append(o, orders.WithoutCheckoutEvents())
	}
	svc := orders.NewService(opts.DB, o...)
	idemStore := idempotency.NewStore(opts.DB)
	idem := web.Idempotent(idemStore, web.IdempotencyOptions{})
	idemRequired := web.Idempotent(idemStore, web.IdempotencyOptions{Required: true})
	store.RegisterOrders(r, svc)
	admin.RegisterOrders(r, svc)
	admin.RegisterFulfillments(r, svc, idem)
	admin.RegisterOrderActions(r, svc, idem, idemRequired)
	admin.RegisterReturns(r, svc, idem)
	store.RegisterReturns(r, svc)
	orders.RegisterOrderJobs(opts.Jobs, svc)
	return svc
}
