package metrics

import (
	"context"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
	"storekeep/internal/support"
)

// The KPI report (docs/kpis.md): every figure of a period [from, to), for
// the whole period (Summary) and for each day, week or month of it (Series),
// with day boundaries in the caller's time zone. Figures are computed from
// the base tables: orders, carts, storefront events, spend, the stock ledger
// and support conversations.

// Intervals a series is bucketed by.
const (
	IntervalDay   = "day"
	IntervalWeek  = "week" // weeks start on Monday
	IntervalMonth = "month"
)

// MaxKPIRange is the longest period a report covers: two years.
const MaxKPIRange = 2

// Inventory turnover bases: at variant cost, or in units when no variant
// has a cost.
const (
	TurnoverCost  = "cost"
	TurnoverUnits = "units"
)

// KPIQuery selects a report. Zero filters match everything.
type KPIQuery struct {
	From, To time.Time
	// Interval is day, week or month (default day).
	Interval string
	// Currency keeps only orders, refunds and spend in that currency.
	Currency string
	// Channel keeps customers acquired through that channel (their
	// acquisition_channel) and anonymous shoppers whose first event came
	// from it (its utm_source), and the spend on that channel.
	Channel string
	// CustomerGroup keeps the group's members.
	CustomerGroup string
	// SalesChannel keeps the orders, carts and storefront events of that
	// sales channel, and the stock of the warehouses that fulfil it.
	SalesChannel string
	// TimeZone is an IANA name setting day, week and month boundaries
	// (default UTC).
	TimeZone string
}

// Figures are the KPIs of one period. A rate or mean without a denominator
// is nil (JSON null); Money figures list one amount per currency, sorted by
// currency, and are null when their (currency-free) denominator is zero.
type Figures struct {
	// Sessions counts distinct session ids with an event in the period (a
	// session belongs to the bucket of its first event).
	Sessions int `json:"sessions" binding:"required" example:"1200"`
	// ConversionRate: sessions with an order carrying their session id / sessions.
	ConversionRate *float64 `json:"conversion_rate" binding:"required" extensions:"x-nullable" format:"double" example:"0.031"`
	// BounceRate: sessions with exactly one page_view, no product_view,
	// add_to_cart or checkout_start and no order / sessions.
	BounceRate *float64 `json:"bounce_rate" binding:"required" extensions:"x-nullable" format:"double" example:"0.42"`
	// UniqueUsers counts distinct shoppers with an event: the customer when
	// the anonymous id is known to belong to one, the anonymous id otherwise.
	UniqueUsers int `json:"unique_users" binding:"required" example:"900"`
	// Orders counts orders placed in the period that are not canceled.
	Orders int `json:"orders" binding:"required" example:"37"`
	// CanceledOrders counts orders placed in the period and canceled since.
	CanceledOrders int `json:"canceled_orders" binding:"required" example:"2"`
	// Revenue sums the totals of the non-canceled orders placed in the period.
	Revenue []money.Amount `json:"revenue" binding:"required"`
	// AverageOrderValue: Revenue / Orders, per currency (rounded half away from zero).
	AverageOrderValue []money.Amount `json:"average_order_value" binding:"required"`
	// Refunds sums the refunds given in the period.
	Refunds []money.Amount `json:"refunds" binding:"required"`
	// NewCustomers counts customers whose first order was placed in the period.
	NewCustomers int `json:"new_customers" binding:"required" example:"20"`
	// MarketingSpend is the spend overlapping the period, pro-rated by days.
	MarketingSpend []money.Amount `json:"marketing_spend" binding:"required"`
	// CustomerAcquisitionCost: MarketingSpend / NewCustomers.
	CustomerAcquisitionCost []money.Amount `json:"customer_acquisition_cost" binding:"required" extensions:"x-nullable"`
	// CustomerRetentionRate: customers with an order in the previous period
	// of equal length who ordered in this one / customers with an order in
	// that previous period.
	CustomerRetentionRate *float64 `json:"customer_retention_rate" binding:"required" extensions:"x-nullable" format:"double" example:"0.25"`
	// CustomerLifetimeValue: per currency, the mean over customers whose
	// first order in that currency is before the period's end of their
	// non-canceled order totals up to that end.
	CustomerLifetimeValue []money.Amount `json:"customer_lifetime_value" binding:"required"`
	// Carts counts carts created in the period with at least one item,
	// including guest carts the cleanup deleted since.
	Carts int `json:"carts" binding:"required" example:"80"`
	// CartAbandonmentRate: 1 - carts (as counted by Carts) that became orders / Carts.
	CartAbandonmentRate *float64 `json:"cart_abandonment_rate" binding:"required" extensions:"x-nullable" format:"double" example:"0.7"`
	// InventoryTurnover: cost of goods sold (units shipped, at variant
	// cost) / the mean of the inventory value at the start and end of the
	// period; in units when no variant has a cost (InventoryTurnoverBasis).
	InventoryTurnover      *float64 `json:"inventory_turnover" binding:"required" extensions:"x-nullable" format:"double" example:"0.8"`
	InventoryTurnoverBasis string   `json:"inventory_turnover_basis" binding:"required" enums:"cost,units" example:"cost"`
	// Support figures (support.Stats): first_response_seconds and
	// resolution_seconds are medians, csat the mean rating.
	FirstResponseSeconds *float64 `json:"first_response_seconds" binding:"required" extensions:"x-nullable" format:"double" example:"95"`
	ResolutionSeconds    *float64 `json:"resolution_seconds" binding:"required" extensions:"x-nullable" format:"double" example:"1800"`
	BotContainmentRate   *float64 `json:"bot_containment_rate" binding:"required" extensions:"x-nullable" format:"double" example:"0.35"`
	CSAT                 *float64 `json:"csat" binding:"required" extensions:"x-nullable" format:"double" example:"4.6"`
} // @name KPIFigures

