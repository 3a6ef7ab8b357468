package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"storekeep/internal/platform/money"
	"storekeep/internal/support"
)

// kpiAcc accumulates one period's figures.
type kpiAcc struct {
	span                 kpiSpan
	sessions, converted  int
	bounced              int
	users                map[string]bool // the shoppers seen (direct computation)
	uniqueUsers          int
	orders, canceled     int
	revenue, refunds     map[string]int64
	ordersBy             map[string]int64 // non-canceled orders per currency
	newCustomers         int
	spend                map[string]float64
	carts, cartsOrdered  int
	retained, retainBase int
	clv                  map[string][2]int64 // currency -> {sum, customers}
	turnover             *float64
}

// Report computes the KPI report of q.
func (k *KPIs) Report(ctx context.Context, q KPIQuery) (KPIReport, error) {
	loc, err := q.Validate()
	if err != nil {
		return KPIReport{}, err
	}
	from, to := q.From.UTC(), q.To.UTC()
	spans := kpiBuckets(from, to, q.Interval, loc)
	// The summary is one more period after the buckets.
	accs := make([]*kpiAcc, len(spans)+1)
	for i := range accs {
		s := kpiSpan{from, to}
		if i < len(spans) {
			s = spans[i]
		}
		accs[i] = &kpiAcc{span: s, users: map[string]bool{}, revenue: map[string]int64{}, refunds: map[string]int64{}, ordersBy: map[string]int64{},
			spend: map[string]float64{}, clv: map[string][2]int64{}}
	}
	// each calls fn on the bucket holding t and on the summary.
	each := func(t time.Time, fn func(a *kpiAcc)) {
		if i := kpiIndex(spans, t); i >= 0 {
			fn(accs[i])
			fn(accs[len(spans)])
		}
	}
	if err := k.checkSalesChannel(ctx, "sales_channel", q.SalesChannel); err != nil {
		return KPIReport{}, err
	}
	f, err := k.loadFilter(ctx, q)
	if err != nil {
		return KPIReport{}, err
	}
	steps := []func(context.Context, KPIQuery, kpiFilter, []*kpiAcc, func(time.Time, func(*kpiAcc))) error{
		k.userFigures, k.sessionFigures, k.orderFigures, k.retentionFigures, k.refundFigures, k.cartFigures,
	}
	// The rollups have no sales channel dimension: a channel's report is
	// computed from the base tables.
	rolled := k.rollups && f.all() && q.SalesChannel == "" && onHours(spans)
	if rolled {
		// Rollups never built (a new database, or just after a migration
		// that added one): the job builds them, this report does without.
		if rolled, err = k.catchUp(ctx, false); err != nil {
			return KPIReport{}, err
		}
	}
	if rolled {
		steps = []func(context.Context, KPIQuery, kpiFilter, []*kpiAcc, func(time.Time, func(*kpiAcc))) error{
			k.rollupUsers, k.rollupRetention, k.rollupFigures,
		}
	}
	for _, step := range steps {
		if err := step(ctx, q, f, accs, each); err != nil {
			return KPIReport{}, err
		}
	}
	if err := k.spendFigures(ctx, q, loc, accs); err != nil {
		return KPIReport{}, err
	}
	basis, err := k.turnoverFigures(ctx, from, accs, rolled, q.SalesChannel)
	if err != nil {
		return KPIReport{}, err
	}
	rep := KPIReport{Interval: q.Interval, TimeZone: q.TimeZone, Series: make([]KPIBucket, len(spans))}
	for i, a := range accs {
		fig := a.figures(basis)
		if err := k.supportFigures(ctx, a.span, &fig); err != nil {
			return KPIReport{}, err
		}
		if i < len(spans) {
			rep.Series[i] = KPIBucket{Start: a.span.start, End: a.span.end, Figures: fig}
			continue
		}
		rep.Summary = KPISummary{From: from, To: to, Figures: fig}
	}
	if rep.Summary.TopProducts, err = k.topProducts(ctx, q, f, rolled); err != nil {
		return KPIReport{}, err
	}
	if rep.Summary.LowStockCount, err = k.lowStock(ctx, q.SalesChannel); err != nil {
		return KPIReport{}, err
	}
	return rep, nil
}

