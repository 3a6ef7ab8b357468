package api_test

import (
	"net/http"
	"strings"
	"testing"

	"storekeep/api/apitest"
)

func TestHealthAndReadiness(t *testing.T) {
	h := apitest.New(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		h.Do(apitest.Request{Method: http.MethodGet, Path: path}).Expect(t, http.StatusOK)
	}
}

func TestUnknownRouteAndMethodAreProblems(t *testing.T) {
	h := apitest.New(t)
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/nope"}).ExpectProblem(t, http.StatusNotFound, "not_found")
	h.Do(apitest.Request{Method: http.MethodDelete, Path: "/healthz"}).ExpectProblem(t, http.StatusMethodNotAllowed, "method_not_allowed")
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	h := apitest.New(t)
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/healthz"}).Expect(t, http.StatusOK)
	res := h.Do(apitest.Request{Method: http.MethodGet, Path: "/metrics"}).Expect(t, http.StatusOK)
	want := `storekeep_http_requests_total{method="GET",route="/healthz",status="200"} 1`
	if !strings.Contains(string(res.Body), want) {
		t.Errorf("/metrics lacks %q:\n%s", want, res.Body)
	}
}

func TestOpenAPIIsServed(t *testing.T) {
	h := apitest.New(t)
	res := h.Do(apitest.Request{Method: http.MethodGet, Path: "/openapi.yaml"}).Expect(t, http.StatusOK)
	if !strings.Contains(string(res.Body), "openapi: 3.0") {
		t.Errorf("/openapi.yaml does not look like OpenAPI 3.0: %.200s", res.Body)
	}
}
