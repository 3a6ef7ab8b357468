package metrics_test

import (
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"storekeep/internal/metrics"
	"storekeep/internal/platform/db"
)

// BenchmarkKPIReport90Days times a 90-day daily report on a database the
// synthetic generator filled (docs/benchmarks.md, "KPIs at scale"):
//
//	storekeep seed --database-url URL --synthetic --orders N --events M --days 180 --end 2026-12-01
//	KPI_BENCH_DATABASE_URL=URL go test -run '^$' -bench KPIReport90Days -benchtime 3x ./internal/metrics
func BenchmarkKPIReport90Days(b *testing.B) {
	url := os.Getenv("KPI_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("KPI_BENCH_DATABASE_URL is not set")
	}
	d, err := db.Open(b.Context(), url, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	q := metrics.KPIQuery{From: end.AddDate(0, 0, -90), To: end}
	for name, k := range map[string]*metrics.KPIs{"rollups": metrics.NewKPIs(d, nil, metrics.WithRollups()),
		"direct": metrics.NewKPIs(d, nil)} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := k.Report(b.Context(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
