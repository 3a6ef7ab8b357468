package api_test

import (
	"net/http"
	"strings"
	"testing"

	"storekeep/api/apitest"
)

// The reference at /docs must render from this server alone: the page, its
// scripts and styles are embedded, and its CSP allows nothing from elsewhere.
func TestDocsPageIsServedWithItsAssets(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)

	page := h.Do(apitest.Request{Method: http.MethodGet, Path: "/docs"}).Expect(t, http.StatusOK)
	if ct := page.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("/docs Content-Type = %q, want text/html", ct)
	}
	csp := page.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "style-src 'self' 'unsafe-inline'", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("/docs CSP %q lacks %q", csp, want)
		}
	}

	assets := []struct {
		path, ctype, contains string
	}{
		{"/docs/assets/swagger-ui-bundle.js", "text/javascript", "SwaggerUIBundle"},
		{"/docs/assets/swagger-ui.css", "text/css", ".swagger-ui"},
		{"/docs/assets/docs.js", "text/javascript", `url: "/openapi.yaml"`},
	}
	for _, a := range assets {
		t.Run(a.path, func(t *testing.T) {
			if !strings.Contains(string(page.Body), `"`+a.path+`"`) {
				t.Errorf("/docs does not reference %s:\n%s", a.path, page.Body)
			}
			res := h.Do(apitest.Request{Method: http.MethodGet, Path: a.path}).Expect(t, http.StatusOK)
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, a.ctype) {
				t.Errorf("Content-Type = %q, want %s", ct, a.ctype)
			}
			if !strings.Contains(string(res.Body), a.contains) {
				t.Errorf("body lacks %q", a.contains)
			}
		})
	}
}

func TestDocsAssetsAreOnlyTheEmbeddedFiles(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	for _, path := range []string{
		"/docs/assets/index.html",
		"/docs/assets/nope.js",
		"/docs/assets/..%2fdocs.go",
		"/docs/assets/README.md",
	} {
		t.Run(path, func(t *testing.T) {
			h.Do(apitest.Request{Method: http.MethodGet, Path: path}).ExpectProblem(t, http.StatusNotFound, "not_found")
		})
	}
}

// The relaxed policy belongs to the docs alone; API responses keep the strict one.
func TestDocsCSPDoesNotLeakToTheAPI(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	res := h.Do(apitest.Request{Method: http.MethodGet, Path: "/healthz"}).Expect(t, http.StatusOK)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("/healthz CSP = %q, want the strict default-src 'none' policy", csp)
	}
}

func TestDocsTrailingSlashRedirects(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(h.URL + "/docs/")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/docs" {
		t.Errorf("GET /docs/ = %d Location %q, want 301 to /docs", res.StatusCode, res.Header.Get("Location"))
	}
}
