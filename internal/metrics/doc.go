// Package metrics records what shoppers do on the storefront and computes
// what a shop is run by from it: storefront events (ingested in batches),
// marketing spend per channel, A/B experiments and their results, and the
// KPIs and funnel over orders and events (docs/metrics.md).
//
// Ingestion is built to be cheap: a batch is validated in memory and stored
// with one multi-row INSERT; an experiment assignment is a hash, so it
// writes nothing.
package metrics
