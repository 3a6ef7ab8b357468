package admin_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/platform/events"
	"storekeep/internal/webhooks"
)

// hookClient drives the webhook routes as an admin, on a server whose
// webhooks may reach loopback receivers over http and retry at once (three
// retries, no waiting), unless the test's options say otherwise.
type hookClient struct {
	t     *testing.T
	h     *apitest.Harness
	admin string
}

func newHookClient(t *testing.T, opts ...func(*api.WebhookOptions)) hookClient {
	t.Helper()
	h := apitest.New(t, func(o *api.Options) {
		o.Webhooks = api.WebhookOptions{AllowPrivate: true, AllowHTTP: true,
			RetryDelays: []time.Duration{0, 0, 0}, Resolver: testDNS}
		for _, f := range opts {
			f(&o.Webhooks)
		}
	})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = h.Server.Jobs.Stop(ctx)
	})
	return hookClient{t: t, h: h, admin: h.StaffToken(t, "admin")}
}

// testDNS answers the tests' look-ups: the example hosts stand for public
// addresses (no test sends them anything), and nothing reaches real DNS.
var testDNS = fakeDNS{"hooks.example.com": {"93.184.216.34"}, "erp.example.com": {"93.184.216.34"},
	"other.example.com": {"93.184.216.34"}, "a.example.com": {"93.184.216.34"}}

// fakeDNS resolves from a table; other names do not exist.
type fakeDNS map[string][]string

func (f fakeDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	ips, ok := f[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	out := make([]netip.Addr, len(ips))
	for i, s := range ips {
		out[i] = netip.MustParseAddr(s)
	}
	return out, nil
}

func (k hookClient) do(method, path string, body any) *apitest.Response {
	k.t.Helper()
	return k.h.Do(apitest.Request{Method: method, Path: path, Token: k.admin, Body: body})
}

func (k hookClient) create(url string, types ...string) webhooks.WebhookWithSecret {
	k.t.Helper()
	var w webhooks.WebhookWithSecret
	k.do(http.MethodPost, "/v1/admin/webhooks", map[string]any{"url": url, "event_types": types}).
		Expect(k.t, http.StatusCreated).JSON(k.t, &w)
	return w
}

func (k hookClient) get(id string) webhooks.Webhook {
	k.t.Helper()
	var w webhooks.Webhook
	k.do(http.MethodGet, "/v1/admin/webhooks/"+id, nil).Expect(k.t, http.StatusOK).JSON(k.t, &w)
	return w
}

// deliveries is a webhook's whole delivery log, oldest first.
func (k hookClient) deliveries(id string) []webhooks.Delivery {
	k.t.Helper()
	var out []webhooks.Delivery
	path := "/v1/admin/webhooks/" + id + "/deliveries?limit=100"
	for {
		var l struct {
			Data       []webhooks.Delivery `json:"data"`
			NextCursor *string             `json:"next_cursor"`
		}
		k.do(http.MethodGet, path, nil).Expect(k.t, http.StatusOK).JSON(k.t, &l)
		out = append(out, l.Data...)
		if l.NextCursor == nil {
			break
		}
		path = "/v1/admin/webhooks/" + id + "/deliveries?limit=100&cursor=" + *l.NextCursor
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// record records an event as a domain does, in its own transaction.
func (k hookClient) record(typ, subject string, payload any) events.Event {
	k.t.Helper()
	if err := events.Record(k.t.Context(), k.h.DB, typ, subject, payload); err != nil {
		k.t.Fatal(err)
	}
	all, err := events.List(k.t.Context(), k.h.DB, events.Filter{Type: typ, SubjectID: subject})
	if err != nil || len(all) == 0 {
		k.t.Fatalf("event not recorded: %v", err)
	}
	return all[len(all)-1]
}

// drain dispatches every event and works every job that is due.
func (k hookClient) drain() {
	k.t.Helper()
	ctx, cancel := context.WithTimeout(k.t.Context(), 60*time.Second)
	defer cancel()
	if err := k.h.Server.Jobs.Drain(ctx); err != nil {
		k.t.Fatal(err)
	}
}

// hit is one request a receiver got.
type hit struct {
	Header http.Header
	Body   []byte
}

// ID is the request's webhook-id.
func (h hit) ID() string { return h.Header.Get("webhook-id") }

// receiver is a loopback endpoint: answer decides each request's status
// from the request and how many earlier requests had the same webhook-id.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	hits   []hit
	answer func(h hit, seenBefore int) int
}

func newReceiver(t *testing.T, answer func(h hit, seenBefore int) int) *receiver {
	t.Helper()
	rc := &receiver{answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hh := hit{Header: r.Header.Clone(), Body: b}
		rc.mu.Lock()
		before := 0
		for _, p := range rc.hits {
			if p.ID() == hh.ID() {
				before++
			}
		}
		rc.hits = append(rc.hits, hh)
		status := rc.answer(hh, before)
		rc.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte("received"))
	}))
	t.Cleanup(rc.Close)
	return rc
}

func always(status int) func(hit, int) int { return func(hit, int) int { return status } }

func (rc *receiver) got() []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hit(nil), rc.hits...)
}

// verify checks h with the Standard Webhooks Go library and secret.
func verify(t *testing.T, secret string, h hit) error {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	return wh.Verify(h.Body, h.Header)
}

// statuses lists the attempts as "type#attempt:status", in the order given.
func statuses(ds []webhooks.Delivery) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.EventType + "#" + strconv.Itoa(d.Attempt) + ":" + d.Status
	}
	return strings.Join(parts, " ")
}
