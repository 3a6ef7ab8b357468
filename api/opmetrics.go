package api

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/opmetrics"
)

// registerOpMetrics adds the operational metrics to reg: the database
// connection pool (sql.DBStats), the job queue by state (counted on
// scrape), and the outcome counters and socket gauge that domain code
// updates (internal/platform/opmetrics).
func registerOpMetrics(reg *prometheus.Registry, d *db.DB) {
	reg.MustRegister(opmetrics.Collectors()...)
	if d == nil {
		return
	}
	reg.MustRegister(collectors.NewDBStatsCollector(d.SQL(), "storekeep"), opmetrics.NewJobQueue(d))
}
