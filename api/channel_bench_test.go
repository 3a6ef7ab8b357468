package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"storekeep/api/apitest"
)

// BenchmarkChannelProductList measures the store product list (20 of 60
// published products, 3 variants each, priced in EUR) with the publishable
// key of a non-default channel (fulfilled by one of the shop's two
// warehouses, so availability is counted over it) against the same list
// without a key (the default web channel, every warehouse: the shop-wide
// figure), both cached (anonymous: the catalog's response cache answers)
// and uncached (with a customer token, which the cache never serves).
// Rounds alternate the four requests in-process over HTTP; reported:
// median and p95 of each and the median over rounds of key / no key
// (docs/benchmarks.md, "Sales channels").
//
//	go test ./api -run '^$' -bench ChannelProductList -benchtime 1x
func BenchmarkChannelProductList(b *testing.B) {
	const (
		nProducts = 60
		rounds    = 400
	)
	h := apitest.New(b)
	mgr := h.StaffToken(b, "manager")
	admin := func(method, path string, body any, out any) {
		res := h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: mgr})
		if res.Status >= 300 {
			b.Fatalf("%s %s: %d %s", method, path, res.Status, res.Body)
		}
		if out != nil {
			res.JSON(b, out)
		}
	}
	var wh [2]struct {
		ID string `json:"id"`
	}
	for i := range wh {
		admin(http.MethodPost, "/v1/admin/warehouses", map[string]any{"code": fmt.Sprintf("BW%d", i), "name": "W",
			"country_code": "FR"}, &wh[i])
	}
	ch, key := newChannel(b, h, mgr, "mobile", wh[0].ID)
	for i := range nProducts {
		var p struct {
			Variants []struct {
				ID string `json:"id"`
			} `json:"variants"`
		}
		var vs []any
		for _, size := range []string{"S", "M", "L"} {
			vs = append(vs, map[string]any{"sku": fmt.Sprintf("CB%d-%s", i, size), "options": map[string]string{"Size": size},
				"prices": []any{eur(1000 + int64(i))}})
		}
		admin(http.MethodPost, "/v1/admin/products", map[string]any{"title": fmt.Sprintf("Bench product %d", i),
			"status": "published", "description": "A product description.", "tags": []string{"vegan"},
			"options":           []any{map[string]any{"name": "Size", "values": []string{"S", "M", "L"}}},
			"variants":          vs,
			"images":            []any{map[string]any{"url": "https://img.example/p.jpg"}},
			"sales_channel_ids": []string{defaultChannelID, ch.ID}}, &p)
		for j, v := range p.Variants {
			for _, w := range wh {
				admin(http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": v.ID,
					"warehouse_id": w.ID, "delta": 5 + j, "reason": "bench"}, nil)
			}
		}
	}
	tok, _ := h.CustomerToken(b)
	const path = "/v1/store/products?currency=EUR&limit=20"
	// A plain keep-alive client, not h.Do: the harness checks every answer
	// against the contract, which would add the same few milliseconds to
	// both sides and hide the difference being measured.
	client := &http.Client{}
	get := func(token, pk string) time.Duration {
		req, err := http.NewRequest(http.MethodGet, h.URL+path, nil)
		if err != nil {
			b.Fatal(err)
		}
		if pk != "" {
			req.Header.Set("X-Publishable-Key", pk)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		t0 := time.Now()
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		d := time.Since(t0)
		if err != nil || res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"sku":"CB`)) {
			b.Fatalf("GET %s: %d %v %.200s", path, res.StatusCode, err, body)
		}
		return d
	}
	// Every variant has stock in both warehouses, so the key's channel
	// shows less than the shop-wide figure: the channel path really ran.
	var pl struct {
		Data []struct {
			Variants []struct {
				Available int `json:"available"`
			} `json:"variants"`
		} `json:"data"`
	}
	storeGet(h, path, key.Key).Expect(b, http.StatusOK).JSON(b, &pl)
	if n := pl.Data[0].Variants[0].Available; n != 5 {
		b.Fatalf("available with the channel's key = %d, want 5 (one warehouse)", n)
	}
	var cNo, cKey, uNo, uKey []time.Duration
	var rCached, rUncached []float64
	b.ResetTimer()
	for range b.N {
		for range rounds {
			a, k := get("", ""), get("", key.Key)
			ua, uk := get(tok, ""), get(tok, key.Key)
			cNo, cKey, uNo, uKey = append(cNo, a), append(cKey, k), append(uNo, ua), append(uKey, uk)
			rCached, rUncached = append(rCached, float64(k)/float64(a)), append(rUncached, float64(uk)/float64(ua))
		}
	}
	b.StopTimer()
	q := func(d []time.Duration, f float64) float64 {
		slices.Sort(d)
		return float64(d[int(f*float64(len(d)-1))].Microseconds()) / 1000
	}
	medF := func(f []float64) float64 { slices.Sort(f); return f[len(f)/2] }
	b.ReportMetric(q(cNo, 0.5), "cached_nokey_p50_ms")
	b.ReportMetric(q(cKey, 0.5), "cached_key_p50_ms")
	b.ReportMetric(q(uNo, 0.5), "uncached_nokey_p50_ms")
	b.ReportMetric(q(uKey, 0.5), "uncached_key_p50_ms")
	b.ReportMetric(q(cNo, 0.95), "cached_nokey_p95_ms")
	b.ReportMetric(q(cKey, 0.95), "cached_key_p95_ms")
	b.ReportMetric(q(uNo, 0.95), "uncached_nokey_p95_ms")
	b.ReportMetric(q(uKey, 0.95), "uncached_key_p95_ms")
	b.ReportMetric(medF(rCached), "cached_key/nokey")
	b.ReportMetric(medF(rUncached), "uncached_key/nokey")
}
