package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storekeep/api"
)

// BenchmarkCheckoutLoyalty measures what redeeming points costs a checkout
// (docs/benchmarks.md, "Checkouts with loyalty points"). One server, one
// database, 4 signed-in customers holding plenty of points; each iteration
// drives one batch of whole storefront paths (cart, 2 lines, address,
// shipping, checkout; 4 shoppers at once) without points, and one batch
// that also redeems 100 points on each cart, alternating which goes first.
// Metrics: checkouts per second of each kind and the median over
// iterations of the per-pair ratio.
//
//	go test ./api -run '^$' -bench CheckoutLoyalty -benchtime 15x -count 3
func BenchmarkCheckoutLoyalty(b *testing.B) {
	const batch = 20
	s := newShop(b, 1000000, 1000000, func(o *api.Options) { o.Carts.CreateLimit = -1 })
	s.admin(http.MethodPut, "/v1/admin/loyalty/program", map[string]any{"earn_per_unit": 1, "redeem_value": eur(1),
		"expiry_days": 365}).Expect(b, http.StatusOK)
	tokens := make([]string, 4)
	for i := range tokens {
		tok, cus := s.h.CustomerToken(b)
		s.admin(http.MethodPost, "/v1/admin/customers/"+cus+"/loyalty/adjustments",
			map[string]any{"points": 1_000_000_000, "reason": "benchmark"}).Expect(b, http.StatusCreated)
		tokens[i] = tok
	}
	var seq atomic.Int64
	drive := func(points bool) time.Duration {
		start := time.Now()
		var left atomic.Int64
		left.Store(batch)
		var wg sync.WaitGroup
		for _, tok := range tokens {
			wg.Go(func() {
				for left.Add(-1) >= 0 {
					p := &shopper{s: s, token: tok}
					p.newCart()
					p.add(s.small, 1)
					p.add(s.large, 1)
					if points {
						p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/loyalty", map[string]any{"points": 100},
							http.StatusOK)
					}
					p.ready()
					p.placeOrder(fmt.Sprintf("bench-%d", seq.Add(1)))
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	drive(false) // warm up
	drive(true)
	var tOff, tOn time.Duration
	ratios := make([]float64, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		var a, c time.Duration
		if i%2 == 0 {
			a, c = drive(false), drive(true)
		} else {
			c, a = drive(true), drive(false)
		}
		tOff, tOn = tOff+a, tOn+c
		ratios = append(ratios, a.Seconds()/c.Seconds())
	}
	b.StopTimer()
	slices.Sort(ratios)
	n := float64(b.N * batch)
	b.ReportMetric(n/tOff.Seconds(), "plain_checkouts/s")
	b.ReportMetric(n/tOn.Seconds(), "points_checkouts/s")
	b.ReportMetric(ratios[len(ratios)/2], "median_points/plain")
}
