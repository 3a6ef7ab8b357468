package main

import (
	"fmt"

	"storekeep/api"
	"storekeep/internal/metrics"
)

// Event ingestion settings (docs/metrics.md, "Events"):
// STOREKEEP_EVENT_BATCHES_PER_IP is how many event batches one client IP
// may send per 15 minutes (default metrics.DefaultEventBatchesPerIP; 0 off).

// loadEventLimit reads STOREKEEP_EVENT_BATCHES_PER_IP.
func (c *config) loadEventLimit() error {
	n, err := envCount("STOREKEEP_EVENT_BATCHES_PER_IP", metrics.DefaultEventBatchesPerIP)
	if err != nil {
		return err
	}
	c.EventBatchesPerIP = n
	return nil
}

// metricsIngestOptions maps the settings onto api.MetricsIngestOptions,
// where 0 means the default and a negative value off.
func (c config) metricsIngestOptions() api.MetricsIngestOptions {
	return api.MetricsIngestOptions{EventBatchesPerIP: offIfZero(c.EventBatchesPerIP)}
}

// metricsIngestString is the event ingestion part of the printed config.
func (c config) metricsIngestString() string {
	return fmt.Sprintf(" event_batches_per_ip=%d", c.EventBatchesPerIP)
}
