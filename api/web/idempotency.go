package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/idempotency"
)

// Headers of the Idempotency-Key contract (docs/api.md).
const (
	HeaderIdempotencyKey = "Idempotency-Key"
	HeaderReplayed       = "Idempotent-Replayed"
)

// IdempotencyOptions configures Idempotent for one route.
type IdempotencyOptions struct {
	// Required: a request without the header is 400 idempotency_key_required.
	// Otherwise a request without it simply runs unprotected.
	Required bool
	// GuestScope names the client a guest request belongs to, e.g. the cart
	// id in the path. Default: the "id" path parameter. Keys are stored as
	// "guest:"+scope; when it is empty the key cannot be scoped safely (it
	// would be shared by every guest), so the request runs unprotected (or is
	// 400 idempotency_key_required when Required).
	GuestScope func(c echo.Context) string
}

// storedHeaders is the subset of response headers kept with a response.
// X-Request-Id is not among them: a replay has its own id in the header,
// while a replayed problem body keeps the id of the request that produced
// it, whose log lines explain it (docs/api.md, "Idempotency-Key").
var storedHeaders = []string{echo.HeaderContentType, echo.HeaderLocation}

// Idempotent is route middleware implementing Idempotency-Key (docs/api.md,
// docs/reliability.md). Register it after the policy (Router.Handle's extra
// middleware), since the key is scoped per principal (the actor).
//
//   - first request: the key is claimed (in_progress), the handler runs, and
//     its response is stored and returned; 2xx and 4xx responses are stored,
//     except 429, 409 idempotency_key_in_use and 499 (the client went away:
//     nobody saw that answer); a 5xx deletes the claim so a retry runs again
//     (the handler's transaction rolled back);
//   - replay (same principal, key, route and body): the stored status, body
//     and Content-Type/Location, plus Idempotent-Replayed: true; no handler runs;
//   - same key with another route or body: 422 idempotency_conflict;
//   - same key while the first request runs: 409 idempotency_key_in_use with
//     Retry-After: 1 (a claim older than 30 s is taken over by a retry).
func Idempotent(store *idempotency.Store, opts IdempotencyOptions) echo.MiddlewareFunc {
	if opts.GuestScope == nil {
		opts.GuestScope = func(c echo.Context) string { return c.Param("id") }
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			key := c.Request().Header.Get(HeaderIdempotencyKey)
			if key == "" {
				if opts.Required {
					return idempotency.ErrKeyRequired
				}
				return next(c)
			}
			if !validIdempotencyKey(key) {
				return idempotency.ErrInvalidKey
			}
			principal := idempotencyPrincipal(c, opts)
			if principal == "" {
				if opts.Required {
					return idempotency.ErrKeyRequired.WithDetail("guests can use Idempotency-Key only on routes naming their cart")
				}
				return next(c)
			}
			req := c.Request()
			body, err := io.ReadAll(req.Body)
			if err != nil {
				return err // body limit exceeded, client gone: echo maps it
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			route := req.Method + " " + c.Path()
			ctx := req.Context()

			// The claim runs to its end even if the client hangs up meanwhile:
			// a claim the database committed but whose answer the canceled
			// request never read would stay in_progress until the lock
			// timeout and turn the client's retry away with 409 till then.
			bctx, cancel := Detached(ctx)
			outcome, stored, err := store.Begin(bctx, principal, key, route, fingerprint(c, route, body))
			cancel()
			if err != nil {
				return err
			}
			if outcome == idempotency.Replay {
				h := c.Response().Header()
				for k, v := range stored.Headers {
					h.Set(k, v)
				}
				h.Set(HeaderReplayed, "true")
				c.Response().WriteHeader(stored.Status)
				_, err := c.Response().Write(stored.Body)
				return err
			}

			rec := &idemRecorder{ResponseWriter: c.Response().Writer}
			c.Response().Writer = rec
			herr := next(c)
			if herr != nil {
				// Render the error now, through the idemRecorder, so an error
				// response is stored like any other.
				c.Error(herr)
			}
			c.Response().Writer = rec.ResponseWriter
			status := c.Response().Status
			if status >= 500 || status == http.StatusTooManyRequests || status == StatusClientClosedRequest ||
				!c.Response().Committed ||
				c.Response().Header().Get("Retry-After") != "" {
				// Not a final answer (an error, a rate limit, or any answer
				// that says to retry, such as 409 checkout_in_progress):
				// free the key so a retry runs again.
				persist(c, func(ctx context.Context) error { return store.Release(ctx, principal, key) })
				return nil
			}
			resp := idempotency.Response{Status: status, Body: rec.body.Bytes(), Headers: map[string]string{}}
			for _, k := range storedHeaders {
				if v := c.Response().Header().Get(k); v != "" {
					resp.Headers[k] = v
				}
			}
			persist(c, func(ctx context.Context) error { return store.Complete(ctx, principal, key, resp) })
			return nil
		}
	}
}

// persistRetries bounds how long persist keeps trying in the background.
var persistRetries = []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second,
	2 * time.Second, 4 * time.Second, 8 * time.Second}

// persist stores the key's outcome (Complete or Release) after the answer
// is sent. When the database cannot take it (it is restarting: the very
// failure the answer may be about), it keeps trying in the background for
// about 15 s, so that the client's retry finds its key free or answered
// instead of locked until the lock timeout. If all tries fail, the claim
// stays in_progress and is taken over after the lock timeout, as after a
// crash.
func persist(c echo.Context, write func(context.Context) error) {
	ctx := context.WithoutCancel(c.Request().Context())
	if err := write(ctx); err == nil {
		return
	}
	log := c.Logger() // echo reuses c once the handler returns
	go func() {
		var err error
		for _, d := range persistRetries {
			time.Sleep(d)
			if err = write(ctx); err == nil {
				return
			}
		}
		log.Error(err)
	}()
}

// validIdempotencyKey: 1..255 printable ASCII characters.
func validIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// idempotencyPrincipal is "<kind>:<id>" for authenticated callers and
// "guest:<scope>" for guests ("" when a guest has no scope).
func idempotencyPrincipal(c echo.Context, opts IdempotencyOptions) string {
	a := auth.FromContext(c.Request().Context())
	if !a.IsGuest() && a.ID != "" {
		return string(a.Kind) + ":" + a.ID
	}
	if scope := opts.GuestScope(c); scope != "" {
		return "guest:" + scope
	}
	return ""
}

// fingerprint is SHA-256 over the route, the path parameters and the body.
// A JSON body is canonicalised first (compacted, object keys sorted), so a
// retry that re-serialises the same document is still the same request.
func fingerprint(c echo.Context, route string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(route))
	h.Write([]byte{0})
	for i, n := range c.ParamNames() {
		h.Write([]byte(n + "=" + c.ParamValues()[i]))
		h.Write([]byte{0})
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers keep their exact digits
	if len(bytes.TrimSpace(body)) > 0 && dec.Decode(&doc) == nil && !dec.More() {
		if canon, err := json.Marshal(doc); err == nil {
			body = canon
		}
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// idemRecorder tees the response body so it can be stored.
type idemRecorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *idemRecorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *idemRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush forwards streaming flushes.
func (r *idemRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