// figures turns the counts into rates and means.
func (a *kpiAcc) figures(basis string) Figures {
	f := Figures{Sessions: a.sessions, ConversionRate: kpiRate(a.converted, a.sessions),
		BounceRate: kpiRate(a.bounced, a.sessions), UniqueUsers: a.uniqueUsers, Orders: a.orders,
		CanceledOrders: a.canceled, Revenue: kpiMoney(a.revenue), Refunds: kpiMoney(a.refunds),
		NewCustomers: a.newCustomers, CustomerRetentionRate: kpiRate(a.retained, a.retainBase),
		Carts: a.carts, InventoryTurnover: a.turnover, InventoryTurnoverBasis: basis}
	f.AverageOrderValue = []money.Amount{}
	for _, r := range f.Revenue {
		f.AverageOrderValue = append(f.AverageOrderValue, money.Amount{Minor: kpiDiv(r.Minor, a.ordersBy[r.Currency]), Currency: r.Currency})
	}
	if a.carts > 0 {
		v := 1 - float64(a.cartsOrdered)/float64(a.carts)
		f.CartAbandonmentRate = &v
	}
	spend := map[string]int64{}
	for c, v := range a.spend {
		spend[c] = int64(math.Round(v))
	}
	f.MarketingSpend = kpiMoney(spend)
	if a.newCustomers > 0 {
		f.CustomerAcquisitionCost = []money.Amount{}
		for c, v := range a.spend {
			f.CustomerAcquisitionCost = append(f.CustomerAcquisitionCost,
				money.Amount{Minor: int64(math.Round(v / float64(a.newCustomers))), Currency: c})
		}
		sortMoney(f.CustomerAcquisitionCost)
	}
	f.CustomerLifetimeValue = []money.Amount{}
	for c, v := range a.clv {
		f.CustomerLifetimeValue = append(f.CustomerLifetimeValue, money.Amount{Minor: kpiDiv(v[0], v[1]), Currency: c})
	}
	sortMoney(f.CustomerLifetimeValue)
	return f
}

// supportFigures fills the support KPIs of span; they stay null beyond
// the longest period support reports on.
func (k *KPIs) supportFigures(ctx context.Context, s kpiSpan, f *Figures) error {
	if k.support == nil || s.end.Sub(s.start) > support.MaxMetricsDays*24*time.Hour {
		return nil
	}
	m, err := k.support.Metrics(ctx, s.start, s.end)
	if err != nil {
		return fmt.Errorf("support figures: %w", err)
	}
	f.FirstResponseSeconds, f.ResolutionSeconds = m.Summary.FirstResponseSeconds, m.Summary.ResolutionSeconds
	f.BotContainmentRate, f.CSAT = m.Summary.BotContainmentRate, m.Summary.CSAT
	return nil
}

// kpiRate is n/d, nil when d is zero.
func kpiRate(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}

// kpiDiv is n/d rounded half away from zero (d > 0).
func kpiDiv(n, d int64) int64 {
	q, r := n/d, n%d
	if 2*abs64(r) >= d {
		if n < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// kpiMoney lists the amounts by currency.
func kpiMoney(m map[string]int64) []money.Amount {
	out := make([]money.Amount, 0, len(m))
	for c, v := range m {
		out = append(out, money.Amount{Minor: v, Currency: c})
	}
	sortMoney(out)
	return out
}

func sortMoney(a []money.Amount) {
	slices.SortFunc(a, func(x, y money.Amount) int {
		if x.Currency < y.Currency {
			return -1
		}
		if x.Currency > y.Currency {
			return 1
		}
		return 0
	})
}
