package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/logtest"
)

// edge is the server's outer stack in miniature: error handler, metrics,
// access log, Timeout(d), and GET /work running h.
func edge(rec *logtest.Recorder, d time.Duration, h echo.HandlerFunc) (*echo.Echo, *prometheus.Registry) {
	e := echo.New()
	e.HTTPErrorHandler = ErrorHandler(rec.Logger())
	reg := prometheus.NewRegistry()
	e.Use(NewMetrics(reg).Middleware())
	e.Use(AccessLog(rec.Logger(), DefaultAccessLog()))
	e.Use(Timeout(d))
	e.GET("/work", h)
	return e, reg
}

// requestsWithStatus reads storekeep_http_requests_total{status} from reg.
func requestsWithStatus(t *testing.T, reg *prometheus.Registry, status string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n float64
	for _, mf := range mfs {
		if mf.GetName() != "storekeep_http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "status" && l.GetValue() == status {
					n += m.GetCounter().GetValue()
				}
			}
		}
	}
	return n
}

func errorLines(rec *logtest.Recorder) []logtest.Record {
	return rec.Where(func(r logtest.Record) bool { return r.Level >= slog.LevelError })
}

func accessStatus(t *testing.T, rec *logtest.Recorder) string {
	t.Helper()
	lines := rec.Where(func(r logtest.Record) bool { return r.Message == "request" })
	if len(lines) != 1 {
		t.Fatalf("access lines = %+v, want one", lines)
	}
	return lines[0].Attrs["status"]
}

// TestClientGoneIs499: a handler that fails because its client went away
// (here: a query error after the context was canceled) is recorded as 499,
// in the access log and the metrics, and logged at info, not error.
func TestClientGoneIs499(t *testing.T) {
	rec := logtest.New(slog.LevelDebug)
	started := make(chan struct{})
	e, reg := edge(rec, time.Hour, func(c echo.Context) error {
		close(started)
		<-c.Request().Context().Done()
		return errors.New("driver: bad connection") // what a canceled query may surface as
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }() // net/http cancels the context when the client hangs up
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/work", nil).WithContext(ctx))

	if got := accessStatus(t, rec); got != "499" {
		t.Errorf("access log status = %s, want 499", got)
	}
	if n := requestsWithStatus(t, reg, "499"); n != 1 {
		t.Errorf("metrics 499 count = %v, want 1", n)
	}
	if n := requestsWithStatus(t, reg, "500"); n != 0 {
		t.Errorf("metrics 500 count = %v, want 0", n)
	}
	if errs := errorLines(rec); len(errs) != 0 {
		t.Errorf("error lines for a client that went away: %+v", errs)
	}
	gone := rec.Where(func(r logtest.Record) bool { return r.Message == "client closed request" })
	if len(gone) != 1 || gone[0].Level != slog.LevelInfo || gone[0].Attrs["error"] != "driver: bad connection" {
		t.Errorf("client closed lines = %+v", gone)
	}
}

// TestServerTimeoutIs503: a handler failing past the server's deadline is
// 503 request_timeout with Retry-After, a 5xx logged at error, whatever
// error the failing call returned.
func TestServerTimeoutIs503(t *testing.T) {
	for _, cause := range []error{context.DeadlineExceeded, errors.New("driver: bad connection")} {
		t.Run(cause.Error(), func(t *testing.T) {
			rec := logtest.New(slog.LevelDebug)
			e, _ := edge(rec, 20*time.Millisecond, func(c echo.Context) error {
				<-c.Request().Context().Done()
				return cause
			})
			w := httptest.NewRecorder()
			e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/work", nil))
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" {
				t.Errorf("answer %d, Retry-After %q; body %s", w.Code, w.Header().Get("Retry-After"), w.Body)
			}
			if w.Header().Get(echo.HeaderContentType) != "application/problem+json" ||
				!strings.Contains(w.Body.String(), `"code":"request_timeout"`) {
				t.Errorf("body %s, want the request_timeout problem", w.Body)
			}
			if got := accessStatus(t, rec); got != "503" {
				t.Errorf("access log status = %s", got)
			}
			if len(errorLines(rec)) != 1 {
				t.Errorf("error lines = %+v, want the one of the error handler", errorLines(rec))
			}
		})
	}
}

// TestTimeoutKeepsClientErrors: a 4xx after the deadline stays the 4xx.
func TestTimeoutKeepsClientErrors(t *testing.T) {
	rec := logtest.New(slog.LevelDebug)
	e, _ := edge(rec, 10*time.Millisecond, func(c echo.Context) error {
		<-c.Request().Context().Done()
		return errs.ErrValidation
	})
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/work", nil))
	if w.Code != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", w.Code)
	}
}

// TestErrorAfterTimeoutMiddlewareIsNotAHangUp: the deadline's context is
// canceled when Timeout returns; an error rendered further out (here by
// the access log) must still be the handler's 500, not a 499. (echo's
// ContextTimeout leaves that canceled context on the request, which would
// make every error look like a client hang-up.)
func TestErrorAfterTimeoutMiddlewareIsNotAHangUp(t *testing.T) {
	rec := logtest.New(slog.LevelDebug)
	e, reg := edge(rec, time.Hour, func(c echo.Context) error { return errors.New("boom") })
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/work", nil))
	if w.Code != http.StatusInternalServerError || requestsWithStatus(t, reg, "500") != 1 {
		t.Errorf("status %d, want 500 (and counted as such)", w.Code)
	}
	if len(errorLines(rec)) != 1 {
		t.Errorf("error lines = %+v, want one", errorLines(rec))
	}
}
