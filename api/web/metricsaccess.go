package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/errs"
)

// MetricsPolicy is the access policy of GET /metrics: it reads no customer,
// staff or API-key credential; MetricsAccess decides who may scrape.
var MetricsPolicy = Policy{Name: "metrics"}

// Errors of GET /metrics.
var (
	// ErrMetricsToken: STOREKEEP_METRICS_TOKEN is set and the request does
	// not carry it as a bearer token.
	ErrMetricsToken = errs.ErrAuth.WithDetail("/metrics needs its bearer token")
	// ErrMetricsLoopbackOnly: no token is set, and the request did not come
	// straight from this host.
	ErrMetricsLoopbackOnly = errs.ErrForbidden.WithDetail(
		"/metrics answers only local requests; set STOREKEEP_METRICS_TOKEN to scrape it from elsewhere")
)

// proxyHeaders are headers a reverse proxy adds. A request carrying one of
// them came through a proxy even when its TCP peer is loopback (a proxy on
// the same host), so it is not a local scrape.
var proxyHeaders = []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip", "X-Forwarded-Host", "X-Forwarded-Proto", "Via"}

// MetricsAccess guards GET /metrics, which shows order volumes and error
// rates. With a token, every request must carry "Authorization: Bearer
// <token>" (compared in constant time; 401 with WWW-Authenticate
// otherwise). Without one, only a request whose TCP peer is loopback and
// that carries no proxy header is served; anything else is 403. The peer is
// the socket's, never c.RealIP(): no header can make a request local.
func MetricsAccess(token string) echo.MiddlewareFunc {
	want := sha256.Sum256([]byte(token))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if token != "" {
				cred, _ := bearer(r)
				// Hashing first makes the comparison independent of length.
				got := sha256.Sum256([]byte(cred))
				if cred == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
					c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
					return ErrMetricsToken
				}
				return next(c)
			}
			if !peerAddr(r).IsLoopback() || proxied(r) {
				return ErrMetricsLoopbackOnly
			}
			return next(c)
		}
	}
}

func proxied(r *http.Request) bool {
	for _, h := range proxyHeaders {
		if _, ok := r.Header[h]; ok {
			return true
		}
	}
	return false
}
