package metrics_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
)

// BenchmarkIngest measures storefront events stored per second, in full
// batches of metrics.MaxBatch with client event ids (so the de-duplicating
// insert does its index work). Recorded in docs/benchmarks.md.
func BenchmarkIngest(b *testing.B) {
	d := dbtest.New(b)
	trk := metrics.NewTracker(d)
	ctx := context.Background()
	now := time.Now().UTC()
	seq := 0
	batch := func() []json.RawMessage {
		raw := make([]json.RawMessage, metrics.MaxBatch)
		for i := range raw {
			seq++
			raw[i], _ = json.Marshal(metrics.EventInput{EventID: fmt.Sprintf("evt-%d", seq), Type: metrics.EventProductView,
				AnonymousID: fmt.Sprintf("anon-%d", seq%5000), SessionID: fmt.Sprintf("sess-%d", seq%20000),
				Path: "/products/rose-serum", ProductID: "prod_06h1wbq28dxanf5st2bqp8yfxm", UTMSource: "newsletter",
				OccurredAt: now.Add(-time.Duration(seq%3600) * time.Second)})
		}
		return raw
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		raw := batch()
		b.StartTimer()
		res, err := trk.Ingest(ctx, auth.Actor{}, "127.0.0.1", raw)
		if err != nil || res.Accepted != metrics.MaxBatch {
			b.Fatalf("%+v %v", res, err)
		}
	}
	b.ReportMetric(float64(b.N*metrics.MaxBatch)/b.Elapsed().Seconds(), "events/s")
}
