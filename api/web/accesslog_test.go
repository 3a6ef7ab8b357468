package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/logtest"
)

// fakeClock advances by step at every reading, so each request takes step.
func fakeClock(step time.Duration) func() time.Time {
	var n atomic.Int64
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { return base.Add(time.Duration(n.Add(1)) * step) }
}

// accessLogServer is a bare echo with the error handler and the access log
// logging to rec, and routes answering 200, 201, 404 and 500.
func accessLogServer(rec *logtest.Recorder, cfg AccessLogConfig, step time.Duration) *echo.Echo {
	e := echo.New()
	e.HTTPErrorHandler = ErrorHandler(rec.Logger())
	e.Use(accessLog(rec.Logger(), cfg, fakeClock(step)))
	ok := func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"ok": "yes"}) }
	e.GET("/read", ok)
	e.HEAD("/read", ok)
	e.POST("/write", func(c echo.Context) error { return c.JSON(http.StatusCreated, map[string]string{"ok": "yes"}) })
	e.GET("/missing", func(c echo.Context) error { return echo.ErrNotFound })
	e.GET("/broken", func(c echo.Context) error { return errors.New("boom") })
	return e
}

func serve(e *echo.Echo, method, path string) int {
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(method, path, nil))
	return w.Code
}

// accessLines lists "METHOD path status" of the access-log lines.
func accessLines(rec *logtest.Recorder) []string {
	var out []string
	for _, r := range rec.Where(func(r logtest.Record) bool { return r.Message == "request" }) {
		out = append(out, r.Attrs["method"]+" "+r.Attrs["path"]+" "+r.Attrs["status"])
	}
	return out
}

// everyKind sends one request of each kind and returns their statuses.
func everyKind(e *echo.Echo) []int {
	return []int{serve(e, http.MethodGet, "/read"), serve(e, http.MethodHead, "/read"),
		serve(e, http.MethodPost, "/write"), serve(e, http.MethodGet, "/missing"), serve(e, http.MethodGet, "/broken")}
}

// TestAccessLogModes: which requests each mode writes a line for; errors,
// writes and slow requests are never sampled away.
func TestAccessLogModes(t *testing.T) {
	all := []string{"GET /read 200", "HEAD /read 200", "POST /write 201", "GET /missing 404", "GET /broken 500"}
	notReads := []string{"POST /write 201", "GET /missing 404", "GET /broken 500"}
	for _, tc := range []struct {
		name string
		cfg  AccessLogConfig
		step time.Duration // how long each request takes
		want []string
	}{
		{"zero config logs all", AccessLogConfig{}, time.Millisecond, all},
		{"all", AccessLogConfig{Mode: AccessLogAll, Sample: 1}, time.Millisecond, all},
		{"all, reads sampled to none", AccessLogConfig{Mode: AccessLogAll, Sample: 0}, time.Millisecond, notReads},
		{"all, sampled, slow reads kept", AccessLogConfig{Mode: AccessLogAll, Sample: 0, Slow: time.Second}, time.Second, all},
		{"errors", AccessLogConfig{Mode: AccessLogErrors}, time.Millisecond, notReads},
		{"errors, slow reads kept", AccessLogConfig{Mode: AccessLogErrors, Slow: 2 * time.Second}, 3 * time.Second, all},
		{"errors, default slow threshold", AccessLogConfig{Mode: AccessLogErrors}, DefaultSlowRequest, all},
		{"off", AccessLogConfig{Mode: AccessLogOff}, time.Hour, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := logtest.New(slog.LevelDebug)
			e := accessLogServer(rec, tc.cfg, tc.step)
			if d := cmp.Diff([]int{200, 200, 201, 404, 500}, everyKind(e)); d != "" {
				t.Fatalf("statuses (-want +got)\n%s", d)
			}
			if d := cmp.Diff(tc.want, accessLines(rec)); d != "" {
				t.Errorf("access lines (-want +got)\n%s", d)
			}
			// The error handler's own lines are there in every mode.
			if n := len(rec.Where(func(r logtest.Record) bool {
				return r.Message == "request failed" && r.Level == slog.LevelError
			})); n != 1 {
				t.Errorf("error lines = %d, want 1 (the 500)", n)
			}
		})
	}
}

// TestAccessLogLine: the fields of a line, and slow requests at warn.
func TestAccessLogLine(t *testing.T) {
	rec := logtest.New(slog.LevelDebug)
	e := echo.New()
	e.HTTPErrorHandler = ErrorHandler(rec.Logger())
	e.Use(accessLog(rec.Logger(), AccessLogConfig{Mode: AccessLogAll, Sample: 1, Slow: time.Second}, fakeClock(time.Second)))
	e.GET("/items/:id", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderXRequestID, "req_1")
		return c.NoContent(http.StatusNoContent)
	})
	serve(e, http.MethodGet, "/items/42")
	got := rec.Where(func(r logtest.Record) bool { return r.Message == "request" })
	want := []logtest.Record{{Level: slog.LevelWarn, Message: "request", Attrs: map[string]string{
		"request_id": "req_1", "method": "GET", "path": "/items/42", "route": "/items/:id", "status": "204",
		"latency": "1s", "slow": "true"}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

// TestAccessLogSampling: a fraction of successful reads is logged, about
// that fraction (binomial: 2000 draws at 0.25 give 500 +- 19.4, the bounds
// are 7 standard deviations away).
func TestAccessLogSampling(t *testing.T) {
	rec := logtest.New(slog.LevelDebug)
	e := accessLogServer(rec, AccessLogConfig{Mode: AccessLogAll, Sample: 0.25}, time.Millisecond)
	const n = 2000
	for range n {
		serve(e, http.MethodGet, "/read")
		serve(e, http.MethodPost, "/write")
	}
	var reads, writes int
	for _, l := range accessLines(rec) {
		switch l {
		case "GET /read 200":
			reads++
		case "POST /write 201":
			writes++
		}
	}
	if reads < 365 || reads > 635 {
		t.Errorf("logged %d of %d reads at 0.25", reads, n)
	}
	if writes != n {
		t.Errorf("logged %d of %d writes; every write must be", writes, n)
	}
}

func TestParseAccessLogMode(t *testing.T) {
	for in, want := range map[string]AccessLogMode{"": AccessLogAll, "all": AccessLogAll, "errors": AccessLogErrors, "off": AccessLogOff} {
		if got, err := ParseAccessLogMode(in); err != nil || got != want {
			t.Errorf("ParseAccessLogMode(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseAccessLogMode("none"); err == nil {
		t.Error(`"none" was accepted`)
	}
}
