package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/logtest"
)

// TestEvery429And503SaysWhenToRetry: the contract declares Retry-After as
// required on every 429 and 503, so an error that names no delay (such as
// payment_provider_unavailable) gets DefaultRetryAfter; one that names its
// own keeps it, and other statuses carry the header only when their error
// asks for a retry (409 idempotency_key_in_use).
func TestEvery429And503SaysWhenToRetry(t *testing.T) {
	t.Parallel()
	withDelay := errs.New(errs.Conflict, "idempotency_key_in_use", "in use")
	withDelay.RetryAfter = 1
	limited := errs.New(errs.TooMany, "rate_limited", "slow down")
	limited.RetryAfter = 42
	cases := []struct {
		name   string
		err    error
		status int
		retry  string
	}{
		{"unavailable without a delay", errs.New(errs.Unavailable, "payment_provider_unavailable", "down"), 503, "1"},
		{"too many without a delay", errs.New(errs.TooMany, "rate_limited", "slow down"), 429, "1"},
		{"too many with its delay", limited, 429, "42"},
		{"the database's own delay", ErrDatabaseUnavailable, 503, "2"},
		{"echo's 503", echo.ErrServiceUnavailable, 503, "1"},
		{"echo's 429", echo.ErrTooManyRequests, 429, "1"},
		{"a conflict that says to retry", withDelay, 409, "1"},
		{"a plain conflict", errs.ErrConflict, 409, ""},
		{"an internal error", errors.New("boom"), 500, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.HTTPErrorHandler = ErrorHandler(logtest.New(slog.LevelError).Logger())
			e.GET("/x", func(echo.Context) error { return tc.err })
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d", rec.Code, tc.status)
			}
			if got := rec.Header().Get("Retry-After"); got != tc.retry {
				t.Errorf("Retry-After = %q, want %q", got, tc.retry)
			}
		})
	}
}
