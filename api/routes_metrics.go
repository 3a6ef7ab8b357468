package api

import (
	"storekeep/api/admin"
	"storekeep/api/web"
	"storekeep/internal/metrics"
	"storekeep/internal/support"
)

// registerKPIs wires the KPI report and the funnel, read from the hourly
// rollups that the metrics jobs keep up to date; the support figures come
// from the support service.
func registerKPIs(r *web.Router, opts Options, sup *support.Service) {
	k := metrics.NewKPIs(opts.DB, sup, metrics.WithRollups())
	metrics.RegisterRollupJobs(opts.Jobs, k)
	admin.RegisterKPIs(r, admin.KPIs{Engine: k, Now: opts.Now})
}
