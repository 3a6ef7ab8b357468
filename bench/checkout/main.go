// Command checkout drives complete storefront checkouts against a running
// Storekeep server and reports completed checkouts per second and latency.
// Each simulated shopper runs the whole path a storefront runs: create a
// guest cart, add lines, set the address, pick shipping, check out with the
// test provider's tok_visa and a fresh Idempotency-Key.
//
//	go run ./bench/checkout -url http://127.0.0.1:18490 -email admin@... -password ... -mode spread
//
// Setup (as the staff user): a bench product with -variants variants priced
// in EUR, a bench warehouse with plenty of stock for each, and the EUR
// region serving FR with a shipping option (the demo shop has both). Modes:
// spread (each basket takes 2 random variants) and hot (every basket takes
// the same variant: the worst case for stock contention).
//
// Only loopback servers: it refuses a URL whose host is not 127.0.0.1 or localhost.
// Every shopper is then the same client IP, so start the server with
// STOREKEEP_CART_CREATE_LIMIT=0 (bench/checkout.sh does), or cart creation
// answers 429 after 100 carts per 15 minutes.
package main

import (
	"bytes"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "checkout bench:", err)
		os.Exit(1)
	}
}

type config struct {
	base, email, password, mode string
	workers, variants           int
	duration                    time.Duration
}

func run() error {
	var c config
	flag.StringVar(&c.base, "url", "http://127.0.0.1:18490", "server base URL (loopback only)")
	flag.StringVar(&c.email, "email", "", "staff e-mail (admin or manager)")
	flag.StringVar(&c.password, "password", "", "staff password")
	flag.StringVar(&c.mode, "mode", "spread", "spread or hot")
	flag.IntVar(&c.workers, "workers", 16, "concurrent shoppers")
	flag.IntVar(&c.variants, "variants", 50, "variants in the bench product (spread mode)")
	flag.DurationVar(&c.duration, "duration", 20*time.Second, "how long to run")
	flag.Parse()
	u, err := url.Parse(c.base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		return fmt.Errorf("-url must be a loopback server, got %q", c.base)
	}
	if c.mode != "spread" && c.mode != "hot" {
		return fmt.Errorf("-mode must be spread or hot")
	}
	cl := &client{base: c.base, http: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: c.workers * 2}}}
	fx, err := setup(cl, c)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	res := load(cl, c, fx)
	res.print(c)
	return nil
}

type client struct {
	base string
	http *http.Client
}

// call sends a JSON request and decodes a JSON answer into out (if not nil).
func (cl *client) call(method, path, token string, body, out any, hdr map[string]string) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, cl.base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		return resp.StatusCode, json.Unmarshal(b, out)
	}
	return resp.StatusCode, nil
}

type fixture struct {
	variants []string
	shipping string
}

type idOnly struct {
	ID string `json:"id"`
}

func setup(cl *client, c config) (fixture, error) {
	var fx fixture
	var login struct {
		AccessToken string `json:"access_token"`
	}
	if _, err := cl.call(http.MethodPost, "/v1/auth/staff/login", "", map[string]string{"email": c.email,
		"password": c.password}, &login, nil); err != nil {
		return fx, err
	}
	tok := login.AccessToken
	n := c.variants
	if c.mode == "hot" {
		n = 1
	}
	suffix := randomHex(4)
	var vals []string
	var variants []any
	for i := range n {
		vals = append(vals, fmt.Sprintf("v%d", i))
		variants = append(variants, map[string]any{"sku": fmt.Sprintf("BENCH-%s-%d", suffix, i),
			"options": map[string]string{"Size": vals[i]}, "weight_grams": 200,
			"prices": []any{map[string]any{"amount": 1500, "currency": "EUR"}}})
	}
	var p struct {
		Variants []idOnly `json:"variants"`
	}
	if _, err := cl.call(http.MethodPost, "/v1/admin/products", tok, map[string]any{"title": "Bench serum " + suffix,
		"status": "published", "options": []any{map[string]any{"name": "Size", "values": vals}},
		"variants": variants}, &p, nil); err != nil {
		return fx, err
	}
	var wh idOnly
	if _, err := cl.call(http.MethodPost, "/v1/admin/warehouses", tok, map[string]any{"code": "BENCH-" + suffix,
		"name": "Bench", "country_code": "FR", "priority": 0}, &wh, nil); err != nil {
		return fx, err
	}
	for _, v := range p.Variants {
		fx.variants = append(fx.variants, v.ID)
		if _, err := cl.call(http.MethodPost, "/v1/admin/inventory/adjustments", tok, map[string]any{"variant_id": v.ID,
			"warehouse_id": wh.ID, "delta": 1000000, "reason": "bench stock"}, nil,
			map[string]string{"Idempotency-Key": "bench-" + randomHex(8)}); err != nil {
			return fx, err
		}
	}
	var regions struct {
		Data []struct {
			ID           string   `json:"id"`
			Currency     string   `json:"currency"`
			CountryCodes []string `json:"country_codes"`
		} `json:"data"`
	}
	if _, err := cl.call(http.MethodGet, "/v1/admin/regions?limit=100", tok, nil, &regions, nil); err != nil {
		return fx, err
	}
	region := ""
	for _, r := range regions.Data {
		if r.Currency == "EUR" && slices.Contains(r.CountryCodes, "FR") {
			region = r.ID
		}
	}
	if region == "" {
		return fx, errors.New("no EUR region serving FR (seed the demo shop)")
	}
	var opts struct {
		Data []idOnly `json:"data"`
	}
	if _, err := cl.call(http.MethodGet, "/v1/admin/shipping-options?region_id="+region, tok, nil, &opts, nil); err != nil {
		return fx, err
	}
	if len(opts.Data) == 0 {
		return fx, errors.New("the EUR region has no shipping option")
	}
	fx.shipping = opts.Data[0].ID
	return fx, nil
}

