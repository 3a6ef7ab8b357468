package webhooks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// benchPayload is an order-sized event payload (about 1.5 KB of JSON).
var benchPayload = func() map[string]any {
	items := make([]map[string]any, 3)
	for i := range items {
		items[i] = map[string]any{"id": fmt.Sprintf("oi_%026d", i), "variant_id": fmt.Sprintf("var_%026d", i),
			"sku": fmt.Sprintf("SKU-%d", i), "title": "Gentle Foaming Cleanser, 150 ml", "quantity": 2,
			"unit_price": map[string]any{"amount": 1990, "currency": "EUR"}, "total": map[string]any{"amount": 3980, "currency": "EUR"}}
	}
	return map[string]any{"number": "1042", "status": "confirmed", "payment_status": "authorized",
		"fulfillment_status": "unfulfilled", "email": "camille@example.com", "items": items,
		"shipping_address": map[string]any{"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Rivoli",
			"city": "Paris", "postal_code": "75001", "country_code": "FR"},
		"total": map[string]any{"amount": 12430, "currency": "EUR"}}
}()

// BenchmarkDeliveries measures deliveries per second to a receiver on
// loopback that answers 204 at once, each event about its own resource.
//
//   - baseline: the same number of signed POSTs of the same body, made
//     directly with the deliveries' HTTP client by QueueWorkers goroutines
//     (as many as the webhooks queue has workers): the network and signing
//     alone;
//   - durable: the events recorded beforehand; timed, the dispatcher hands
//     them to the webhooks consumer (a message, an attempt and a River job
//     each) and the server's job runner, with its default settings, works
//     every attempt (claim, send, record) until none is left.
//
// go test ./internal/webhooks -run '^$' -bench Deliveries -benchtime 1000x -count 5
func BenchmarkDeliveries(b *testing.B) {
	var got atomic.Int64
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		got.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rc.Close()

	b.Run("baseline", func(b *testing.B) {
		client := newClient(Guard{AllowPrivate: true, AllowHTTP: true})
		key, _ := secretKey(newSecret())
		body, _ := body(events.Event{ID: "evt_bench", Type: "order.created", CreatedAt: time.Now(),
			Payload: mustJSON(b, benchPayload)})
		var next atomic.Int64
		var wg sync.WaitGroup
		b.ResetTimer()
		start := time.Now()
		for range QueueWorkers {
			wg.Go(func() {
				for next.Add(1) <= int64(b.N) {
					ts := time.Now().Unix()
					req, _ := http.NewRequest(http.MethodPost, rc.URL+"/hook", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("webhook-id", "evt_bench")
					req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
					req.Header.Set("webhook-signature", signature([][]byte{key}, "evt_bench", ts, body))
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "deliveries/s")
	})

	b.Run("durable", func(b *testing.B) {
		d := dbtest.New(b)
		r := jobs.New(d, jobs.Options{})
		svc, err := NewService(d, r, []byte("bench-server-secret-bench-server-secret"),
			WithGuard(Guard{AllowPrivate: true, AllowHTTP: true}))
		if err != nil {
			b.Fatal(err)
		}
		RegisterJobs(r, svc)
		x := events.NewDispatcher(d)
		x.Register(r)
		x.Subscribe("webhooks", svc.Consume)
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = r.Stop(ctx)
		}()
		if _, err := svc.Create(b.Context(), admin, WebhookInput{URL: rc.URL + "/hook", EventTypes: []string{"order.*"}}); err != nil {
			b.Fatal(err)
		}
		err = d.WithTx(b.Context(), func(ctx context.Context) error {
			for i := range b.N {
				if err := events.Record(ctx, d, "order.created", fmt.Sprintf("order_%d", i), benchPayload); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		before := got.Load()
		b.ResetTimer()
		start := time.Now()
		ctx, cancel := context.WithTimeout(b.Context(), 10*time.Minute)
		defer cancel()
		if err := r.Drain(ctx); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		if n := got.Load() - before; n != int64(b.N) {
			b.Fatalf("receiver got %d deliveries, want %d", n, b.N)
		}
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")
	})
}

func mustJSON(b *testing.B, v any) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := jsonEncoder(&buf).Encode(v); err != nil {
		b.Fatal(err)
	}
	return bytes.TrimSpace(buf.Bytes())
}
