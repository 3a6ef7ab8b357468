package web

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/channel"
)

func cacheServer(t *testing.T, gen *atomic.Uint64, now *time.Time) (*echo.Echo, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	ca := NewCache(time.Second, 10, gen.Load)
	ca.now = func() time.Time { return *now }
	e := echo.New()
	e.HTTPErrorHandler = ErrorHandler(discardLogger())
	e.GET("/p", func(c echo.Context) error {
		n := calls.Add(1)
		if c.QueryParam("fail") != "" {
			return ErrBodyTooLarge
		}
		return c.JSON(http.StatusOK, map[string]int64{"call": n})
	}, ca.Middleware())
	return e, &calls
}

func get(e *echo.Echo, target string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestCacheServesHitsUntilWriteOrExpiry(t *testing.T) {
	var gen atomic.Uint64
	now := time.Unix(1000, 0)
	e, calls := cacheServer(t, &gen, &now)

	first := get(e, "/p?a=1&b=2", nil)
	second := get(e, "/p?b=2&a=1", nil) // same query, other order: a hit
	if calls.Load() != 1 || first.Body.String() != second.Body.String() {
		t.Fatalf("calls = %d; bodies %q / %q", calls.Load(), first.Body, second.Body)
	}
	etag := first.Header().Get("ETag")
	if etag == "" || second.Header().Get("ETag") != etag {
		t.Fatalf("ETags %q / %q", etag, second.Header().Get("ETag"))
	}
	if r := get(e, "/p?a=1&b=2", map[string]string{"If-None-Match": etag}); r.Code != http.StatusNotModified || r.Body.Len() != 0 {
		t.Errorf("If-None-Match: status %d body %q", r.Code, r.Body)
	}
	if get(e, "/p?a=1&b=2", map[string]string{"Authorization": "Bearer x"}); calls.Load() != 2 {
		t.Error("a request with a credential was served from the cache")
	}
	gen.Add(1) // a catalog write
	if get(e, "/p?a=1&b=2", nil); calls.Load() != 3 {
		t.Error("a write did not invalidate the cache")
	}
	now = now.Add(2 * time.Second)
	if get(e, "/p?a=1&b=2", nil); calls.Load() != 4 {
		t.Error("an expired entry was served")
	}
}

func TestCacheDoesNotStoreErrors(t *testing.T) {
	var gen atomic.Uint64
	now := time.Unix(1000, 0)
	e, calls := cacheServer(t, &gen, &now)
	for range 2 {
		r := get(e, "/p?fail=1", nil)
		if r.Code != http.StatusRequestEntityTooLarge || r.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("error response: %d %q", r.Code, r.Header().Get("Content-Type"))
		}
	}
	if calls.Load() != 2 {
		t.Errorf("calls = %d, want 2: an error was cached", calls.Load())
	}
}

// A page cached for one sales channel is never served to another: the
// channel decides which products and how much stock the page shows.
func TestCacheKeysOnTheSalesChannel(t *testing.T) {
	var gen atomic.Uint64
	now := time.Unix(1000, 0)
	e, calls := cacheServer(t, &gen, &now)
	e.Pre(func(next echo.HandlerFunc) echo.HandlerFunc { // what the channels middleware does
		return func(c echo.Context) error {
			if id := c.Request().Header.Get("X-Channel"); id != "" {
				ctx := channel.NewContext(c.Request().Context(), channel.Scope{ID: id})
				c.SetRequest(c.Request().WithContext(ctx))
			}
			return next(c)
		}
	})
	a := get(e, "/p", map[string]string{"X-Channel": "sc_a"})
	if again := get(e, "/p", map[string]string{"X-Channel": "sc_a"}); calls.Load() != 1 || again.Body.String() != a.Body.String() {
		t.Fatalf("channel A twice: %d calls", calls.Load())
	}
	b := get(e, "/p", map[string]string{"X-Channel": "sc_b"})
	if calls.Load() != 2 || b.Body.String() == a.Body.String() {
		t.Errorf("channel B was served channel A's cached page (calls %d, bodies %q / %q)", calls.Load(), a.Body, b.Body)
	}
}
