// Package web is the small HTTP toolkit every handler package shares: RFC 9457
// problem+json rendering for every error (domain, binder, echo's own), strict
// JSON binding, validation with snake_case field names, and route registration
// that forces each route to declare its access policy.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
)

// Problem is an RFC 9457 problem document with Storekeep's extensions.
type Problem struct {
	Type      string            `json:"type" binding:"required" example:"https://storekeep.dev/problems/validation_failed"`
	Title     string            `json:"title" binding:"required" example:"Unprocessable Entity"`
	Status    int               `json:"status" binding:"required" example:"422"`
	Detail    string            `json:"detail" binding:"required" example:"the request has invalid fields"`
	Instance  string            `json:"instance" binding:"required" example:"/v1/admin/products"`
	Code      string            `json:"code" binding:"required" example:"validation_failed"`
	Errors    []errs.FieldError `json:"errors,omitempty"`
	RequestID string            `json:"request_id" binding:"required" example:"req_06h1w7gb1dtsv4xqy1yyv4mrym"`
} // @name Problem

// ProblemTypeBase prefixes a problem's code to form its type URI.
const ProblemTypeBase = "https://storekeep.dev/problems/"

var kindStatus = map[errs.Kind]int{
	errs.Internal:        http.StatusInternalServerError,
	errs.Invalid:         http.StatusBadRequest,
	errs.Unauthenticated: http.StatusUnauthorized,
	errs.PaymentFailed:   http.StatusPaymentRequired,
	errs.Forbidden:       http.StatusForbidden,
	errs.NotFound:        http.StatusNotFound,
	errs.Conflict:        http.StatusConflict,
	errs.TooLarge:        http.StatusRequestEntityTooLarge,
	errs.Unprocessable:   http.StatusUnprocessableEntity,
	errs.TooMany:         http.StatusTooManyRequests,
	errs.Unavailable:     http.StatusServiceUnavailable,
}

// codeForStatus names echo's own errors, which carry only a status.
var codeForStatus = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusServiceUnavailable:    "unavailable",
	http.StatusRequestTimeout:        "timeout",
	http.StatusUpgradeRequired:       "upgrade_required",
}

// ErrorHandler returns echo's HTTPErrorHandler: every error leaves as
// problem+json, is logged once with the request id, and never carries its cause.
//
// A request that failed after its client went away is recorded as 499
// (StatusClientClosedRequest) and logged at info, whatever the failure
// looked like (a canceled query, "driver: bad connection", a failed
// connect): nobody saw an error, so it must not count as a 5xx. A domain
// answer (a 4xx) given meanwhile stays what it is: it is the request's real
// outcome, and an Idempotency-Key stores it. A handler failing after the
// server's own deadline (Timeout) is 503 request_timeout, a 5xx.
func ErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		requestID := c.Response().Header().Get(echo.HeaderXRequestID)
		shown := err // what the client is told; err, the cause, is logged
		if db.IsUnavailable(err) {
			shown = ErrDatabaseUnavailable
		}
		p := ProblemFor(shown)
		clientGone, timedOut := requestEnd(c.Request())
		if clientGone && p.Status >= http.StatusInternalServerError {
			log.Info("client closed request", "request_id", requestID, "status", StatusClientClosedRequest,
				"path", c.Request().URL.Path, "error", err.Error())
			// Nobody reads this; writing the status records it for the
			// access log and the metrics, and marks the answer as given.
			c.Response().WriteHeader(StatusClientClosedRequest)
			return
		}
		if timedOut && p.Status >= http.StatusInternalServerError {
			shown = fmt.Errorf("%w: %w", ErrRequestTimeout, err)
			p = ProblemFor(shown)
		}
		p.RequestID = requestID
		p.Instance = c.Request().URL.Path
		attrs := []any{"request_id", p.RequestID, "status", p.Status, "code", p.Code, "path", p.Instance}
		if p.Status >= 500 {
			log.Error("request failed", append(attrs, "error", err.Error())...)
		} else {
			log.Info("request rejected", append(attrs, "error", err.Error())...)
		}
		if retry := retryAfter(shown, p.Status); retry > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(retry))
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		if c.Request().Method == http.MethodHead {
			return
		}
		_ = c.JSON(p.Status, p) // header already written; JSON only encodes the body
	}
}

// DefaultRetryAfter is the Retry-After, in seconds, of a 429 or 503 whose
// error names none: every such answer says when to retry (the contract
// declares the header on each).
const DefaultRetryAfter = 1

// retryAfter is the Retry-After of an answer: the error's own, or
// DefaultRetryAfter on a 429 or 503; 0 for none.
func retryAfter(err error, status int) int {
	if de, ok := errs.As(err); ok && de.RetryAfter > 0 {
		return de.RetryAfter
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		return DefaultRetryAfter
	}
	return 0
}

// ErrDatabaseUnavailable answers a request the database could not serve
// because it was unreachable (restarting, failing over, refusing
// connections): 503 with Retry-After, so clients retry rather than give up.
var ErrDatabaseUnavailable = &errs.Error{Kind: errs.Unavailable, Code: "database_unavailable",
	Message: "the database is unavailable for a moment; retry shortly (with the same Idempotency-Key)", RetryAfter: 2}

// ProblemFor maps any error to its problem document.
func ProblemFor(err error) Problem {
	if de, ok := errs.As(err); ok {
		status := kindStatus[de.Kind]
		return Problem{
			Type: ProblemTypeBase + de.Code, Title: http.StatusText(status), Status: status,
			Detail: de.Message, Code: de.Code, Errors: de.Fields,
		}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status := he.Code
		code, ok := codeForStatus[status]
		if !ok {
			code = "http_" + strconv.Itoa(status)
		}
		detail := http.StatusText(status)
		if status < 500 {
			if m, ok := he.Message.(string); ok && m != "" {
				detail = m
			}
		}
		return Problem{Type: ProblemTypeBase + code, Title: http.StatusText(status), Status: status, Detail: detail, Code: code}
	}
	return Problem{
		Type: ProblemTypeBase + "internal", Title: http.StatusText(500), Status: 500,
		Detail: "something went wrong on our side; the request id helps us find it", Code: "internal",
	}
}
