package api

import (
	"context"

	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/automations"
	"storekeep/internal/catalog"
	"storekeep/internal/checkout"
	"storekeep/internal/customers"
	"storekeep/internal/orders"
	"storekeep/internal/platform/idempotency"
	"storekeep/internal/webhooks"
)

// registerAutomations wires the automations domain: its rules and run logs,
// the codes issued to customers, the run jobs, and its consumer on the
// events dispatcher (each event makes one run per matching rule, in the
// dispatch transaction). Codes are promotions of chk; conditions read cus,
// ord and cat; call_webhook delivers through hooks. E-mail (send_email) is
// wired with automations.WithMailer once that domain exists; until then the
// action fails with a clear reason in the run log.
func registerAutomations(r *web.Router, opts Options, srv *Server, chk *checkout.Service, cus *customers.Service,
	ord *orders.Service, cat *catalog.Service, hooks *webhooks.Service) {
	svc := automations.NewService(opts.DB, automations.WithClock(opts.Now), automations.WithLogger(opts.Log),
		automations.WithJobs(opts.Jobs), automations.WithPromotions(chk),
		automations.WithCustomers(automationCustomers{cus}), automations.WithOrders(ord),
		automations.WithCatalog(cat), automations.WithWebhooks(hooks))
	automations.RegisterJobs(opts.Jobs, svc)
	srv.Events.Subscribe("automations", svc.OnEvent)
	idem := web.Idempotent(idempotency.NewStore(opts.DB), web.IdempotencyOptions{})
	admin.RegisterAutomations(r, admin.Automations{Svc: svc}, idem)
	store.RegisterDiscounts(r, store.Discounts{Svc: svc})
}

// automationCustomers is the customers service as automations see it.
type automationCustomers struct{ *customers.Service }

// Customer returns an active account's e-mail (and, once customers have
// one, its locale); an unknown or archived one is customers.ErrNotFound.
func (c automationCustomers) Customer(ctx context.Context, customerID string) (automations.Customer, error) {
	cu, err := c.Get(ctx, customerID)
	if err != nil {
		return automations.Customer{}, err
	}
	return automations.Customer{ID: cu.ID, Email: cu.Email}, nil
}
