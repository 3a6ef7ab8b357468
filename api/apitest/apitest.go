// Package apitest drives the real Storekeep server over HTTP against a real
// database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set) and checks
// every response against openapi.yaml, so the contract cannot drift from the
// code: a status, header or body the contract does not describe fails the test.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"storekeep/api"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
)

// Harness is one test's running server and database.
type Harness struct {
	T      testing.TB
	DB     *db.DB
	Server *api.Server
	URL    string
	router routers.Router
	client *http.Client
	// clients are the per-client-IP HTTP clients (clientip.go).
	clients clientsByIP
}

// JWTSecret is the test servers' signing secret (payments' test provider
// derives its webhook secret from it).
var JWTSecret = []byte("test-secret-test-secret-test-secret!!")

// Option adjusts the server options before it is built.
type Option func(*api.Options)

// New starts a server on 127.0.0.1 over a fresh database.
func New(t testing.TB, opts ...Option) *Harness {
	t.Helper()
	return NewOn(t, dbtest.New(t), opts...)
}

// NewOn starts a server on 127.0.0.1 over d, a migrated database the test
// owns (the fault tests bring their own PostgreSQL, or SQLite on purpose).
func NewOn(t testing.TB, d *db.DB, opts ...Option) *Harness {
	t.Helper()
	o := api.Options{
		DB:        d,
		Log:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		JWTSecret: JWTSecret,
		OpenAPI:   specBytes(t),
		// Tests pay with the deterministic test provider (tok_visa, ...);
		// a test of the production default turns it off again.
		Payments: api.PaymentOptions{EnableTestProvider: true},
	}
	for _, opt := range opts {
		opt(&o)
	}
	srv, err := api.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Echo)
	t.Cleanup(ts.Close)
	// Cleanups run last-registered first: the sockets close (1001) before
	// the test server waits for its connections.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Close(ctx); err != nil {
			t.Errorf("closing the server's sockets: %v", err)
		}
	})
	return &Harness{T: t, DB: d, Server: srv, URL: ts.URL, router: specRouter(t, ts.URL), client: ts.Client()}
}

var (
	specOnce sync.Once
	specData []byte
	specDoc  *openapi3.T
	specErr  error
)

func loadSpec() {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			specErr = os.ErrNotExist
			return
		}
		dir = parent
	}
	specData, specErr = os.ReadFile(filepath.Join(dir, "openapi.yaml"))
	if specErr != nil {
		return
	}
	specDoc, specErr = openapi3.NewLoader().LoadFromData(specData)
	if specErr == nil {
		specErr = specDoc.Validate(context.Background())
	}
}

func specBytes(t testing.TB) []byte {
	specOnce.Do(loadSpec)
	if specErr != nil {
		t.Fatalf("openapi.yaml: %v (run go generate ./...)", specErr)
	}
	return specData
}

// specRouter builds a router over a copy of the spec served at url.
func specRouter(t testing.TB, url string) routers.Router {
	specBytes(t)
	doc := *specDoc
	doc.Servers = openapi3.Servers{{URL: url}}
	r, err := gorillamux.NewRouter(&doc)
	if err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	return r
}

// Request describes one call.
type Request struct {
	Method string
	Path   string
	// Body is marshalled to JSON unless it is a string or []byte (sent as is).
	Body   any
	Token  string
	Header map[string]string
	// ClientIP, when set, is the loopback address (127.0.0.2, 127.0.0.3, ...)
	// the request is sent from, so the server sees a different client.
	ClientIP string
}

