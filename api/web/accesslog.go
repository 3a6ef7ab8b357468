package web

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// AccessLogMode selects which requests get an access-log line
// (STOREKEEP_ACCESS_LOG).
type AccessLogMode string

// The access-log modes.
const (
	// AccessLogAll logs every request; successful reads may be sampled.
	AccessLogAll AccessLogMode = "all"
	// AccessLogErrors logs errors (status >= 400), slow requests and writes.
	AccessLogErrors AccessLogMode = "errors"
	// AccessLogOff writes no access lines (the error handler still logs
	// each 4xx at info and each 5xx at error).
	AccessLogOff AccessLogMode = "off"
)

// ParseAccessLogMode reads STOREKEEP_ACCESS_LOG; "" is AccessLogAll.
func ParseAccessLogMode(s string) (AccessLogMode, error) {
	switch m := AccessLogMode(s); m {
	case "":
		return AccessLogAll, nil
	case AccessLogAll, AccessLogErrors, AccessLogOff:
		return m, nil
	}
	return "", fmt.Errorf("access log mode must be all, errors or off, not %q", s)
}

// DefaultSlowRequest is how long a request takes before it is logged
// whatever the mode (except off) and sampling say (STOREKEEP_SLOW_REQUEST).
const DefaultSlowRequest = 500 * time.Millisecond

// AccessLogConfig says which requests the access log writes. Its zero
// value is DefaultAccessLog.
type AccessLogConfig struct {
	// Mode is all (""), errors or off.
	Mode AccessLogMode
	// Sample is, in all mode, the fraction of successful reads (GET, HEAD,
	// OPTIONS answered below 400 and not slow) that are logged: 1 logs
	// every one, 0 none. Errors, slow requests and writes are always
	// logged. Read only when Mode is set (a zero config means Sample 1).
	Sample float64
	// Slow: a request that takes at least this long is always logged, at
	// warn; 0 means DefaultSlowRequest.
	Slow time.Duration
}

// DefaultAccessLog logs every request, and marks those slower than
// DefaultSlowRequest.
func DefaultAccessLog() AccessLogConfig {
	return AccessLogConfig{Mode: AccessLogAll, Sample: 1, Slow: DefaultSlowRequest}
}

// AccessLog is the access-log middleware: one "request" line per logged
// request with request_id, method, path, route, status and latency (and
// slow=true at warn for slow ones). It renders a handler's error through
// the error handler first, so the status logged, and the one the metrics
// middleware outside it counts, is the one sent. Deciding costs a clock
// read and, when sampling, one lock-free random number: no lock is shared
// between requests.
func AccessLog(log *slog.Logger, cfg AccessLogConfig) echo.MiddlewareFunc {
	return accessLog(log, cfg, time.Now)
}

func accessLog(log *slog.Logger, cfg AccessLogConfig, now func() time.Time) echo.MiddlewareFunc {
	if cfg == (AccessLogConfig{}) {
		cfg = DefaultAccessLog()
	}
	if cfg.Mode == "" {
		cfg.Mode = AccessLogAll
	}
	if cfg.Slow <= 0 {
		cfg.Slow = DefaultSlowRequest
	}
	if cfg.Mode == AccessLogOff {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				if err := next(c); err != nil {
					c.Error(err)
				}
				return nil
			}
		}
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := now()
			if err := next(c); err != nil {
				c.Error(err) // render now so the status below is the one sent
			}
			latency := now().Sub(start)
			req, res := c.Request(), c.Response()
			slow := latency >= cfg.Slow
			if !slow && res.Status < 400 && isRead(req.Method) {
				if cfg.Mode == AccessLogErrors {
					return nil
				}
				if cfg.Sample < 1 && (cfg.Sample <= 0 || rand.Float64() >= cfg.Sample) {
					return nil
				}
			}
			level := slog.LevelInfo
			if slow {
				level = slog.LevelWarn
			}
			if !log.Enabled(context.Background(), level) {
				return nil
			}
			attrs := []slog.Attr{
				slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)),
				slog.String("method", req.Method), slog.String("path", req.URL.Path),
				slog.String("route", c.Path()), slog.Int("status", res.Status),
				slog.Duration("latency", latency),
			}
			if slow {
				attrs = append(attrs, slog.Bool("slow", true))
			}
			log.LogAttrs(context.Background(), level, "request", attrs...)
			return nil
		}
	}
}

// isRead: the methods that change nothing; every other request is a write
// and always logged (except in off mode).
func isRead(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}
