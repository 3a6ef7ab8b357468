package demo

import (
	"context"
	"testing"
	"time"

	"storekeep/internal/catalog"
	"storekeep/internal/checkout"
	"storekeep/internal/customers"
	"storekeep/internal/inventory"
	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/page"
	"storekeep/internal/staff"
)

// checkMetrics fails t unless the demo's metrics history shows on the
// dashboard: a KPI report over the 90 days up to now with sessions,
// orders, a conversion rate strictly between 0 and 1, spend and an
// acquisition cost, orders of the demo catalog among the top products, and
// the stopped experiment with sessions in both arms and a lift.
func checkMetrics(ctx context.Context, t *testing.T, d *db.DB, now time.Time) {
	t.Helper()
	to := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	rep, err := metrics.NewKPIs(d, nil).Report(ctx, metrics.KPIQuery{From: to.AddDate(0, 0, -MetricsDays), To: to,
		Interval: "week", TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Summary
	if s.Sessions == 0 || s.Orders == 0 || s.ConversionRate == nil || *s.ConversionRate <= 0 || *s.ConversionRate >= 1 {
		t.Errorf("KPI summary: sessions %d, orders %d, conversion %v", s.Sessions, s.Orders, s.ConversionRate)
	}
	if len(s.MarketingSpend) == 0 || len(s.CustomerAcquisitionCost) == 0 || s.NewCustomers == 0 {
		t.Errorf("KPI summary: spend %v, CAC %v, new customers %d", s.MarketingSpend, s.CustomerAcquisitionCost, s.NewCustomers)
	}
	if len(s.TopProducts) == 0 || s.TopProducts[0].Title == "" || s.TopProducts[0].Units == 0 {
		t.Errorf("top products = %+v", s.TopProducts)
	} else {
		var published int64
		if err := d.Conn(ctx).Raw(`SELECT COUNT(*) FROM products WHERE id = ? AND status = 'published'`,
			s.TopProducts[0].ProductID).Scan(&published).Error; err != nil || published != 1 {
			t.Errorf("top product %+v is not a published demo product: %d, %v", s.TopProducts[0], published, err)
		}
	}
	weeks := 0
	for _, b := range rep.Series {
		if b.Sessions > 0 && b.Orders > 0 {
			weeks++
		}
	}
	if weeks < 12 {
		t.Errorf("%d of %d weeks have sessions and orders, want at least 12", weeks, len(rep.Series))
	}
	tr := metrics.NewTracker(d)
	admin := auth.Actor{Kind: auth.Staff, ID: "test", Role: auth.RoleAdmin}
	list, err := tr.ListExperiments(ctx, admin, metrics.StatusStopped, page.Request{Limit: 10})
	if err != nil || len(list.Data) != 1 || list.Data[0].Key != ExperimentKey {
		t.Fatalf("stopped experiments = %+v, %v", list.Data, err)
	}
	res, err := tr.Results(ctx, admin, list.Data[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Arms) != 2 || res.Arms[0].Sessions == 0 || res.Arms[1].Sessions == 0 || res.Lift == nil || *res.Lift <= 0 {
		t.Errorf("experiment results = %+v", res)
	}
}

func TestLoadMetricsFillsTheDashboard(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	cat := catalog.NewService(d)
	svc := Services{DB: d, Catalog: cat, Checkout: checkout.NewService(d), Staff: staff.NewService(d, nil, nil, nil),
		Customers: customers.NewService(d, nil, nil, nil), Inventory: inventory.NewService(d, cat)}
	if _, err := Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	res, err := LoadMetrics(ctx, d, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Orders != MetricsOrders || res.Events != MetricsEvents {
		t.Errorf("LoadMetrics = %+v", res)
	}
	checkMetrics(ctx, t, d, now)
	// A second run is refused rather than doubling the history.
	if _, err := LoadMetrics(ctx, d, now, nil); err == nil {
		t.Error("second LoadMetrics succeeded")
	}
}
