package metrics_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/metrics"
	"storekeep/internal/platform/dbtest"
)

// TestSyntheticIsDeterministic: the same seed and end give the same shop
// (the same report, on two databases), the rollups built at the end agree
// with the direct computation (a stock ledger included), and a second run
// is refused.
func TestSyntheticIsDeterministic(t *testing.T) {
	t.Parallel()
	end := time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC)
	o := metrics.SyntheticOptions{Orders: 300, Events: 1500, Days: 28, Seed: 7, End: end}
	q := metrics.KPIQuery{From: end.AddDate(0, 0, -28), To: end, Interval: "week"}
	var reports []metrics.KPIReport
	for range 2 {
		d := dbtest.New(t)
		res, err := metrics.Synthetic(t.Context(), d, o)
		if err != nil {
			t.Fatal(err)
		}
		if res.Orders != 300 || res.Events != 1500 || res.Carts != 600 || res.Customers != 100 {
			t.Errorf("result = %+v", res)
		}
		direct, err := metrics.NewKPIs(d, nil).Report(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		rolled, err := metrics.NewKPIs(d, nil, metrics.WithRollups()).Report(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(direct, rolled); diff != "" {
			t.Errorf("rollups differ (-direct +rollups):\n%s", diff)
		}
		f := direct.Summary.Figures
		if f.Orders+f.CanceledOrders != 300 || f.CanceledOrders == 0 || f.Sessions == 0 || f.Sessions > 300 || len(f.Revenue) != 2 ||
			f.NewCustomers == 0 || f.CustomerAcquisitionCost == nil || f.CartAbandonmentRate == nil ||
			f.InventoryTurnover == nil || f.InventoryTurnoverBasis != metrics.TurnoverCost ||
			len(direct.Summary.TopProducts) != 10 {
			t.Errorf("summary = %+v", f)
		}
		reports = append(reports, direct)
		if _, err := metrics.Synthetic(t.Context(), d, o); err == nil {
			t.Error("a second run on the same database was accepted")
		}
	}
	if diff := cmp.Diff(reports[0], reports[1]); diff != "" {
		t.Errorf("two runs differ:\n%s", diff)
	}
}
