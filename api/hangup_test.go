package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/logtest"
)

// metricValues reads every sample of a metric from /metrics, keyed by its
// label set as written ({method="POST",route="...",status="499"}).
func metricValues(t *testing.T, h *apitest.Harness, name string) map[string]float64 {
	t.Helper()
	res := h.Do(apitest.Request{Method: http.MethodGet, Path: "/metrics"}).Expect(t, http.StatusOK)
	out := map[string]float64{}
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `(\{[^}]*\})? (\S+)$`)
	for _, m := range re.FindAllStringSubmatch(string(res.Body), -1) {
		v, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			t.Fatalf("%s%s: %v", name, m[1], err)
		}
		out[m[1]] = v
	}
	return out
}

// waitInFlight waits until n requests (besides the /metrics scrape that
// asks) are being served.
func waitInFlight(t *testing.T, h *apitest.Harness, n int) {
	t.Helper()
	for range 1000 {
		if metricValues(t, h, "storekeep_http_requests_in_flight")[""] == float64(n+1) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("never saw %d requests in flight", n)
}

// waitLockWaiters waits, on PostgreSQL, until n sessions wait for a lock:
// the held requests are then inside their transactions. (SQLite shows no
// such thing; its writers queue on the write lock or for a connection.)
func waitLockWaiters(t *testing.T, d *db.DB, n int) {
	t.Helper()
	if d.Dialect() != db.Postgres {
		return
	}
	for range 1000 {
		var waiting int
		if err := d.SQL().QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("never saw %d sessions waiting for a lock", n)
}

// waitInFlightAtMost waits until at most n requests (besides the scrape)
// are being served.
func waitInFlightAtMost(t *testing.T, h *apitest.Harness, n int) {
	t.Helper()
	for range 1000 {
		if metricValues(t, h, "storekeep_http_requests_in_flight")[""] <= float64(n+1) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("more than %d requests stayed in flight", n)
}

// noErrorLines fails for every line logged at error: a client hanging up
// is not a server error. (Warn is fine: a held request is slow.)
func noErrorLines(t *testing.T, rec *logtest.Recorder) {
	t.Helper()
	for _, r := range rec.Where(func(r logtest.Record) bool { return r.Level >= slog.LevelError }) {
		t.Errorf("logged at %s: %s %v", r.Level, r.Message, r.Attrs)
	}
}

// holdWrites holds the requests that need the database until release is
// called. On PostgreSQL it locks the given carts' rows and the variant's
// stock rows in an open transaction, so writers wait inside their own
// transactions. On SQLite it takes every pooled connection, so requests
// wait for one (holding its write lock instead would turn long waits into
// SQLITE_BUSY after the busy timeout, a timing the test cannot promise).
func holdWrites(t *testing.T, d *db.DB, cartIDs []string, variant string) (release func()) {
	t.Helper()
	ctx := context.Background()
	var conns []*sql.Conn
	for range max(1, d.SQL().Stats().MaxOpenConnections) {
		conn, err := d.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		if d.Dialect() == db.Postgres {
			break
		}
	}
	exec := func(q string, args ...any) {
		if _, err := conns[0].ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if d.Dialect() == db.Postgres {
		exec("BEGIN")
		ph := make([]string, len(cartIDs))
		args := make([]any, len(cartIDs))
		for i, id := range cartIDs {
			ph[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		exec("SELECT id FROM carts WHERE id IN ("+strings.Join(ph, ",")+") FOR UPDATE", args...)
		exec("SELECT variant_id FROM stock_levels WHERE variant_id = $1 FOR UPDATE", variant)
	}
	return func() {
		if d.Dialect() == db.Postgres {
			exec("ROLLBACK")
		}
		for _, c := range conns {
			if err := c.Close(); err != nil {
				t.Error(err)
			}
		}
	}
}

// hangUp is a client request that is abandoned mid-flight.
type hangUp struct {
	method, path, key, token string
	body                     any
}

func (r hangUp) send(ctx context.Context, base string) (*http.Response, error) {
	raw, _ := json.Marshal(r.body)
	req, err := http.NewRequestWithContext(ctx, r.method, base+r.path, bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if r.key != "" {
		req.Header.Set("Idempotency-Key", r.key)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	return http.DefaultClient.Do(req)
}

// statusCounts sums /metrics' request counter per route and status.
func statusCounts(t *testing.T, h *apitest.Harness) map[[2]string]float64 {
	t.Helper()
	out := map[[2]string]float64{}
	re := regexp.MustCompile(`route="([^"]*)",status="(\d+)"`)
	for labels, n := range metricValues(t, h, "storekeep_http_requests_total") {
		if m := re.FindStringSubmatch(labels); m != nil {
			out[[2]string{m[1], m[2]}] += n
		}
	}
	return out
}

// TestHangUpsInsideTransactionsAre499AndHarmless: clients hang up while
// their checkouts, cart changes and idempotent stock adjustments wait for
// the database (inside their transactions on PostgreSQL, where the test
// holds the rows they need; for a connection on SQLite):
//   - cart changes and adjustments fail and are recorded as 499, not as
//     server errors, in the access log and in /metrics; nothing is logged
//     at error;
//   - checkouts run to their end anyway (201): their answer is stored for
//     the key, and the retry gets it;
//   - nothing is left broken: reads on every pooled connection at once, the
//     same cart changes again, the adjustments retried with their
//     Idempotency-Keys (a 499 is not stored as a key's answer, and a key
//     is not left claimed: each runs once, now) and a new checkout all
//     succeed.
func TestHangUpsInsideTransactionsAre499AndHarmless(t *testing.T) {
	t.Parallel()
	rec := logtest.New(slog.LevelInfo)
	s := newShop(t, 100, 100, func(o *api.Options) { o.Log = rec.Logger() })
	const perKind = 5
	var calls []hangUp
	var checkouts, changes []*shopper
	var cartIDs []string
	for i := range perKind {
		p := s.guestWith(s.small, 1)
		p.ready()
		checkouts = append(checkouts, p)
		calls = append(calls, hangUp{http.MethodPost, "/v1/store/carts/" + p.cart.ID + "/checkout",
			fmt.Sprintf("hangup-%d", i), "",
			map[string]any{"payment": map[string]any{"provider": "test", "method": "card", "token": "tok_visa"}}})
		q := s.guestWith(s.small, 1)
		changes = append(changes, q)
		calls = append(calls, hangUp{http.MethodPost, "/v1/store/carts/" + q.cart.ID + "/items", "", "",
			map[string]any{"variant_id": s.large, "quantity": 1}})
		calls = append(calls, hangUp{http.MethodPost, "/v1/admin/inventory/adjustments", fmt.Sprintf("adjust-%d", i),
			s.manager, adjustment(s, i)})
		cartIDs = append(cartIDs, p.cart.ID, q.cart.ID)
	}
	largeBefore := s.available(s.large)
	before := statusCounts(t, s.h)
	rec.Reset()

	release := holdWrites(t, s.h.DB, cartIDs, s.large)
	ctx, hangup := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, c := range calls {
		wg.Go(func() {
			if res, err := c.send(ctx, s.h.URL); err == nil {
				res.Body.Close()
				t.Errorf("%s %s answered %d before the client hung up", c.method, c.path, res.StatusCode)
			}
		})
	}
	waitInFlight(t, s.h, len(calls))
	waitLockWaiters(t, s.h.DB, len(calls))
	hangup()
	wg.Wait()
	// The held requests notice the hang-up and fail while still held,
	// except the checkouts, which carry on, and, on SQLite, the adjustments
	// waiting for a connection to claim their Idempotency-Key: the claim
	// runs to its end (then they fail). On PostgreSQL the claims are not
	// held.
	stuck := perKind
	if s.h.DB.Dialect() != db.Postgres {
		stuck += perKind
	}
	waitInFlightAtMost(t, s.h, stuck)
	release()
	waitInFlight(t, s.h, 0)

	counts := statusCounts(t, s.h)
	for k, n := range before {
		counts[k] -= n
	}
	for k, n := range counts {
		if k[1] >= "500" {
			t.Errorf("%s %s: %v server errors", k[0], k[1], n)
		}
	}
	if n := counts[[2]string{"/v1/store/carts/:id/checkout", "201"}]; n != perKind {
		t.Errorf("checkouts answered 201 = %v, want %d (they run to their end):\n%v", n, perKind, counts)
	}
	if n := counts[[2]string{"/v1/store/carts/:id/items", "499"}]; n != perKind {
		t.Errorf("cart changes answered 499 = %v, want %d:\n%v", n, perKind, counts)
	}
	// On SQLite an adjustment let through after its claim, before the
	// server saw its client leave, finishes (a 201 nobody reads).
	adjusted := counts[[2]string{"/v1/admin/inventory/adjustments", "201"}]
	if n := counts[[2]string{"/v1/admin/inventory/adjustments", "499"}]; n+adjusted != perKind ||
		(s.h.DB.Dialect() == db.Postgres && adjusted != 0) {
		t.Errorf("adjustments answered 499 = %v and 201 = %v, want %d in all (all 499 on PostgreSQL):\n%v",
			n, adjusted, perKind, counts)
	}
	hungUp := float64(2*perKind) - adjusted
	access := rec.Where(func(r logtest.Record) bool { return r.Message == "request" && r.Attrs["status"] == "499" })
	if float64(len(access)) != hungUp {
		t.Errorf("access lines with status 499 = %d, want %v as in /metrics", len(access), hungUp)
	}
	noErrorLines(t, rec)

	// Nothing is broken.
	var after sync.WaitGroup
	for range 30 {
		after.Go(func() {
			s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?limit=5"}).Expect(t, http.StatusOK)
		})
	}
	after.Wait()
	for i, p := range checkouts {
		res := p.checkout(fmt.Sprintf("hangup-%d", i), "tok_visa").Expect(t, http.StatusCreated)
		if res.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("checkout %d retried: not the stored answer of the hung-up one", i)
		}
		changes[i].add(s.large, 1)
		s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/inventory/adjustments", Token: s.manager,
			Header: map[string]string{"Idempotency-Key": fmt.Sprintf("adjust-%d", i)}, Body: adjustment(s, i)}).
			Expect(t, http.StatusCreated)
	}
	if got := s.available(s.large); got != largeBefore+perKind {
		t.Errorf("large available = %d, want %d: each keyed adjustment applied exactly once", got, largeBefore+perKind)
	}
	fresh := s.guestWith(s.small, 2)
	fresh.ready()
	fresh.placeOrder("after-hangups")
	noErrorLines(t, rec)
}

// adjustment is stock adjustment i: one more unit of the large size.
func adjustment(s *shop, i int) map[string]any {
	return map[string]any{"variant_id": s.large, "warehouse_id": s.warehouse, "delta": 1,
		"reason": fmt.Sprintf("recount %d", i)}
}

// TestHangUpsAtRandomMomentsLoseNothing: checkouts whose clients hang up at
// random moments (before, during and after the server's work, as a load
// tool's closing connections do) count no 5xx and log no error; each
// retried with its Idempotency-Key gets its order, with its payment
// authorised and its stock held: a hang-up never leaves an order without
// its answer, or voids the payment of an order that exists.
func TestHangUpsAtRandomMomentsLoseNothing(t *testing.T) {
	t.Parallel()
	rec := logtest.New(slog.LevelInfo)
	const shoppers = 24
	s := newShop(t, shoppers, 0, func(o *api.Options) { o.Log = rec.Logger() })
	var ps []*shopper
	for range shoppers {
		p := s.guestWith(s.small, 1)
		p.ready()
		ps = append(ps, p)
	}
	// How long one checkout takes here; hang-ups are spread over twice that.
	start := time.Now()
	probe := s.guestWith(s.small, 1)
	probe.ready()
	probe.checkout("probe", "tok_declined").ExpectProblem(t, http.StatusPaymentRequired, "payment_declined")
	span := 2 * time.Since(start)
	rec.Reset()

	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), span*time.Duration(i)/shoppers)
			defer cancel()
			c := hangUp{http.MethodPost, "/v1/store/carts/" + p.cart.ID + "/checkout", fmt.Sprintf("random-%d", i), "",
				map[string]any{"payment": map[string]any{"provider": "test", "method": "card", "token": "tok_visa"}}}
			if res, err := c.send(ctx, s.h.URL); err == nil {
				res.Body.Close() // answered in time: fine too
			}
		})
	}
	wg.Wait()
	waitInFlight(t, s.h, 0)
	for labels, n := range metricValues(t, s.h, "storekeep_http_requests_total") {
		if strings.Contains(labels, `status="5`) {
			t.Errorf("%s %v: a hang-up counted as a server error", labels, n)
		}
	}
	noErrorLines(t, rec)
	for i, p := range ps {
		o := p.placeOrder(fmt.Sprintf("random-%d", i))
		if o.PaymentStatus != "authorized" {
			t.Errorf("order %s of a hung-up checkout: payment %s", o.ID, o.PaymentStatus)
		}
	}
	if got := s.available(s.small); got != 0 {
		t.Errorf("available = %d, want 0: every unit held by one of the %d orders", got, shoppers)
	}
}

