package api

import (
	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
)

// MetricsIngestOptions configures what the storefront feeds metrics with.
type MetricsIngestOptions struct {
	// EventBatchesPerIP is how many event batches one client IP may send per
	// 15 minutes: 0 means metrics.DefaultEventBatchesPerIP, negative off.
	EventBatchesPerIP int
}

// registerMetricsIngest wires event ingestion, marketing spend and
// experiments to the store and admin routes.
func registerMetricsIngest(r *web.Router, opts Options) *metrics.Tracker {
	perIP := opts.MetricsIngest.EventBatchesPerIP
	if perIP == 0 {
		perIP = metrics.DefaultEventBatchesPerIP
	}
	trk := metrics.NewTracker(opts.DB, metrics.WithClock(opts.Now),
		metrics.WithEventLimit(auth.NewLimiter(opts.DB, auth.DefaultWindow, opts.Now), perIP))
	store.RegisterMetrics(r, store.Metrics{Tracker: trk})
	admin.RegisterMarketing(r, admin.Marketing{Tracker: trk})
	admin.RegisterExperiments(r, admin.Experiments{Tracker: trk})
	return trk
}
