package api_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/support"
)

// secondNode opens another pool on url, as another API process would.
func secondNode(t *testing.T, url string, opts ...apitest.Option) *apitest.Harness {
	t.Helper()
	d, err := db.Open(t.Context(), url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return apitest.NewOn(t, d, opts...)
}

// TestSupportSocketAcrossNodes: two servers over one PostgreSQL, each with
// its own pool and LISTEN connection. A message posted on node A reaches a
// customer socket and an inbox socket held on node B, and one the customer
// sends over B's socket reaches A's inbox.
func TestSupportSocketAcrossNodes(t *testing.T) {
	t.Parallel()
	if !dbtest.Postgres() {
		t.Skip("two nodes need PostgreSQL (TEST_DATABASE_URL)")
	}
	d, url := dbtest.NewWithURL(t)
	a := apitest.NewOn(t, d)
	b := secondNode(t, url)
	onA := liveSupport(t, a)
	cus := a.NewCustomer(t)
	agent := a.NewStaff(t, "support")
	conv, _, _, err := onA.Start(t.Context(), support.StartInput{Message: "hello from A", CustomerID: cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	sockB := wsDial(t, b, convPath(conv.ID), bearerHeader(cus.AccessToken))
	sockB.ready()
	inboxB := wsDial(t, b, "/v1/admin/support/ws", bearerHeader(agent.AccessToken))
	inboxB.nextOf("ready")
	inboxA := wsDial(t, a, "/v1/admin/support/ws", bearerHeader(agent.AccessToken))
	inboxA.nextOf("ready")

	if _, err := onA.PostAgent(t.Context(), agent.ID, conv.ID, "answered on A", false); err != nil {
		t.Fatal(err)
	}
	if f := sockB.nextOf("message"); f.Message.Body != "answered on A" {
		t.Errorf("B's customer socket got %q", f.Message.Body)
	}
	if f := inboxB.nextOf("message"); f.Message.Body != "answered on A" {
		t.Errorf("B's inbox got %q", f.Message.Body)
	}
	sockB.send(map[string]string{"type": "message", "body": "sent through B"})
	for _, want := range []string{"answered on A", "sent through B"} {
		if f := inboxA.nextOf("message"); f.Message.Body != want {
			t.Errorf("A's inbox got %q, want %q", f.Message.Body, want)
		}
	}
}

// TestSupportSocketListenerKilled: node B's LISTEN connection is killed
// (pg_terminate_backend) and held down while node A posts a message, whose
// notification B therefore never hears; once B listens again it resyncs
// and its customer socket gets the message, once, and later ones live; its
// inbox socket gets it too.
func TestSupportSocketListenerKilled(t *testing.T) {
	t.Parallel()
	if !dbtest.Postgres() {
		t.Skip("LISTEN needs PostgreSQL (TEST_DATABASE_URL)")
	}
	d, url := dbtest.NewWithURL(t)
	a := apitest.NewOn(t, d)
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	b := secondNode(t, url, func(o *api.Options) {
		o.LiveBus.BeforeReconnect = func(ctx context.Context) {
			once.Do(func() { close(held) })
			select {
			case <-release:
			case <-ctx.Done():
			}
		}
	})
	onA := liveSupport(t, a)
	cus := a.NewCustomer(t)
	agent := a.NewStaff(t, "support")
	conv, _, _, err := onA.Start(t.Context(), support.StartInput{Message: "hello", CustomerID: cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	sock := wsDial(t, b, convPath(conv.ID), bearerHeader(cus.AccessToken))
	sock.ready()
	inbox := wsDial(t, b, "/v1/admin/support/ws", bearerHeader(agent.AccessToken))
	inbox.nextOf("ready")

	// Only B listens so far (A has no socket), so this kills B's.
	var killed int64
	if err := d.Conn(t.Context()).Raw(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = ? AND datname = current_database()`, db.ListenApplicationName).
		Scan(&killed).Error; err != nil || killed != 1 {
		t.Fatalf("killed %d listening connections (%v), want 1", killed, err)
	}
	<-held
	if _, err := onA.PostAgent(t.Context(), agent.ID, conv.ID, "while B was deaf", false); err != nil {
		t.Fatal(err)
	}
	close(release)
	if f := sock.nextOf("message"); f.Message.Body != "while B was deaf" {
		t.Fatalf("after the resync B's socket got %q", f.Message.Body)
	}
	// The inbox, which has no cursor, gets what changed around the outage.
	for {
		if f := inbox.nextOf("message"); f.Message.Body == "while B was deaf" {
			break
		}
	}
	if _, err := onA.PostAgent(t.Context(), agent.ID, conv.ID, "after", false); err != nil {
		t.Fatal(err)
	}
	if f := sock.nextOf("message"); f.Message.Body != "after" {
		t.Errorf("next message %q, want after (nothing twice)", f.Message.Body)
	}
	if n := b.Server.Live.Bus().Reconnects(); n != 1 {
		t.Errorf("B reconnected %d times, want 1", n)
	}
}
