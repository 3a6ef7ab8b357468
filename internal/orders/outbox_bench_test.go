package orders_test

import (
	"context"
	"encoding/json"
	"testing"

	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/events"
)

// BenchmarkRecordOrderEvent measures what one order event adds to the
// transaction that records it: marshalling a two-line order (as checkout's
// order.created does) and inserting it. Fifty events share each transaction,
// so the commit's cost is spread thin (docs/benchmarks.md, "Events per
// checkout").
//
//	go test ./internal/orders -run '^$' -bench RecordOrderEvent -benchtime 2000x
func BenchmarkRecordOrderEvent(b *testing.B) {
	d := dbtest.New(b)
	s := fulfiltest.New(d)
	wh, v1, v2 := s.Warehouse(b), s.Variant(b), s.Variant(b)
	s.Stock(b, v1.ID, wh, 10)
	s.Stock(b, v2.ID, wh, 10)
	o := s.Order(b, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: v1, Quantity: 1, Total: 1000},
		{Variant: v2, Quantity: 2, Total: 2000}}})
	raw, err := json.Marshal(o)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const perTx = 50
	b.ResetTimer()
	for i := 0; i < b.N; i += perTx {
		err := d.WithTx(ctx, func(ctx context.Context) error {
			for range min(perTx, b.N-i) {
				if err := events.RecordAs(ctx, d, "order.created", "order", o.ID, o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(raw)), "payload_bytes")
}
