package inventory

import (
	"context"
	"math/rand/v2"
	"testing"

	"storekeep/internal/platform/jobs"
)

// Reservation throughput. On PostgreSQL (TEST_DATABASE_URL set) these
// measure row-lock contention across pool connections; on SQLite, the single
// writer. Run: go test -run '^$' -bench Reserve -benchtime 3s ./internal/inventory/
// Figures are in docs/benchmarks.md.

// BenchmarkReserveHotSKU reserves one unit of the same level from every
// goroutine: the worst case, serialised on one row.
func BenchmarkReserveHotSKU(b *testing.B) { benchHotSKU(b, false) }

// BenchmarkReserveHotSKULow is BenchmarkReserveHotSKU with the level below
// its reorder point and automatic reordering wired: every reservation also
// runs the low-stock hook in its transaction (an outbox event and a reorder
// job row). The difference to BenchmarkReserveHotSKU is the hook's cost.
func BenchmarkReserveHotSKULow(b *testing.B) { benchHotSKU(b, true) }

func benchHotSKU(b *testing.B, low bool) {
	f := newFixture(b)
	v := f.variants(b, 1, false)[0]
	wh := f.warehouse(b, 1)
	for range b.N/MaxDelta + 1 {
		f.stock(b, v, wh, MaxDelta)
	}
	if low {
		f.inv.RegisterReordering(jobs.New(f.inv.db, jobs.Options{}))
		point := int64(MaxDelta)
		if _, err := f.inv.UpdateLevel(context.Background(), admin, v, wh, LevelPatch{ReorderPoint: &point}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetParallelism(8) // 8 x GOMAXPROCS concurrent checkouts
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := f.inv.Reserve(context.Background(), ReserveInput{Reference: "bench",
				Lines: []Line{{VariantID: v, Quantity: 1}}}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reservations/s")
}

// BenchmarkReserveSpread reserves two-line baskets over 200 variants in two
// warehouses: the common case, with little contention.
func BenchmarkReserveSpread(b *testing.B) {
	f := newFixture(b)
	var vs []string
	for range 4 {
		vs = append(vs, f.variants(b, 50, false)...)
	}
	whs := []string{f.warehouse(b, 1), f.warehouse(b, 2)}
	for _, v := range vs {
		for _, w := range whs {
			f.stock(b, v, w, MaxDelta)
		}
	}
	b.SetParallelism(8) // 8 x GOMAXPROCS concurrent checkouts
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 1))
		for pb.Next() {
			lines := []Line{{VariantID: vs[rng.IntN(len(vs))], Quantity: 1},
				{VariantID: vs[rng.IntN(len(vs))], Quantity: 1}}
			if _, err := f.inv.Reserve(context.Background(), ReserveInput{Reference: "bench", Lines: lines}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reservations/s")
}