// TestHangUpDuringCommitStillPlacesTheOrder: a client hangs up while its
// checkout's final transaction is committing (held at COMMIT by a deferred
// trigger waiting on a lock the test holds). A checkout that gave up then
// would have pgx cancel the COMMIT, or, once the commit is past its point
// of no return, lose its outcome: the order written, but its payment voided
// and its stock freed by the failure path. The checkout carries on
// instead: the order is placed, its answer stored for the key, and the
// retry gets it. PostgreSQL only: SQLite does not interrupt a commit.
func TestHangUpDuringCommitStillPlacesTheOrder(t *testing.T) {
	t.Parallel()
	rec := logtest.New(slog.LevelInfo)
	s := newShop(t, 10, 0, func(o *api.Options) { o.Log = rec.Logger() })
	if s.h.DB.Dialect() != db.Postgres {
		t.Skip("needs PostgreSQL: a COMMIT held by a deferred trigger")
	}
	p := s.guestWith(s.small, 1)
	p.ready()
	ctx := context.Background()
	for _, q := range []string{
		`CREATE FUNCTION test_hold_commit() RETURNS trigger LANGUAGE plpgsql AS
			'BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN NULL; END'`,
		`CREATE CONSTRAINT TRIGGER test_hold_commit AFTER INSERT ON orders
			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_hold_commit()`,
	} {
		if _, err := s.h.DB.SQL().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	lock, err := s.h.DB.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, `SELECT pg_advisory_lock(4242)`); err != nil {
		t.Fatal(err)
	}
	rec.Reset()

	cctx, hangup := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c := hangUp{http.MethodPost, "/v1/store/carts/" + p.cart.ID + "/checkout", "commit-hangup", "",
			map[string]any{"payment": map[string]any{"provider": "test", "method": "card", "token": "tok_visa"}}}
		if res, err := c.send(cctx, s.h.URL); err == nil {
			res.Body.Close()
			t.Errorf("checkout answered %d before the client hung up", res.StatusCode)
		}
	}()
	waitLockWaiters(t, s.h.DB, 1) // the checkout's COMMIT waits for the test's lock
	hangup()
	<-done
	// A checkout that gives up on the hang-up does so at once, and logs it;
	// one that carries on waits for the lock and logs nothing. (If the
	// machine is too slow to show the former within this wait, the test
	// passes without having proved anything: it never fails wrongly.)
	for range 200 {
		if len(rec.Where(func(r logtest.Record) bool { return r.Message == "client closed request" })) > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := lock.ExecContext(ctx, `SELECT pg_advisory_unlock(4242)`); err != nil {
		t.Fatal(err)
	}
	waitInFlight(t, s.h, 0)
	if n := statusCounts(t, s.h)[[2]string{"/v1/store/carts/:id/checkout", "201"}]; n != 1 {
		t.Errorf("checkouts answered 201 = %v, want 1", n)
	}

	res := p.checkout("commit-hangup", "tok_visa").Expect(t, http.StatusCreated)
	var out struct {
		Order struct {
			PaymentStatus string `json:"payment_status"`
		} `json:"order"`
	}
	res.JSON(t, &out)
	if res.Header.Get("Idempotent-Replayed") != "true" || out.Order.PaymentStatus != "authorized" {
		t.Errorf("retry: replayed %q, payment %q; want the stored answer, the payment authorised",
			res.Header.Get("Idempotent-Replayed"), out.Order.PaymentStatus)
	}
	if got := s.available(s.small); got != 9 {
		t.Errorf("available = %d, want 9: the order's unit held", got)
	}
	if n := s.h.RowCounts(t, "orders")["orders"]; n != 1 {
		t.Errorf("orders = %d, want 1", n)
	}
	noErrorLines(t, rec)
}
