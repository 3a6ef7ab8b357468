package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/idempotency"
)

// tokenAuth maps the bearer token "alice" or "bob" to a customer.
type tokenAuth struct{}

func (tokenAuth) Authenticate(_ context.Context, cred, _ string) (auth.Actor, error) {
	if cred == "alice" || cred == "bob" {
		return auth.Actor{Kind: auth.Customer, ID: "cus_" + cred}, nil
	}
	return auth.Actor{}, errs.ErrAuth
}

type thingReq struct {
	N      int  `json:"n"`
	Status int  `json:"status"`
	Slow   bool `json:"slow"`
}

// idemServer serves POST /things/:id behind Idempotent (key required): the
// handler counts its runs and answers 201 with a fresh id, or the status the
// body asks for.
func idemServer(t *testing.T) (*echo.Echo, *atomic.Int64, *db.DB) {
	t.Helper()
	d := dbtest.New(t)
	var runs atomic.Int64
	e := echo.New()
	e.HTTPErrorHandler = ErrorHandler(discardLogger())
	r := NewRouter(e, tokenAuth{})
	h := func(c echo.Context) error {
		runs.Add(1)
		var req thingReq
		if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
			return errs.ErrMalformed.WithDetail("%s", err.Error())
		}
		if req.Slow {
			time.Sleep(300 * time.Millisecond)
		}
		switch req.Status {
		case 0:
			c.Response().Header().Set(echo.HeaderLocation, "/things/"+c.Param("id"))
			return c.JSON(http.StatusCreated, map[string]any{"id": id.New("thg"), "n": req.N})
		case 500:
			return errors.New("boom")
		case 429:
			return &errs.Error{Kind: errs.TooMany, Code: "rate_limited", Message: "slow down", RetryAfter: 1}
		case 409:
			return &errs.Error{Kind: errs.Conflict, Code: "checkout_in_progress", Message: "busy", RetryAfter: 1}
		default:
			return errs.New(errs.Unprocessable, "insufficient_stock", "not enough")
		}
	}
	mw := Idempotent(idempotency.NewStore(d), IdempotencyOptions{Required: true})
	r.POST("/things/:id", Shopper, h, mw)
	r.POST("/other/:id", Shopper, h, mw)
	return e, &runs, d
}

func post(e *echo.Echo, path, token, key, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set(echo.HeaderContentType, "application/json")
	if token != "" {
		req.Header.Set(echo.HeaderAuthorization, "Bearer "+token)
	}
	if key != "" {
		req.Header.Set(HeaderIdempotencyKey, key)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func problemCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("not a problem: %q", rec.Body)
	}
	return p.Code
}

