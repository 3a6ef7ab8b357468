package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/errs"
)

// StatusClientClosedRequest is the status recorded (access log, metrics)
// for a request whose client went away before it was answered: nginx's
// 499. It is never seen by a client, and it is not a server error.
const StatusClientClosedRequest = 499

// ErrRequestTimeout is the answer to a request that ran past the server's
// own deadline (Timeout): 503 with Retry-After, a server-side failure that
// counts as a 5xx.
var ErrRequestTimeout = &errs.Error{Kind: errs.Unavailable, Code: "request_timeout",
	Message: "the request took too long and was stopped; try again", RetryAfter: 1}

// errDeadline is the cause of the deadline Timeout sets, which tells it
// apart from the client going away (a plain context.Canceled).
var errDeadline = errors.New("server request timeout")

// Timeout bounds every request to d (the role of echo's ContextTimeout,
// which it replaces). The request's context gets a deadline whose cause is
// the server's own timeout; when a handler fails after it passed, the
// error becomes ErrRequestTimeout, whatever the failing call made of it
// ("context deadline exceeded", "driver: bad connection", ...).
//
// On return the request is set back to the one Timeout received: the
// derived context is canceled then, and the error handler, which runs
// further out, must not mistake that for the client going away (requestEnd
// reads the request's context).
func Timeout(d time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			ctx, cancel := context.WithTimeoutCause(req.Context(), d, errDeadline)
			defer cancel()
			c.SetRequest(req.WithContext(ctx))
			err := next(c)
			c.SetRequest(req)
			if err != nil && req.Context().Err() == nil && errors.Is(context.Cause(ctx), errDeadline) &&
				ProblemFor(err).Status >= http.StatusInternalServerError {
				return ErrRequestTimeout
			}
			return err
		}
	}
}

// requestEnd tells why a request's context ended before it was answered:
// the client went away (its connection closed or the request was reset;
// net/http cancels the context then), or the server's own deadline passed.
// Neither: the context is still live.
func requestEnd(r *http.Request) (clientGone, timedOut bool) {
	ctx := r.Context()
	if ctx.Err() == nil {
		return false, false
	}
	if errors.Is(context.Cause(ctx), errDeadline) {
		return false, true
	}
	return true, false
}

// Detached is ctx without its cancellation, for work that must run to its
// end once started even if the client goes away (an idempotency claim, a
// checkout): cut off half way, such work can lose the answer to something
// that committed. The server's deadline still bounds it; cancel releases
// its timer.
func Detached(ctx context.Context) (context.Context, context.CancelFunc) {
	d := context.WithoutCancel(ctx)
	if dl, ok := ctx.Deadline(); ok {
		return context.WithDeadlineCause(d, dl, errDeadline)
	}
	return d, func() {}
}
