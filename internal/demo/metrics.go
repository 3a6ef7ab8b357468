package demo

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/metrics"
	"storekeep/internal/platform/db"
)

// The demo's metrics history: 90 days of storefront events, orders of the
// demo catalog, marketing spend per channel and one stopped experiment, so
// the dashboard shows curves as soon as the demo starts. Small on purpose:
// it adds about a second to a fresh SQLite start.
const (
	MetricsDays   = 90
	MetricsOrders = 2000
	MetricsEvents = 40000
	// ExperimentKey is the demo's finished A/B test.
	ExperimentKey = "free-shipping-banner"
)

// LoadMetrics writes the metrics history ending the day of end (UTC) and
// builds the rollups. It is deterministic for a day and refuses a database
// that already has it; call it after Load reported Loaded. With the demo's
// sales channels (Result.Channels), a quarter of the shoppers use the
// mobile app and half the orders placed without a storefront session are
// sales at the Paris pop-up; the web store has the rest.
func LoadMetrics(ctx context.Context, d *db.DB, end time.Time, chans []ChannelKey) (metrics.SyntheticResult, error) {
	var rows []struct {
		ID, ProductID, SKU, Title, ProductTitle, Currency string
		Amount                                            int64
	}
	// The published products' variants with their prices, in a fixed order.
	err := d.Conn(ctx).Raw(`SELECT v.id AS id, v.product_id AS product_id, v.sku AS sku, v.title AS title,
  p.title AS product_title, vp.currency AS currency, vp.amount AS amount
FROM variants v JOIN products p ON p.id = v.product_id JOIN variant_prices vp ON vp.variant_id = v.id
WHERE p.status = 'published' ORDER BY v.sku, vp.currency`).Scan(&rows).Error
	if err != nil {
		return metrics.SyntheticResult{}, fmt.Errorf("demo catalog: %w", err)
	}
	var catalog []metrics.SyntheticVariant
	for _, r := range rows {
		if n := len(catalog); n == 0 || catalog[n-1].ID != r.ID {
			catalog = append(catalog, metrics.SyntheticVariant{ID: r.ID, ProductID: r.ProductID, SKU: r.SKU,
				Title: r.ProductTitle + " " + r.Title, Prices: map[string]int64{}})
		}
		catalog[len(catalog)-1].Prices[r.Currency] = r.Amount
	}
	if len(catalog) == 0 {
		return metrics.SyntheticResult{}, fmt.Errorf("demo metrics: no published variants")
	}
	var spread []metrics.SyntheticChannel
	for _, c := range chans {
		switch c.Name {
		case MobileChannelName:
			spread = append(spread, metrics.SyntheticChannel{ID: c.ID, Percent: 25})
		case PopupChannelName:
			spread = append(spread, metrics.SyntheticChannel{ID: c.ID, Percent: 50, InStore: true})
		}
	}
	return metrics.Synthetic(ctx, d, metrics.SyntheticOptions{
		Orders: MetricsOrders, Events: MetricsEvents, Days: MetricsDays, Seed: 8,
		End:           end.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1),
		Catalog:       catalog,
		SalesChannels: spread,
		Experiment: &metrics.SyntheticExperiment{Key: ExperimentKey, Name: "Free shipping banner on product pages",
			Control: "control", Treatment: "banner"},
	})
}