// KPIBucket is one day, week or month of the series; the first and last
// may be partial (clipped to [from, to)).
type KPIBucket struct {
	Start time.Time `json:"start" binding:"required" format:"date-time"`
	End   time.Time `json:"end" binding:"required" format:"date-time"`
	Figures
} // @name KPIBucket

// TopProduct is one of the best sellers of the period.
type TopProduct struct {
	ProductID string         `json:"product_id" binding:"required"`
	Title     string         `json:"title" binding:"required"`
	Units     int64          `json:"units" binding:"required"`
	Revenue   []money.Amount `json:"revenue" binding:"required"`
} // @name KPITopProduct

// KPISummary is the whole period.
type KPISummary struct {
	From time.Time `json:"from" binding:"required" format:"date-time"`
	To   time.Time `json:"to" binding:"required" format:"date-time"`
	Figures
	// TopProducts are the ten products with the most units in the
	// period's non-canceled orders.
	TopProducts []TopProduct `json:"top_products" binding:"required"`
	// LowStockCount counts stock levels at or below their reorder point
	// now (reorder_point > 0).
	LowStockCount int `json:"low_stock_count" binding:"required"`
} // @name KPISummary

// KPIReport is the answer of GET /v1/admin/metrics/kpis.
type KPIReport struct {
	Interval string      `json:"interval" binding:"required" enums:"day,week,month"`
	TimeZone string      `json:"time_zone" binding:"required" example:"Europe/Paris"`
	Summary  KPISummary  `json:"summary" binding:"required"`
	Series   []KPIBucket `json:"series" binding:"required"`
} // @name KPIReport

// SupportFigures is where the support KPIs come from (support.Service).
type SupportFigures interface {
	Metrics(ctx context.Context, from, to time.Time) (support.Metrics, error)
}

// KPIs computes KPI reports and the funnel.
type KPIs struct {
	db      *db.DB
	support SupportFigures
	now     func() time.Time
	// rollups: read the hourly rollups where they can answer.
	rollups bool
}

// KPIOption configures the KPI engine.
type KPIOption func(*KPIs)

// WithKPIClock sets the clock the rollups' bookkeeping uses.
func WithKPIClock(now func() time.Time) KPIOption { return func(k *KPIs) { k.now = now } }

// WithRollups makes reports read the hourly rollups (catching them up
// first) when the query allows: no channel or customer group filter, and
// every bucket boundary on a whole UTC hour. Without it every figure is
// computed from the base tables.
func WithRollups() KPIOption { return func(k *KPIs) { k.rollups = true } }

// NewKPIs returns the KPI engine; sup may be nil (support figures stay null).
func NewKPIs(d *db.DB, sup SupportFigures, opts ...KPIOption) *KPIs {
	k := &KPIs{db: d, support: sup, now: time.Now}
	for _, o := range opts {
		o(k)
	}
	return k
}

func (k *KPIs) clock() time.Time { return k.now().UTC() }

// Validate checks q and returns its location.
func (q *KPIQuery) Validate() (*time.Location, error) {
	if q.Interval == "" {
		q.Interval = IntervalDay
	}
	switch q.Interval {
	case IntervalDay, IntervalWeek, IntervalMonth:
	default:
		return nil, errs.Invalidf("interval", "must be day, week or month")
	}
	loc, err := LoadTimeZone(q.TimeZone)
	if err != nil {
		return nil, err
	}
	if q.TimeZone == "" {
		q.TimeZone = "UTC"
	}
	if q.Currency != "" && !money.ValidCurrency(q.Currency) {
		return nil, errs.Invalidf("currency", "must be a known ISO 4217 code")
	}
	if err := checkRange(q.From, q.To); err != nil {
		return nil, err
	}
	return loc, nil
}

// LoadTimeZone resolves an IANA time zone name ("" is UTC).
func LoadTimeZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if name == "Local" {
		return nil, errs.Invalidf("time_zone", "must be an IANA time zone name")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, errs.Invalidf("time_zone", "must be an IANA time zone name")
	}
	return loc, nil
}

// checkRange: from before to, at most MaxKPIRange years apart.
func checkRange(from, to time.Time) error {
	if from.IsZero() || to.IsZero() {
		return errs.Invalidf("from", "from and to are required")
	}
	if !from.Before(to) {
		return errs.Invalidf("from", "must be before to")
	}
	if to.After(from.AddDate(MaxKPIRange, 0, 0)) {
		return errs.Invalidf("to", "the period is at most %d years", MaxKPIRange)
	}
	return nil
}
