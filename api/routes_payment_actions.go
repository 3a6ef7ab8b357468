package api

import (
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/payments"
	"storekeep/internal/platform/idempotency"
)

// registerPaymentActions wires payments that wait for the shopper (3-D
// Secure, redirects): the webhook hook that places their orders, their
// expiry job, payment sessions, and, while the test provider is on, its authenticate page.
func registerPaymentActions(r *web.Router, opts Options, pay *payments.Service, chk *checkout.Service) {
	checkout.RegisterActions(opts.Jobs, chk, pay)
	keys := idempotency.NewStore(opts.DB).WithLockTimeout(checkoutKeyLock)
	store.RegisterPaymentSessions(r, chk, web.Idempotent(keys, web.IdempotencyOptions{}))
	if p, err := pay.Provider("test"); err == nil {
		if tp, ok := p.(*payments.TestProvider); ok {
			store.RegisterTestPayments(r, tp)
		}
	}
}
