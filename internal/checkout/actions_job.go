package checkout

import (
	"context"
	"time"

	"storekeep/internal/payments"
	"storekeep/internal/platform/jobs"
)

// ExpireActionsInterval is how often payments left waiting for the shopper
// past their expiry are ended (actions.go).
const ExpireActionsInterval = time.Minute

// ExpireActionsArgs is the periodic job running ExpireActions.
type ExpireActionsArgs struct{}

// Kind names the job (River's JobArgs interface).
func (ExpireActionsArgs) Kind() string { return "checkout.expire_payment_actions" }

// ExpireActionsWorker runs ExpireActionsArgs.
type ExpireActionsWorker struct {
	jobs.WorkerDefaults[ExpireActionsArgs]
	Svc *Service
}

// Work ends expired payment actions. It is idempotent: every step is
// guarded, and the provider is asked with keys derived from the order id.
func (w *ExpireActionsWorker) Work(ctx context.Context, _ *jobs.Job[ExpireActionsArgs]) error {
	_, err := w.Svc.ExpireActions(ctx)
	return err
}

// RegisterActions wires payments that wait for the shopper: the provider
// webhook hook that places their orders, and the expiry job (every minute,
// first run at start). Call it while wiring, before the runner starts.
func RegisterActions(r *jobs.Runner, s *Service, pay *payments.Service) {
	pay.OnUnclaimedEvent(s.onUnclaimedEvent)
	jobs.Register(r, &ExpireActionsWorker{Svc: s})
	r.Periodic(ExpireActionsInterval, func() jobs.Args { return ExpireActionsArgs{} }, true)
}
