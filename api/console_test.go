package api_test

import (
	"net/http"
	"strings"
	"testing"

	"storekeep/api/apitest"
)

// The console is served from the binary alone, with a CSP that lets its own
// scripts, styles, fetches and sockets through and nothing else.
func TestConsolePageIsServedWithItsAssets(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)

	page := h.Do(apitest.Request{Method: http.MethodGet, Path: "/console"}).Expect(t, http.StatusOK)
	if ct := page.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("/console Content-Type = %q, want text/html", ct)
	}
	csp := page.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("/console CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-") {
		t.Errorf("/console CSP %q allows unsafe sources", csp)
	}

	for _, a := range []struct{ path, ctype, contains string }{
		{"/console/assets/app.js", "text/javascript", "InboxSocket"},
		{"/console/assets/api.js", "text/javascript", "/v1/auth/refresh"},
		{"/console/assets/socket.js", "text/javascript", "/v1/admin/support/ws"},
		{"/console/assets/dom.js", "text/javascript", "textContent"},
		{"/console/assets/app.css", "text/css", ".conversation-list"},
		{"/console/assets/dashboard.js", "text/javascript", "/v1/admin/metrics/kpis"},
		{"/console/assets/vendor/uplot/uPlot.iife.min.js", "text/javascript", "uPlot"},
		{"/console/assets/vendor/uplot/uPlot.min.css", "text/css", ".uplot"},
	} {
		t.Run(a.path, func(t *testing.T) {
			res := h.Do(apitest.Request{Method: http.MethodGet, Path: a.path}).Expect(t, http.StatusOK)
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, a.ctype) {
				t.Errorf("Content-Type = %q, want %s", ct, a.ctype)
			}
			if !strings.Contains(string(res.Body), a.contains) {
				t.Errorf("body lacks %q", a.contains)
			}
			if res.Header.Get("Content-Security-Policy") != csp {
				t.Errorf("CSP = %q, want the page's", res.Header.Get("Content-Security-Policy"))
			}
		})
	}
	// The page loads its entry module and style sheet from the assets.
	for _, ref := range []string{`src="/console/assets/app.js"`, `href="/console/assets/app.css"`} {
		if !strings.Contains(string(page.Body), ref) {
			t.Errorf("/console lacks %s", ref)
		}
	}
	// No inline script: the CSP would block it.
	if strings.Count(string(page.Body), "<script") != strings.Count(string(page.Body), "<script type=\"module\" src=") {
		t.Error("/console has an inline script")
	}
}

// Files are revalidated on every load and answered 304 while unchanged, so a
// new release never runs with a cached script of the previous one.
func TestConsoleRevalidatesWithETag(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	for _, path := range []string{"/console", "/console/assets/app.js"} {
		res := h.Do(apitest.Request{Method: http.MethodGet, Path: path}).Expect(t, http.StatusOK)
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s Cache-Control = %q, want no-cache", path, cc)
		}
		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Fatalf("%s has no ETag", path)
		}
		again := h.Do(apitest.Request{Method: http.MethodGet, Path: path, Header: map[string]string{"If-None-Match": etag}})
		if again.Status != http.StatusNotModified || len(again.Body) != 0 {
			t.Errorf("%s If-None-Match: %d with %d bytes, want 304 and no body", path, again.Status, len(again.Body))
		}
		other := h.Do(apitest.Request{Method: http.MethodGet, Path: path, Header: map[string]string{"If-None-Match": `"stale"`}})
		if other.Status != http.StatusOK {
			t.Errorf("%s with a stale ETag: %d, want 200", path, other.Status)
		}
	}
}

func TestConsoleAssetsAreOnlyTheEmbeddedFiles(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	for _, path := range []string{
		"/console/assets/index.html",
		"/console/assets/nope.js",
		"/console/assets/..%2fconsole.go",
		"/console/assets/console.go",
		"/console/assets/test",
		"/console/assets/vendor/uplot/LICENSE",
		"/console/assets/vendor/uplot/VERSION",
		"/console/assets/vendor/uplot/app.js",
		"/console/assets/vendor/uplot/..%2f..%2fapp.js",
		"/console/assets/uPlot.min.css",
	} {
		t.Run(path, func(t *testing.T) {
			h.Do(apitest.Request{Method: http.MethodGet, Path: path}).ExpectProblem(t, http.StatusNotFound, "not_found")
		})
	}
}

// The console's policy is its own: the API and the docs keep theirs.
func TestConsoleCSPStaysOnTheConsole(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	res := h.Do(apitest.Request{Method: http.MethodGet, Path: "/healthz"}).Expect(t, http.StatusOK)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("/healthz CSP = %q, want the strict default-src 'none' policy", csp)
	}
	docs := h.Do(apitest.Request{Method: http.MethodGet, Path: "/docs"}).Expect(t, http.StatusOK)
	if csp := docs.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "'unsafe-inline'") {
		t.Errorf("/docs CSP = %q, want the docs' own policy", csp)
	}
}

func TestConsoleTrailingSlashRedirects(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(h.URL + "/console/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/console" {
		t.Errorf("/console/ -> %d %q, want 301 to /console", res.StatusCode, res.Header.Get("Location"))
	}
}
