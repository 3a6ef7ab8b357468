package api_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
)

// headIgnored are the headers a HEAD answer may legitimately lack or have
// with another value than its GET: per-request ids and dates, and how the
// (absent) body is framed.
var headIgnored = map[string]bool{"Date": true, "X-Request-Id": true, "Content-Length": true, "Transfer-Encoding": true}

// identity turns gzip off for both requests of a pair: Go's client asks for
// gzip on GET only (and then hides Content-Encoding), which would make the
// two answers differ for a reason that is the client's, not the server's.
var identity = map[string]string{"Accept-Encoding": "identity"}

// sameHead checks that a HEAD answer is its GET's status and headers.
func sameHead(t *testing.T, name string, get, head *apitest.Response) {
	t.Helper()
	if head.Status != get.Status {
		t.Errorf("%s: HEAD %d, GET %d", name, head.Status, get.Status)
		return
	}
	headers := func(r *apitest.Response) map[string]string {
		out := map[string]string{}
		for k, v := range r.Header {
			if !headIgnored[k] {
				out[k] = strings.Join(v, ", ")
			}
		}
		return out
	}
	if d := cmp.Diff(headers(get), headers(head)); d != "" {
		t.Errorf("%s: HEAD headers differ from GET's (-GET +HEAD):\n%s", name, d)
	}
}

// TestHeadAnswersWhereGetDoes is issue 9's item 12: HEAD on the docs, the
// contract, health and the catalog is the GET's answer without its body,
// not 405; it goes through the same policy (a route that needs a token
// refuses a HEAD without one) and the catalog cache (same ETag, 304 on a
// matching If-None-Match).
func TestHeadAnswersWhereGetDoes(t *testing.T) {
	t.Parallel()
	s := newShop(t, 5, 5)
	h := s.h
	customer := h.NewCustomer(t).AccessToken
	var products struct {
		Data []struct {
			Handle string `json:"handle"`
		} `json:"data"`
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?limit=1"}).Expect(t, http.StatusOK).JSON(t, &products)
	handle := products.Data[0].Handle
	cases := []struct {
		path, token string
		status      int
	}{
		{"/healthz", "", http.StatusOK},
		{"/readyz", "", http.StatusOK},
		{"/openapi.yaml", "", http.StatusOK},
		{"/docs", "", http.StatusOK},
		{"/docs/assets/docs.js", "", http.StatusOK},
		{"/console", "", http.StatusOK},
		{"/console/assets/app.js", "", http.StatusOK},
		{"/v1/store/products?limit=2&locale=fr", "", http.StatusOK},
		{"/v1/store/products/" + handle + "?currency=EUR", "", http.StatusOK},
		{"/v1/store/categories", "", http.StatusOK},
		{"/v1/store/products/no-such-product", "", http.StatusNotFound},
		{"/v1/store/customers/me", customer, http.StatusOK},
		{"/v1/store/customers/me", "", http.StatusUnauthorized},
		{"/v1/admin/orders", customer, http.StatusForbidden},
		{"/v1/admin/orders", s.manager, http.StatusOK},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s (token %t)", c.path, c.token != "")
		get := h.Do(apitest.Request{Method: http.MethodGet, Path: c.path, Token: c.token, Header: identity})
		head := h.Do(apitest.Request{Method: http.MethodHead, Path: c.path, Token: c.token, Header: identity})
		if head.Status != c.status {
			t.Errorf("%s: HEAD %d, want %d", name, head.Status, c.status)
		}
		sameHead(t, name, get, head)
	}

	// The cache answers HEAD from the entry GET made, and honours its ETag.
	list := h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?limit=2"}).Expect(t, http.StatusOK)
	etag := list.Header.Get("ETag")
	if etag == "" {
		t.Fatal("the catalog list has no ETag")
	}
	head := h.Do(apitest.Request{Method: http.MethodHead, Path: "/v1/store/products?limit=2"}).Expect(t, http.StatusOK)
	if got := head.Header.Get("ETag"); got != etag {
		t.Errorf("HEAD ETag = %q, GET's %q", got, etag)
	}
	h.Do(apitest.Request{Method: http.MethodHead, Path: "/v1/store/products?limit=2",
		Header: map[string]string{"If-None-Match": etag}}).Expect(t, http.StatusNotModified)

	// No body on the wire (Go's client would hide one: read the raw answer).
	for _, path := range []string{"/openapi.yaml", "/v1/store/products?limit=2", "/v1/store/products/no-such-product"} {
		if n := rawHeadBodyBytes(t, h.URL, path); n != 0 {
			t.Errorf("HEAD %s sent %d body bytes", path, n)
		}
	}
}

// rawHeadBodyBytes sends HEAD path on its own connection and counts what
// follows the header block before the server closes it.
func rawHeadBodyBytes(t *testing.T, base, path string) int {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "HEAD %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, u.Host)
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("HEAD %s: %v", path, err)
		}
		if line == "\r\n" {
			break
		}
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return len(rest)
}

// TestEveryGetRouteAnswersHead walks the router's table: every GET route
// is also a HEAD route with the same policy (and there is no HEAD without
// its GET), and, sent with the credential its policy admits and real ids,
// HEAD gets the GET's status and headers.
func TestEveryGetRouteAnswersHead(t *testing.T) {
	t.Parallel()
	fx := newFuzzFixture(t)
	byRoute := map[string]map[string]string{} // path -> method -> policy name
	for _, r := range fx.h.Server.Router.Routes() {
		if byRoute[r.Path] == nil {
			byRoute[r.Path] = map[string]string{}
		}
		byRoute[r.Path][r.Method] = r.Policy.Name
	}
	paths := make([]string, 0, len(byRoute))
	for p := range byRoute {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	checked := 0
	for _, path := range paths {
		m := byRoute[path]
		get, hasGet := m[http.MethodGet]
		head, hasHead := m[http.MethodHead]
		if hasGet != hasHead || get != head {
			t.Errorf("%s: GET policy %q (%t), HEAD policy %q (%t)", path, get, hasGet, head, hasHead)
			continue
		}
		if !hasGet || path == "/metrics" { // /metrics: tested in metrics_access_test.go
			continue
		}
		pol, _ := fx.h.Server.Router.PolicyFor(http.MethodGet, path)
		real := fx.realPath(path)
		for _, tok := range fx.tokens(pol) {
			name := fmt.Sprintf("%s as %q", real, tok)
			g := fx.h.Do(apitest.Request{Method: http.MethodGet, Path: real, Token: tok, Header: identity})
			hd := fx.h.Do(apitest.Request{Method: http.MethodHead, Path: real, Token: tok, Header: identity})
			sameHead(t, name, g, hd)
			checked++
		}
	}
	if checked < 40 {
		t.Errorf("only %d GET routes checked", checked)
	}
}

// realPath fills every path parameter with the fixture's value.
func (fx *fuzzFixture) realPath(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || s == "*" {
			segs[i] = fx.paramValue(path, i)
		}
	}
	return strings.Join(segs, "/")
}
