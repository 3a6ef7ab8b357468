package web

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
)

// nullWriter is a ResponseWriter that drops the body and reuses one header
// map, so the benchmark measures the middleware, not the test harness.
type nullWriter struct {
	h      http.Header
	status int
}

func (w *nullWriter) Header() http.Header         { return w.h }
func (w *nullWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nullWriter) WriteHeader(s int)           { w.status = s }

// beforeAccessLog is the access log as it was before STOREKEEP_ACCESS_LOG:
// echo's RequestLogger writing every request at info.
func beforeAccessLog(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogRoutePath: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			log.LogAttrs(context.Background(), slog.LevelInfo, "request",
				slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("path", v.URIPath), slog.String("route", v.RoutePath),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency))
			return nil
		},
	})
}

// BenchmarkAccessLog measures the access log's cost per request on a
// trivial route, in the server's edge stack (request id, metrics, access
// log, error handler), with a JSON logger writing to /dev/null (one write
// system call per line, as to a file or a pipe). "none" has no access log
// at all: the baseline the others are compared with. Results and the
// command are in docs/benchmarks.md.
func BenchmarkAccessLog(b *testing.B) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { devnull.Close() })
	log := slog.New(slog.NewJSONHandler(devnull, nil))
	for _, v := range []struct {
		name string
		mw   echo.MiddlewareFunc
	}{
		{"none", nil},
		{"before", beforeAccessLog(log)},
		{"all", AccessLog(log, AccessLogConfig{Mode: AccessLogAll, Sample: 1})},
		{"sampled_0.1", AccessLog(log, AccessLogConfig{Mode: AccessLogAll, Sample: 0.1})},
		{"sampled_0.01", AccessLog(log, AccessLogConfig{Mode: AccessLogAll, Sample: 0.01})},
		{"errors", AccessLog(log, AccessLogConfig{Mode: AccessLogErrors})},
		{"off", AccessLog(log, AccessLogConfig{Mode: AccessLogOff})},
	} {
		b.Run(v.name, func(b *testing.B) {
			e := echo.New()
			e.HTTPErrorHandler = ErrorHandler(log)
			e.Pre(middleware.RequestID())
			e.Use(NewMetrics(prometheus.NewRegistry()).Middleware())
			if v.mw != nil {
				e.Use(v.mw)
			}
			e.GET("/v1/store/ping", func(c echo.Context) error {
				return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
			})
			req, _ := http.NewRequest(http.MethodGet, "/v1/store/ping", nil)
			w := &nullWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				e.ServeHTTP(w, req)
			}
			if w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		})
	}
}
