package opmetrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"storekeep/internal/platform/db"
)

// jobStates are the job states reported: what waits or runs (the queue's
// depth) and what failed for good. Completed jobs are left out: they are
// the bulk of the table and say nothing about health.
var jobStates = []string{"available", "scheduled", "running", "retryable", "discarded"}

// JobQueue reports the durable job queue on scrape: jobs per state. The
// waiting states are the queue's depth; retryable (failed, to be retried)
// and discarded (failed for good) are its failures.
type JobQueue struct {
	db    *db.DB
	depth *prometheus.Desc
	// timeout bounds the query so a slow database cannot hang a scrape.
	timeout time.Duration
}

// NewJobQueue returns the collector over d.
func NewJobQueue(d *db.DB) *JobQueue {
	return &JobQueue{db: d, timeout: 2 * time.Second, depth: prometheus.NewDesc("storekeep_jobs",
		"Durable jobs by state (available, scheduled, running, retryable: waiting or failing and to be retried; discarded: failed for good and kept for inspection).",
		[]string{"state"}, nil)}
}

// Describe implements prometheus.Collector.
func (j *JobQueue) Describe(ch chan<- *prometheus.Desc) { ch <- j.depth }

// Collect implements prometheus.Collector with one indexed count per scrape
// (river_job is indexed by state first). A failed query reports nothing
// rather than zeros, so an alert on depth does not clear by mistake, and
// the rest of the scrape still answers.
func (j *JobQueue) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), j.timeout)
	defer cancel()
	var rows []struct {
		State string
		N     int64
	}
	err := j.db.Conn(ctx).Raw(`SELECT state, COUNT(*) AS n FROM river_job
WHERE state IN ('available', 'scheduled', 'running', 'retryable', 'discarded') GROUP BY state`).Scan(&rows).Error
	if err != nil {
		return
	}
	counts := map[string]int64{}
	for _, r := range rows {
		counts[r.State] = r.N
	}
	for _, s := range jobStates {
		ch <- prometheus.MustNewConstMetric(j.depth, prometheus.GaugeValue, float64(counts[s]), s)
	}
}
