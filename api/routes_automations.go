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
	"storekeep/internal/loyalty"
	"storekeep/internal/notify"
	"storekeep/internal/orders"
	"storekeep/internal/platform/idempotency"
	"storekeep/internal/webhooks"
)

// registerAutomations wires the automations domain: its rules and run logs,
// the codes issued to customers, the run jobs, and its consumer on the
// events dispatcher (each event makes one run per matching rule, in the
// dispatch transaction). Codes are promotions of chk; conditions read cus,
// ord and cat; send_email records its message through mail and
// call_webhook delivers through hooks.
func registerAutomations(r *web.Router, opts Options, srv *Server, chk *checkout.Service, cus *customers.Service,
	ord *orders.Service, cat *catalog.Service, hooks *webhooks.Service, mail *notify.Service, loy *loyalty.Service) {
	svc := automations.NewService(opts.DB, automations.WithClock(opts.Now), automations.WithLogger(opts.Log),
		automations.WithJobs(opts.Jobs), automations.WithPromotions(chk),
		automations.WithCustomers(automationCustomers{cus}), automations.WithOrders(ord),
		automations.WithCatalog(cat), automations.WithWebhooks(hooks),
		automations.WithMailer(automationMailer{mail}), automations.WithLoyalty(loy))
	automations.RegisterJobs(opts.Jobs, svc)
	srv.Events.Subscribe("automations", svc.OnEvent)
	idem := web.Idempotent(idempotency.NewStore(opts.DB), web.IdempotencyOptions{})
	admin.RegisterAutomations(r, admin.Automations{Svc: svc}, idem)
	store.RegisterDiscounts(r, store.Discounts{Svc: svc})
}

// automationCustomers is the customers service as automations see it.
type automationCustomers struct{ *customers.Service }

// Customer returns an active account's e-mail and locale; an unknown or
// archived one is customers.ErrNotFound.
func (c automationCustomers) Customer(ctx context.Context, customerID string) (automations.Customer, error) {
	cu, err := c.Get(ctx, customerID)
	if err != nil {
		return automations.Customer{}, err
	}
	return automations.Customer{ID: cu.ID, Email: cu.Email, Locale: cu.Locale}, nil
}

// automationMailer is the e-mail domain as automations see it: the same
// message, recorded and queued in the run's transaction.
type automationMailer struct{ n *notify.Service }

func (m automationMailer) Send(ctx context.Context, msg automations.Message) error {
	return m.n.Send(ctx, notify.Message{Template: msg.Template, Locale: msg.Locale, To: msg.To,
		CustomerID: msg.CustomerID, Data: msg.Data, DedupeKey: msg.DedupeKey})
}