func keyRows(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var n int64
	if err := d.Conn(t.Context()).Table("idempotency_keys").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIdempotentReplaysTheFirstResponse(t *testing.T) {
	t.Parallel()
	e, runs, _ := idemServer(t)
	first := post(e, "/things/a", "alice", "k1", `{"n": 1}`)
	// Same document re-serialised (spacing, key order) is the same request.
	second := post(e, "/things/a", "alice", "k1", `{ "n":1 }`)
	if first.Code != 201 || second.Code != 201 {
		t.Fatalf("statuses %d, %d; want 201 twice (%s)", first.Code, second.Code, second.Body)
	}
	if first.Body.String() != second.Body.String() {
		t.Errorf("replayed body %q, want %q", second.Body, first.Body)
	}
	if first.Header().Get(HeaderReplayed) != "" || second.Header().Get(HeaderReplayed) != "true" {
		t.Errorf("Idempotent-Replayed = %q then %q", first.Header().Get(HeaderReplayed), second.Header().Get(HeaderReplayed))
	}
	if got := second.Header().Get(echo.HeaderLocation); got != "/things/a" {
		t.Errorf("replayed Location = %q", got)
	}
	if !strings.HasPrefix(second.Header().Get(echo.HeaderContentType), "application/json") {
		t.Errorf("replayed Content-Type = %q", second.Header().Get(echo.HeaderContentType))
	}
	if runs.Load() != 1 {
		t.Errorf("handler ran %d times, want 1", runs.Load())
	}
}

func TestIdempotentConflicts(t *testing.T) {
	t.Parallel()
	e, runs, _ := idemServer(t)
	if rec := post(e, "/things/a", "alice", "k1", `{"n": 1}`); rec.Code != 201 {
		t.Fatalf("first: %d %s", rec.Code, rec.Body)
	}
	tests := []struct{ name, path, body string }{
		{"different body", "/things/a", `{"n": 2}`},
		{"different path parameter", "/things/b", `{"n": 1}`},
		{"different route", "/other/a", `{"n": 1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := post(e, tc.path, "alice", "k1", tc.body)
			if rec.Code != 422 || problemCode(t, rec) != "idempotency_conflict" {
				t.Errorf("got %d %s, want 422 idempotency_conflict", rec.Code, rec.Body)
			}
		})
	}
	if runs.Load() != 1 {
		t.Errorf("handler ran %d times, want 1", runs.Load())
	}
}

func TestIdempotentConcurrentSameKeyRunsOnce(t *testing.T) {
	t.Parallel()
	e, runs, _ := idemServer(t)
	const n = 10
	recs := make([]*httptest.ResponseRecorder, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { recs[i] = post(e, "/things/a", "alice", "race", `{"n": 7, "slow": true}`) })
	}
	wg.Wait()
	if runs.Load() != 1 {
		t.Fatalf("handler ran %d times, want exactly 1", runs.Load())
	}
	var created string
	for i, rec := range recs {
		switch rec.Code {
		case 201:
			if created != "" && rec.Body.String() != created {
				t.Errorf("request %d: a different 201 body %q vs %q", i, rec.Body, created)
			}
			created = rec.Body.String()
		case 409:
			if problemCode(t, rec) != "idempotency_key_in_use" || rec.Header().Get("Retry-After") != "1" {
				t.Errorf("request %d: 409 %s Retry-After %q", i, rec.Body, rec.Header().Get("Retry-After"))
			}
		default:
			t.Errorf("request %d: status %d %s", i, rec.Code, rec.Body)
		}
	}
	if created == "" {
		t.Error("no request got the 201")
	}
}

func TestIdempotentKeysArePerPrincipal(t *testing.T) {
	t.Parallel()
	e, runs, _ := idemServer(t)
	a := post(e, "/things/a", "alice", "shared", `{"n": 1}`)
	b := post(e, "/things/a", "bob", "shared", `{"n": 1}`)
	if a.Code != 201 || b.Code != 201 || b.Header().Get(HeaderReplayed) != "" {
		t.Fatalf("alice %d, bob %d (replayed %q)", a.Code, b.Code, b.Header().Get(HeaderReplayed))
	}
	if a.Body.String() == b.Body.String() || runs.Load() != 2 {
		t.Errorf("bob got alice's response or handler ran %d times", runs.Load())
	}
	// A guest is scoped by the path's id: another cart is another principal.
	g1 := post(e, "/things/cart1", "", "shared", `{"n": 1}`)
	g2 := post(e, "/things/cart1", "", "shared", `{"n": 1}`)
	if g1.Code != 201 || g2.Header().Get(HeaderReplayed) != "true" || runs.Load() != 3 {
		t.Errorf("guest: %d then replayed %q, runs %d", g1.Code, g2.Header().Get(HeaderReplayed), runs.Load())
	}
}

func TestIdempotentStoresClientErrorsButNot5xxOr429(t *testing.T) {
	t.Parallel()
	e, runs, d := idemServer(t)
	// 409 with Retry-After says "try again": like 5xx and 429, not final.
	for _, status := range []string{"500", "429", "409"} {
		body := `{"status": ` + status + `}`
		first := post(e, "/things/a", "alice", "k"+status, body)
		again := post(e, "/things/a", "alice", "k"+status, body)
		if first.Header().Get(HeaderReplayed) != "" || again.Header().Get(HeaderReplayed) != "" {
			t.Errorf("%s was replayed", status)
		}
	}
	if runs.Load() != 6 {
		t.Errorf("handler ran %d times, want 6 (5xx, 429 and Retry-After retries re-execute)", runs.Load())
	}
	if n := keyRows(t, d); n != 0 {
		t.Errorf("%d key rows kept after 5xx/429/Retry-After, want 0", n)
	}
	first := post(e, "/things/a", "alice", "k422", `{"status": 422}`)
	again := post(e, "/things/a", "alice", "k422", `{"status": 422}`)
	if first.Code != 422 || again.Code != 422 || again.Header().Get(HeaderReplayed) != "true" ||
		again.Body.String() != first.Body.String() || runs.Load() != 7 {
		t.Errorf("4xx: %d/%d replayed %q runs %d", first.Code, again.Code, again.Header().Get(HeaderReplayed), runs.Load())
	}
	if ct := again.Header().Get(echo.HeaderContentType); ct != "application/problem+json" {
		t.Errorf("replayed problem Content-Type %q", ct)
	}
}

func TestIdempotentRejectsMissingOrMalformedKeys(t *testing.T) {
	t.Parallel()
	e, runs, d := idemServer(t)
	tests := []struct{ name, key, code string }{
		{"missing", "", "idempotency_key_required"},
		{"too long", strings.Repeat("k", 256), "invalid_idempotency_key"},
		{"non-ASCII", "clé", "invalid_idempotency_key"},
		{"control character", "a\tb", "invalid_idempotency_key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := post(e, "/things/a", "alice", tc.key, `{"n": 1}`)
			if rec.Code != 400 || problemCode(t, rec) != tc.code {
				t.Errorf("got %d %s, want 400 %s", rec.Code, rec.Body, tc.code)
			}
		})
	}
	if runs.Load() != 0 || keyRows(t, d) != 0 {
		t.Errorf("rejected requests ran the handler %d times / stored %d keys", runs.Load(), keyRows(t, d))
	}
	if rec := post(e, "/things/a", "alice", strings.Repeat("k", 255), `{"n": 1}`); rec.Code != 201 {
		t.Errorf("255-char key: %d %s", rec.Code, rec.Body)
	}
}
