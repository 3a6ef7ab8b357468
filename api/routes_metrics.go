package api

import (
	"storekeep/api/admin"
	"storekeep/api/web"
	"storekeep/internal/metrics"
	"storekeep/internal/support"
)

// registerKPIs wires the KPI report and the funnel; the support figures
// come from the support service.
func registerKPIs(r *web.Router, opts Options, sup *support.Service) {
	admin.RegisterKPIs(r, admin.KPIs{Engine: metrics.NewKPIs(opts.DB, sup), Now: opts.Now})
}
