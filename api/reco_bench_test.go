package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"storekeep/api/apitest"
	"storekeep/internal/reco"
)

// BenchmarkRecommendations measures the recommendation routes over a
// co-purchase table built by 100 000 orders (docs/benchmarks.md,
// "Recommendations"). 200 published products in stock, 4 categories; each
// synthetic order holds 1 to 4 distinct products, a few popular ones
// likelier; the orders go through reco's RecordOrder (the consumer's own
// code path) in one transaction, and the load time per order is reported.
// Then rounds of requests alternate, in-process over HTTP: the baseline (a
// product page for a signed-in customer, which bypasses the catalog cache
// as recommendations do), "bought together" for a popular product, and a
// customer's picks. Reported: median and p95 latency of each and the
// median ratios to the baseline.
//
//	go test ./api -run '^$' -bench Recommendations -benchtime 1x
func BenchmarkRecommendations(b *testing.B) {
	const (
		nProducts = 200
		nOrders   = 100000
		rounds    = 400
	)
	s := newShop(b, 0, 0)
	cats := make([]string, 4)
	for i := range cats {
		var c struct {
			ID string `json:"id"`
		}
		s.admin(http.MethodPost, "/v1/admin/categories", map[string]any{"name": fmt.Sprintf("Bench %d-%d", i, shopSeq.Add(1))}).
			Expect(b, http.StatusCreated).JSON(b, &c)
		cats[i] = c.ID
	}
	products := make([]string, nProducts)
	for i := range products {
		products[i], _ = s.recoProduct("Bench", 100, map[string]any{"skin_types": []string{"dry", "oily"}[i%2 : i%2+1]}, cats[i%len(cats)])
	}
	svc := reco.NewService(s.h.DB, nil, nil, nil, nil)
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func() string {
		if rng.IntN(4) == 0 {
			return products[rng.IntN(10)] // popular
		}
		return products[rng.IntN(nProducts)]
	}
	ctx := context.Background()
	start := time.Now()
	err := s.h.DB.WithTx(ctx, func(ctx context.Context) error {
		for i := range nOrders {
			lines := make([]string, 1+rng.IntN(4))
			for j := range lines {
				lines[j] = pick()
			}
			if err := svc.RecordOrder(ctx, fmt.Sprintf("order_bench%07d", i), lines); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	var pairs int64
	s.h.DB.Conn(ctx).Raw("SELECT COUNT(*) FROM co_purchases").Scan(&pairs)
	tok, customerID := s.h.CustomerToken(b)
	_ = customerID
	get := func(path string) time.Duration {
		t0 := time.Now()
		s.h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: tok}).Expect(b, http.StatusOK)
		return time.Since(t0)
	}
	var base, together, mine []time.Duration
	var rTogether, rMine []float64
	b.ResetTimer()
	for range b.N {
		for i := range rounds {
			p := products[i%10]
			bd := get("/v1/store/products/" + p + "?currency=EUR")
			td := get("/v1/store/products/" + p + "/recommendations?currency=EUR")
			md := get("/v1/store/customers/me/recommendations?currency=EUR")
			base, together, mine = append(base, bd), append(together, td), append(mine, md)
			rTogether, rMine = append(rTogether, float64(td)/float64(bd)), append(rMine, float64(md)/float64(bd))
		}
	}
	b.StopTimer()
	med := func(d []time.Duration, q float64) float64 {
		slices.Sort(d)
		return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000
	}
	medF := func(f []float64) float64 { slices.Sort(f); return f[len(f)/2] }
	b.ReportMetric(float64(load.Microseconds())/nOrders, "load_µs/order")
	b.ReportMetric(float64(pairs), "pairs")
	b.ReportMetric(med(base, 0.5), "product_p50_ms")
	b.ReportMetric(med(base, 0.95), "product_p95_ms")
	b.ReportMetric(med(together, 0.5), "together_p50_ms")
	b.ReportMetric(med(together, 0.95), "together_p95_ms")
	b.ReportMetric(med(mine, 0.5), "mine_p50_ms")
	b.ReportMetric(med(mine, 0.95), "mine_p95_ms")
	b.ReportMetric(medF(rTogether), "together/product")
	b.ReportMetric(medF(rMine), "mine/product")
}
