package api_test

import (
	"bufio"
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"storekeep/api/apitest"
)

// scrape reads /metrics into series -> value ("name{labels}" as printed).
func scrape(t *testing.T, h *apitest.Harness) map[string]float64 {
	t.Helper()
	res := h.Do(apitest.Request{Method: http.MethodGet, Path: "/metrics"}).Expect(t, http.StatusOK)
	out := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(res.Body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// The operational metrics move with what happens: a placed and a declined
// checkout, the reservation each made and the one the decline released.
// Counters are process-wide (other tests run checkouts in parallel), so
// the test checks that each grew by at least what this test did.
func TestOperationalMetrics(t *testing.T) {
	t.Parallel()
	s := newShop(t, 5, 5)
	before := scrape(t, s.h)
	p := s.guestWith(s.small, 1)
	p.ready()
	p.placeOrder("op-metrics-1")
	q := s.guestWith(s.large, 1)
	q.ready()
	q.checkout("op-metrics-2", "tok_declined").ExpectProblem(t, http.StatusPaymentRequired, "payment_declined")
	after := scrape(t, s.h)
	for series, grew := range map[string]float64{
		`storekeep_checkouts_total{outcome="placed"}`:                                       1,
		`storekeep_checkouts_total{outcome="payment_declined"}`:                             1,
		`storekeep_reservations_total{operation="reserve",outcome="ok"}`:                    2,
		`storekeep_reservations_total{operation="release",outcome="ok"}`:                    1,
		`storekeep_http_requests_total{method="POST",route="/v1/store/carts",status="201"}`: 2,
	} {
		if after[series]-before[series] < grew {
			t.Errorf("%s went from %v to %v, want +%v at least", series, before[series], after[series], grew)
		}
	}
	for _, series := range []string{
		`storekeep_jobs{state="available"}`, `storekeep_jobs{state="retryable"}`, `storekeep_jobs{state="discarded"}`,
		`go_sql_open_connections{db_name="storekeep"}`, `go_sql_max_open_connections{db_name="storekeep"}`,
		`storekeep_websockets_open`,
	} {
		if _, ok := after[series]; !ok {
			t.Errorf("/metrics has no %s", series)
		}
	}
	if after[`go_sql_open_connections{db_name="storekeep"}`] < 1 {
		t.Error("the pool reports no open connection while serving")
	}
}

// TestOpenSocketsGauge: storekeep_websockets_open counts the node's open
// WebSockets (process-wide, so at least the three this test holds).
func TestOpenSocketsGauge(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	agent := h.NewStaff(t, "support")
	for range 3 {
		c := wsDial(t, h, "/v1/admin/support/ws", bearerHeader(agent.AccessToken))
		c.nextOf("ready")
	}
	if got := scrape(t, h)["storekeep_websockets_open"]; got < 3 {
		t.Errorf("storekeep_websockets_open = %v with three sockets open, want at least 3", got)
	}
}
