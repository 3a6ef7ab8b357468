package fault

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"storekeep/internal/platform/dbtest"
)

// TestWebhookDeliverySurvivesKills: a receiver fails the first three
// attempts of each event; the server is killed with SIGKILL after the first
// failed attempt and again after the second, each time restarted a few
// seconds later (the next attempt fell due while it was down). The delivery
// still completes: four attempts, all with the same webhook-id and body,
// all verifying with the Standard Webhooks library, the last answered 2xx,
// and the log shows them. On PostgreSQL when TEST_DATABASE_URL is set, else
// on a SQLite file.
func TestWebhookDeliverySurvivesKills(t *testing.T) {
	d, url := dbtest.NewWithURL(t)
	if !dbtest.Postgres() {
		_ = d.Close() // the server process owns the SQLite file from here
	}
	type hit struct {
		header http.Header
		body   []byte
	}
	var mu sync.Mutex
	var hits []hit
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		hits = append(hits, hit{header: r.Header.Clone(), body: b})
		n := len(hits)
		mu.Unlock()
		if n <= 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer rc.Close()
	hitCount := func() int { mu.Lock(); defer mu.Unlock(); return len(hits) }

	n := newNode(t, url, map[string]string{
		// The receiver is on loopback, over http.
		"STOREKEEP_WEBHOOKS_ALLOW_PRIVATE": "true",
		"STOREKEEP_WEBHOOKS_ALLOW_HTTP":    "true",
		// Retries after 3 s rather than 5 s, 5 min, ...: same code, shorter
		// wait (the last one at once: the kills are over by then).
		"STOREKEEP_WEBHOOKS_RETRY_SCHEDULE": "3s,3s,0s",
	})
	n.start()
	c := newClient(n.URL())
	admin := staffToken(t, n, c)
	var hook struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	c.must(t, http.StatusCreated, http.MethodPost, "/v1/admin/webhooks", admin,
		map[string]any{"url": rc.URL + "/hook", "event_types": []string{"order.created"}}, &hook)
	variant, _, shipping := seedShop(t, c, admin, 5)
	cart, err := readyCart(c, variant, shipping, "hooked@example.com", 1)
	if err != nil {
		t.Fatal(err)
	}
	a := c.checkout(cart, "webhook-fault-"+cart)
	if a.Err != nil || a.Status != http.StatusCreated {
		t.Fatalf("checkout: %v", a)
	}
	orderID := a.orderID()

	type attempt struct {
		Attempt       int        `json:"attempt"`
		Status        string     `json:"status"`
		EventID       string     `json:"event_id"`
		NextAttemptAt *time.Time `json:"next_attempt_at"`
	}
	log := func() []attempt {
		var l struct {
			Data []attempt `json:"data"`
		}
		res := c.do(http.MethodGet, "/v1/admin/webhooks/"+hook.ID+"/deliveries", admin, nil, nil)
		if res.Err == nil && res.Status == http.StatusOK {
			_ = json.Unmarshal(res.Body, &l)
		}
		return l.Data // newest first
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for kill := 1; kill <= 2; kill++ {
		// Wait until attempt `kill` failed and attempt kill+1 is recorded
		// (pending): the server dies between two attempts.
		if !waitUntil(ctx, func() bool {
			l := log()
			return len(l) == kill+1 && l[0].Status == "pending" && l[1].Status == "failed"
		}) {
			t.Fatalf("attempt %d never recorded; log %+v; server log:\n%s", kill, log(), n.tail())
		}
		n.kill()
		time.Sleep(4 * time.Second) // the next attempt falls due while no server runs
		if got := hitCount(); got != kill {
			t.Fatalf("receiver got %d requests before restart %d, want %d", got, kill, kill)
		}
		n.start()
	}
	if !waitUntil(ctx, func() bool { l := log(); return len(l) == 4 && l[0].Status == "succeeded" }) {
		t.Fatalf("delivery not completed after the restarts; log %+v; server log:\n%s", log(), n.tail())
	}

	mu.Lock()
	defer mu.Unlock()
	if len(hits) != 4 {
		t.Fatalf("receiver got %d requests, want 4", len(hits))
	}
	wh, err := standardwebhooks.NewWebhook(hook.Secret)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Type string `json:"type"`
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	for i, h := range hits {
		if err := wh.Verify(h.body, h.header); err != nil {
			t.Errorf("attempt %d does not verify: %v", i+1, err)
		}
		if h.header.Get("webhook-id") != hits[0].header.Get("webhook-id") || string(h.body) != string(hits[0].body) {
			t.Errorf("attempt %d has another webhook-id or body", i+1)
		}
	}
	if err := json.Unmarshal(hits[0].body, &body); err != nil || body.Type != "order.created" || body.Data.ID != orderID {
		t.Errorf("body %s, want order.created of %s", hits[0].body, orderID)
	}
	l := log()
	for i, want := range []string{"succeeded", "failed", "failed", "failed"} {
		if l[i].Status != want || l[i].Attempt != 4-i || l[i].EventID != hits[0].header.Get("webhook-id") {
			t.Errorf("log entry %d = %+v, want attempt %d %s", i, l[i], 4-i, want)
		}
	}
}
