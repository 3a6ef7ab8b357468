package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"storekeep/api"
	"storekeep/api/apitest"
)

// TestMetricsAreLocalOnlyByDefault: without STOREKEEP_METRICS_TOKEN the
// server answers /metrics to a scrape from this host, and refuses one from
// elsewhere or through a reverse proxy on this host.
func TestMetricsAreLocalOnlyByDefault(t *testing.T) {
	t.Parallel()
	h := apitest.New(t) // the test server's peer is 127.0.0.1
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/healthz"}).Expect(t, http.StatusOK)
	res := h.Do(apitest.Request{Method: http.MethodGet, Path: "/metrics"}).Expect(t, http.StatusOK)
	if !strings.Contains(string(res.Body), "storekeep_http_requests_total") {
		t.Errorf("/metrics body lacks the request counter:\n%.300s", res.Body)
	}
	for _, hdr := range []string{"X-Forwarded-For", "Forwarded", "X-Real-IP"} {
		h.Do(apitest.Request{Method: http.MethodGet, Path: "/metrics", Header: map[string]string{hdr: "for=192.0.2.1"}}).
			ExpectProblem(t, http.StatusForbidden, "forbidden")
	}
	// A remote peer, through the whole middleware stack.
	r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	r.RemoteAddr = "192.0.2.1:4000"
	w := httptest.NewRecorder()
	h.Server.Echo.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "storekeep_http") {
		t.Errorf("remote scrape: %d %.200s", w.Code, w.Body)
	}
	if p, ok := h.Server.Router.PolicyFor(http.MethodGet, "/metrics"); !ok || p.Name != "metrics" {
		t.Errorf("GET /metrics policy = %+v, %v", p, ok)
	}
}

// TestMetricsTokenIsRequiredWhenSet: with a token, every scrape needs it,
// from loopback too; the right one works from anywhere.
func TestMetricsTokenIsRequiredWhenSet(t *testing.T) {
	t.Parallel()
	const token = "prometheus-0123456789abcdef"
	h := apitest.New(t, func(o *api.Options) { o.MetricsToken = token })
	res := h.Do(apitest.Request{Method: http.MethodGet, Path: "/metrics"})
	res.ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
	if got := res.Header.Get("WWW-Authenticate"); got != `Bearer realm="metrics"` {
		t.Errorf("WWW-Authenticate = %q", got)
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/metrics", Token: "not-" + token}).
		ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/metrics", Token: token}).Expect(t, http.StatusOK)

	r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	r.RemoteAddr = "192.0.2.1:4000"
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.Server.Echo.ServeHTTP(w, r)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "storekeep_http_requests_total") {
		t.Errorf("remote scrape with the token: %d %.200s", w.Code, w.Body)
	}
}
