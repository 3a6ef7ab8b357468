package api

import (
	"time"

	"storekeep/api/admin"
	"storekeep/api/web"
	"storekeep/internal/platform/idempotency"
	"storekeep/internal/webhooks"
)

// WebhookOptions configures outbound webhooks (docs/webhooks.md).
type WebhookOptions struct {
	// AllowPrivate lets webhooks reach loopback, private and other internal
	// addresses (STOREKEEP_WEBHOOKS_ALLOW_PRIVATE): development and tests.
	AllowPrivate bool
	// AllowHTTP accepts http URLs besides https (STOREKEEP_WEBHOOKS_ALLOW_HTTP).
	AllowHTTP bool
	// RetryDelays replaces the waits between attempts
	// (STOREKEEP_WEBHOOKS_RETRY_SCHEDULE); nil keeps
	// webhooks.DefaultRetryPolicy's. The 24 h horizon stays.
	RetryDelays []time.Duration
	// DisableAfter is how long a webhook may keep failing before a final
	// failure disables it; 0 is webhooks.DefaultDisableAfter.
	DisableAfter time.Duration
	// Resolver replaces the system resolver (tests of DNS tricks).
	Resolver webhooks.Resolver
}

// registerWebhooks wires outbound webhooks: the service, its delivery jobs
// on the process's runner, its consumer on the events dispatcher (every
// event becomes a delivery to each subscribed webhook, in the dispatch
// transaction), and the admin routes. The returned service is what the
// automations' call_webhook action delivers through (DeliverEvent).
func registerWebhooks(r *web.Router, opts Options, srv *Server) (*webhooks.Service, error) {
	retry := webhooks.DefaultRetryPolicy()
	if opts.Webhooks.RetryDelays != nil {
		retry.Delays = opts.Webhooks.RetryDelays
	}
	svc, err := webhooks.NewService(opts.DB, opts.Jobs, opts.JWTSecret, webhooks.WithClock(opts.Now),
		webhooks.WithLogger(opts.Log), webhooks.WithRetryPolicy(retry),
		webhooks.WithDisableAfter(opts.Webhooks.DisableAfter),
		webhooks.WithGuard(webhooks.Guard{AllowPrivate: opts.Webhooks.AllowPrivate,
			AllowHTTP: opts.Webhooks.AllowHTTP, Resolver: opts.Webhooks.Resolver}))
	if err != nil {
		return nil, err
	}
	if opts.Webhooks.AllowPrivate {
		opts.Log.Warn("webhooks may reach loopback, private and other internal addresses (allow-private is on)")
	}
	webhooks.RegisterJobs(opts.Jobs, svc)
	srv.Events.Subscribe("webhooks", svc.Consume)
	admin.RegisterWebhooks(r, admin.Webhooks{Service: svc},
		web.Idempotent(idempotency.NewStore(opts.DB), web.IdempotencyOptions{}))
	return svc, nil
}