var address = map[string]any{"first_name": "Bench", "last_name": "Shopper", "line1": "1 rue de la Paix",
	"city": "Paris", "postal_code": "75002", "country_code": "FR"}

// shop runs one whole checkout; it returns the checkout request's latency.
func shop(cl *client, fx fixture, rng *rand.Rand, hot bool) (time.Duration, int, error) {
	var cart idOnly
	if _, err := cl.call(http.MethodPost, "/v1/store/carts", "", map[string]any{"currency": "EUR",
		"email": "bench@example.com"}, &cart, nil); err != nil {
		return 0, 0, err
	}
	lines := []string{fx.variants[0]}
	if !hot {
		lines = []string{fx.variants[rng.IntN(len(fx.variants))], fx.variants[rng.IntN(len(fx.variants))]}
	}
	for _, v := range lines {
		if _, err := cl.call(http.MethodPost, "/v1/store/carts/"+cart.ID+"/items", "", map[string]any{"variant_id": v,
			"quantity": 1}, nil, nil); err != nil {
			return 0, 0, err
		}
	}
	if _, err := cl.call(http.MethodPatch, "/v1/store/carts/"+cart.ID, "", map[string]any{"shipping_address": address},
		nil, nil); err != nil {
		return 0, 0, err
	}
	if _, err := cl.call(http.MethodPost, "/v1/store/carts/"+cart.ID+"/shipping-method", "",
		map[string]any{"shipping_option_id": fx.shipping}, nil, nil); err != nil {
		return 0, 0, err
	}
	start := time.Now()
	status, err := cl.call(http.MethodPost, "/v1/store/carts/"+cart.ID+"/checkout", "", map[string]any{
		"payment": map[string]any{"provider": "test", "method": "card", "token": "tok_visa"}}, nil,
		map[string]string{"Idempotency-Key": randomHex(16)})
	return time.Since(start), status, err
}

type result struct {
	elapsed           time.Duration
	checkout, flow    []time.Duration
	errors            map[string]int
	completed, failed int
}

func load(cl *client, c config, fx fixture) result {
	var mu sync.Mutex
	res := result{errors: map[string]int{}}
	deadline := time.Now().Add(c.duration)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range c.workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			for time.Now().Before(deadline) {
				t0 := time.Now()
				lat, status, err := shop(cl, fx, rng, c.mode == "hot")
				flow := time.Since(t0)
				mu.Lock()
				if err != nil {
					res.failed++
					key := fmt.Sprintf("status %d", status)
					if status == 0 {
						key = err.Error()
					}
					res.errors[key]++
				} else {
					res.completed++
					res.checkout = append(res.checkout, lat)
					res.flow = append(res.flow, flow)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func (r result) print(c config) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
	fmt.Printf("mode=%s workers=%d duration=%s completed=%d failed=%d checkouts_per_s=%.1f "+
		"checkout_p50_ms=%s checkout_p99_ms=%s flow_p50_ms=%s flow_p99_ms=%s\n",
		c.mode, c.workers, r.elapsed.Round(time.Millisecond), r.completed, r.failed,
		float64(r.completed)/r.elapsed.Seconds(), ms(pct(r.checkout, 0.5)), ms(pct(r.checkout, 0.99)),
		ms(pct(r.flow, 0.5)), ms(pct(r.flow, 0.99)))
	for k, v := range r.errors {
		fmt.Printf("error x%d: %s\n", v, k)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = crand.Read(b)
	return hex.EncodeToString(b)
}
