package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// metricsStatus serves GET /metrics behind MetricsAccess(token) to a
// request from peer with the given headers and returns the status.
func metricsStatus(t *testing.T, token, peer string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	e := echo.New()
	e.HTTPErrorHandler = ErrorHandler(discardLogger())
	e.GET("/metrics", func(c echo.Context) error { return c.String(http.StatusOK, "metrics") }, MetricsAccess(token))
	r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	r.RemoteAddr = peer
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}

func TestMetricsAccessWithoutToken(t *testing.T) {
	for _, tc := range []struct {
		name   string
		peer   string
		header map[string]string
		want   int
	}{
		{"loopback", "127.0.0.1:9000", nil, http.StatusOK},
		{"loopback ipv6", "[::1]:9000", nil, http.StatusOK},
		{"other loopback address", "127.0.0.2:9000", nil, http.StatusOK},
		{"remote", "192.0.2.10:9000", nil, http.StatusForbidden},
		{"private network", "10.0.0.5:9000", nil, http.StatusForbidden},
		{"remote claiming loopback", "192.0.2.10:9000", map[string]string{"X-Forwarded-For": "127.0.0.1"}, http.StatusForbidden},
		{"local proxy, X-Forwarded-For", "127.0.0.1:9000", map[string]string{"X-Forwarded-For": "192.0.2.10"}, http.StatusForbidden},
		{"local proxy, Forwarded", "127.0.0.1:9000", map[string]string{"Forwarded": "for=192.0.2.10"}, http.StatusForbidden},
		{"local proxy, X-Real-IP", "127.0.0.1:9000", map[string]string{"X-Real-IP": "192.0.2.10"}, http.StatusForbidden},
		{"local proxy, empty X-Forwarded-For", "127.0.0.1:9000", map[string]string{"X-Forwarded-For": ""}, http.StatusForbidden},
		{"local proxy, Via", "127.0.0.1:9000", map[string]string{"Via": "1.1 nginx"}, http.StatusForbidden},
		{"a bearer token does not matter", "127.0.0.1:9000", map[string]string{"Authorization": "Bearer x"}, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := metricsStatus(t, "", tc.peer, tc.header)
			if w.Code != tc.want {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tc.want, w.Body)
			}
			if tc.want != http.StatusOK && w.Header().Get(echo.HeaderContentType) != "application/problem+json" {
				t.Errorf("Content-Type = %q, want problem+json", w.Header().Get(echo.HeaderContentType))
			}
		})
	}
}

func TestMetricsAccessWithToken(t *testing.T) {
	const token = "scrape-token-0123456789abcdef"
	for _, tc := range []struct {
		name   string
		peer   string
		header map[string]string
		want   int
	}{
		{"right token from anywhere", "192.0.2.10:9000", map[string]string{"Authorization": "Bearer " + token}, http.StatusOK},
		{"right token through a proxy", "127.0.0.1:9000", map[string]string{"Authorization": "Bearer " + token,
			"X-Forwarded-For": "192.0.2.10"}, http.StatusOK},
		{"scheme in lower case", "192.0.2.10:9000", map[string]string{"Authorization": "bearer " + token}, http.StatusOK},
		{"no token, even from loopback", "127.0.0.1:9000", nil, http.StatusUnauthorized},
		{"wrong token", "192.0.2.10:9000", map[string]string{"Authorization": "Bearer " + token + "x"}, http.StatusUnauthorized},
		{"prefix of the token", "192.0.2.10:9000", map[string]string{"Authorization": "Bearer " + token[:10]}, http.StatusUnauthorized},
		{"empty bearer", "192.0.2.10:9000", map[string]string{"Authorization": "Bearer "}, http.StatusUnauthorized},
		{"basic auth", "192.0.2.10:9000", map[string]string{"Authorization": "Basic " + token}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := metricsStatus(t, token, tc.peer, tc.header)
			if w.Code != tc.want {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tc.want, w.Body)
			}
			if tc.want == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") != `Bearer realm="metrics"` {
				t.Errorf("WWW-Authenticate = %q", w.Header().Get("WWW-Authenticate"))
			}
		})
	}
}
