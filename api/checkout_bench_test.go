package api_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"storekeep/api"
)

// BenchmarkCheckoutFlow runs the whole storefront path (cart, 2 lines,
// address, shipping, checkout) in-process, for profiling:
//
//	go test ./api -run '^$' -bench CheckoutFlow -cpuprofile /tmp/cpu.out
//
// The load program bench/checkout measures a running server (docs/benchmarks.md).
func BenchmarkCheckoutFlow(b *testing.B) {
	// Every shopper here is one client: no cart creation limit.
	s := newShop(b, 1000000, 1000000, func(o *api.Options) { o.Carts.CreateLimit = -1 })
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			p := s.guest()
			p.newCart()
			p.add(s.small, 1)
			p.add(s.large, 1)
			p.ready()
			p.placeOrder(fmt.Sprintf("bench-%d", n.Add(1)))
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checkouts/s")
}
