package api_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storekeep/api"
	"storekeep/api/apitest"
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

// BenchmarkCheckoutEvents measures what recording its outbox events costs a
// checkout (docs/benchmarks.md, "Events per checkout"). Two servers run side
// by side on two databases: the baseline, whose checkouts record no events
// (api.WithoutCheckoutEvents), and the real one; with payments authorised
// at checkout (one event, order.created) or captured at checkout (two,
// order.created and order.paid). Each iteration drives one batch of whole
// storefront paths (as BenchmarkCheckoutFlow, 4 shoppers at once) through
// each server in turn, alternating which goes first, so that load on the
// machine hits both alike; the metrics are each server's checkouts per
// second and the median over iterations of the per-pair ratio. Both job
// runners run, so the dispatcher marks the events as in a server.
//
//	go test ./api -run '^$' -bench CheckoutEvents -benchtime 15x -count 3
func BenchmarkCheckoutEvents(b *testing.B) {
	const batch = 20
	for _, capture := range []bool{false, true} {
		b.Run(fmt.Sprintf("capture=%v", capture), func(b *testing.B) {
			serve := func(extra ...apitest.Option) *shop {
				opts := append([]apitest.Option{func(o *api.Options) {
					o.Carts.CreateLimit = -1
					o.CaptureOnCheckout = capture
				}}, extra...)
				s := newShop(b, 1000000, 1000000, opts...)
				runner := s.h.Server.Jobs
				if err := runner.Start(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() {
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					defer cancel()
					_ = runner.Stop(ctx)
				})
				return s
			}
			off, on := serve(api.WithoutCheckoutEvents), serve()
			var seq atomic.Int64
			drive := func(s *shop) time.Duration {
				start := time.Now()
				var left atomic.Int64
				left.Store(batch)
				var wg sync.WaitGroup
				for range 4 {
					wg.Go(func() {
						for left.Add(-1) >= 0 {
							p := s.guest()
							p.newCart()
							p.add(s.small, 1)
							p.add(s.large, 1)
							p.ready()
							p.placeOrder(fmt.Sprintf("bench-%d", seq.Add(1)))
						}
					})
				}
				wg.Wait()
				return time.Since(start)
			}
			drive(off) // warm both up
			drive(on)
			before := on.h.RowCounts(b, "events")["events"]
			var tOff, tOn time.Duration
			ratios := make([]float64, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				var a, c time.Duration
				if i%2 == 0 {
					a = drive(off)
					c = drive(on)
				} else {
					c = drive(on)
					a = drive(off)
				}
				tOff, tOn = tOff+a, tOn+c
				ratios = append(ratios, a.Seconds()/c.Seconds())
			}
			b.StopTimer()
			slices.Sort(ratios)
			n := float64(b.N * batch)
			b.ReportMetric(n/tOff.Seconds(), "off_checkouts/s")
			b.ReportMetric(n/tOn.Seconds(), "on_checkouts/s")
			b.ReportMetric(ratios[len(ratios)/2], "median_on/off")
			b.ReportMetric(float64(on.h.RowCounts(b, "events")["events"]-before)/n, "events/checkout")
		})
	}
}