// Response is what came back.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends r and validates the response against the contract.
func (h *Harness) Do(r Request) *Response {
	h.T.Helper()
	var body io.Reader
	var raw []byte
	switch b := r.Body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			h.T.Fatal(err)
		}
	}
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(r.Method, h.URL+r.Path, body)
	if err != nil {
		h.T.Fatal(err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	resp, err := h.clientFor(r.ClientIP).Do(req)
	if err != nil {
		h.T.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		h.T.Fatal(err)
	}
	res := &Response{Status: resp.StatusCode, Header: resp.Header, Body: out}
	h.validate(req, raw, res)
	return res
}

// Unvalidated lists paths that are not JSON API operations of the contract.
var Unvalidated = []string{"/metrics", "/docs", "/openapi.yaml", "/console"}

func (h *Harness) validate(req *http.Request, reqBody []byte, res *Response) {
	h.T.Helper()
	for _, p := range Unvalidated {
		if req.URL.Path == p || strings.HasPrefix(req.URL.Path, p+"/") {
			return
		}
	}
	// HEAD is not a separate operation of the contract: every GET route
	// answers it (web.Router.GET) with the GET's status and headers and no
	// body, so it is checked against the GET operation, body excepted.
	head := req.Method == http.MethodHead
	if head {
		if len(res.Body) > 0 {
			h.T.Errorf("HEAD %s -> %d has a body of %d bytes", req.URL.Path, res.Status, len(res.Body))
		}
		req = req.Clone(req.Context())
		req.Method = http.MethodGet
	}
	route, params, err := h.router.FindRoute(req)
	if err != nil {
		if res.Status == http.StatusNotFound || res.Status == http.StatusMethodNotAllowed {
			return // a route that does not exist answers 404/405 problem+json, checked by tests
		}
		h.T.Errorf("%s %s: not in openapi.yaml: %v", req.Method, req.URL.Path, err)
		return
	}
	method := req.Method
	if head {
		method = http.MethodHead
	}
	for _, name := range undeclaredHeaders(route.Operation, res) {
		h.T.Errorf("%s %s -> %d sends %s, which openapi.yaml does not declare for this answer", method, req.URL.Path, res.Status, name)
	}
	if reqBody != nil {
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: res.Status,
		Header: res.Header,
		Body:   io.NopCloser(bytes.NewReader(res.Body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
			ExcludeResponseBody:   head,
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		h.T.Errorf("%s %s -> %d does not match openapi.yaml: %v\nbody: %s", method, req.URL.Path, res.Status, err, truncate(res.Body))
	}
}

// ContractHeaders are the response headers the API sends on purpose: the
// contract must declare each where it is sent (openapi3filter checks only
// the headers a response declares, so an undeclared one would pass).
var ContractHeaders = []string{"X-Request-Id", "Retry-After", "Idempotent-Replayed", "ETag", "Content-Language", "Location"}

// undeclaredHeaders lists the ContractHeaders res carries that op does not
// declare for its status (or its default answer). It checks 304s too, which
// openapi3filter skips.
func undeclaredHeaders(op *openapi3.Operation, res *Response) []string {
	ref := op.Responses.Status(res.Status)
	if ref == nil {
		ref = op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return nil // an undeclared status is reported by the validator
	}
	var out []string
	for _, name := range ContractHeaders {
		if res.Header.Get(name) == "" {
			continue
		}
		if _, ok := ref.Value.Headers[name]; !ok {
			out = append(out, name)
		}
	}
	return out
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "..."
	}
	return string(b)
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", truncate(r.Body), err)
	}
}

// Problem is the decoded error body.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Code      string `json:"code"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// ExpectProblem checks r is a problem+json with status and code and returns it.
func (r *Response) ExpectProblem(t testing.TB, status int, code string) Problem {
	t.Helper()
	var p Problem
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body %s", r.Status, status, truncate(r.Body))
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	r.JSON(t, &p)
	if p.Code != code {
		t.Errorf("code = %q, want %q (detail %q)", p.Code, code, p.Detail)
	}
	if p.RequestID == "" {
		t.Error("problem has no request_id")
	}
	return p
}

// Expect fails unless r has the status.
func (r *Response) Expect(t testing.TB, status int) *Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body %s", r.Status, status, truncate(r.Body))
	}
	return r
}

// WindowAligned runs the server on a clock that keeps real time's pace but
// started at the beginning of the current rate-limit window (auth.DefaultWindow).
// A test that fills a per-window limit then cannot straddle a window
// boundary and see its count reset halfway.
func WindowAligned(o *api.Options) {
	start := time.Now()
	base := start.Truncate(auth.DefaultWindow)
	o.Now = func() time.Time { return base.Add(time.Since(start)) }
}
