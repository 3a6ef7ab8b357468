package webhooks

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// admin is the actor of the service tests.
var admin = auth.Actor{Kind: auth.Staff, ID: "stf_test", Role: auth.RoleAdmin}

// rig is a service over a fresh database, with its jobs and the events
// dispatcher, as the server wires them.
type rig struct {
	t    *testing.T
	d    *db.DB
	svc  *Service
	jobs *jobs.Runner
	x    *events.Dispatcher
}

func newRig(t *testing.T, opts ...Option) *rig {
	t.Helper()
	d := dbtest.New(t)
	r := jobs.New(d, jobs.Options{PollInterval: 20 * time.Millisecond})
	opts = append([]Option{WithGuard(Guard{AllowPrivate: true, AllowHTTP: true})}, opts...)
	svc, err := NewService(d, r, []byte("rig-server-secret-rig-server-secret"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	RegisterJobs(r, svc)
	x := events.NewDispatcher(d)
	x.Register(r)
	x.Subscribe("webhooks", svc.Consume)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
	return &rig{t: t, d: d, svc: svc, jobs: r, x: x}
}

// drain runs the dispatcher and the jobs until nothing is due.
func (g *rig) drain() {
	g.t.Helper()
	ctx, cancel := context.WithTimeout(g.t.Context(), 30*time.Second)
	defer cancel()
	if err := g.jobs.Drain(ctx); err != nil {
		g.t.Fatal(err)
	}
}

// record records an event as a domain would.
func (g *rig) record(typ, subject string, payload any) {
	g.t.Helper()
	if err := events.Record(g.t.Context(), g.d, typ, subject, payload); err != nil {
		g.t.Fatal(err)
	}
}

// create registers a webhook on url for types.
func (g *rig) create(url string, types ...string) WebhookWithSecret {
	g.t.Helper()
	w, err := g.svc.Create(g.t.Context(), admin, WebhookInput{URL: url, EventTypes: types})
	if err != nil {
		g.t.Fatal(err)
	}
	return w
}

// webhook reads a webhook back.
func (g *rig) webhook(id string) Webhook {
	g.t.Helper()
	w, err := g.svc.Get(g.t.Context(), admin, id)
	if err != nil {
		g.t.Fatal(err)
	}
	return w
}

// seen is one request a receiver got.
type seen struct {
	Header http.Header
	Body   []byte
}

// receiver is a loopback endpoint answering with the status answer returns
// for the n-th request (from 1), recording every request.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []seen
	answer func(n int, r seen) int
}

func newReceiver(t *testing.T, answer func(n int, r seen) int) *receiver {
	t.Helper()
	rc := &receiver{answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s := seen{Header: r.Header.Clone(), Body: b}
		rc.mu.Lock()
		rc.got = append(rc.got, s)
		n := len(rc.got)
		rc.mu.Unlock()
		w.WriteHeader(rc.answer(n, s))
		_, _ = w.Write([]byte("received"))
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []seen {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]seen(nil), rc.got...)
}

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
