package api

import (
	"storekeep/api/admin"
	"storekeep/api/web"
	"storekeep/internal/platform/events"
)

// registerEvents wires the read-only outbox to GET /v1/admin/events. The
// events themselves are recorded by each domain in its own transactions;
// their consumers subscribe to srv.Events in their routes_<domain>.go.
func registerEvents(r *web.Router, opts Options) {
	admin.RegisterEvents(r, admin.Events{Log: events.NewLog(opts.DB)})
}
