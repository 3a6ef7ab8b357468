package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/channel"
)

// Cache is a small in-process cache for anonymous GET responses of public
// catalog routes. Entries live for TTL and are keyed by the full query, the
// Accept-Language header and a generation number that the owning service bumps
// on every write, so a write on this node is visible at once and a write on
// another node within TTL. Requests that carry a credential are never cached,
// so no customer-specific body can leak to another caller. Entries are per
// sales channel (the scope in the request's context), so one channel never
// gets another's products or stock.
type Cache struct {
	ttl        time.Duration
	max        int
	generation func() uint64
	now        func() time.Time

	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	body    []byte
	header  http.Header
	etag    string
	expires time.Time
}

// NewCache returns a cache holding at most max entries for ttl each.
func NewCache(ttl time.Duration, max int, generation func() uint64) *Cache {
	return &Cache{ttl: ttl, max: max, generation: generation, now: time.Now, entries: map[string]cacheEntry{}}
}

// Middleware serves hits from the cache and stores 200 responses. Every 200
// gets a strong ETag, and a matching If-None-Match gets 304 Not Modified.
// HEAD is served like GET (from the same entries, with the same ETag), so a
// HEAD answer carries the headers the GET would.
func (ca *Cache) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if (req.Method != http.MethodGet && req.Method != http.MethodHead) || req.Header.Get(echo.HeaderAuthorization) != "" {
				return next(c)
			}
			key := ca.key(req)
			if e, ok := ca.get(key); ok {
				return e.write(c)
			}
			// Buffer the body so this very response can carry the ETag too.
			rec := &recorder{ResponseWriter: c.Response().Writer, status: http.StatusOK}
			c.Response().Writer = rec
			err := next(c)
			c.Response().Writer = rec.ResponseWriter
			if !rec.wrote {
				return err // nothing written: the error handler renders err
			}
			if err != nil || rec.status != http.StatusOK {
				rec.flush()
				return err
			}
			e := cacheEntry{body: rec.buf.Bytes(), header: c.Response().Header().Clone(), expires: ca.now().Add(ca.ttl)}
			sum := sha256.Sum256(e.body)
			e.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
			ca.put(key, e)
			c.Response().Committed = false
			return e.write(c)
		}
	}
}

func (ca *Cache) key(r *http.Request) string {
	q := r.URL.Query() // url.Values.Encode sorts keys, so ?a&b and ?b&a share an entry
	// The sales channel (from X-Publishable-Key, resolved before this runs)
	// decides which products and how much stock a page shows, so each
	// channel has entries of its own. Keyed on the channel, not on the raw
	// header: every key of one channel shares them.
	sc, _ := channel.FromContext(r.Context())
	return strconv.FormatUint(ca.generation(), 10) + "|" + sc.ID + "|" + r.URL.Path + "?" + q.Encode() +
		"|" + r.Header.Get("Accept-Language")
}

func (ca *Cache) get(key string) (cacheEntry, bool) {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	e, ok := ca.entries[key]
	if !ok || ca.now().After(e.expires) {
		return cacheEntry{}, false
	}
	return e, true
}

func (ca *Cache) put(key string, e cacheEntry) {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if len(ca.entries) >= ca.max {
		// Drop expired entries first; if none, drop an arbitrary one. Map
		// iteration order is random, which is a fair enough eviction here.
		now := ca.now()
		for k, old := range ca.entries {
			if now.After(old.expires) {
				delete(ca.entries, k)
			}
		}
		for k := range ca.entries {
			if len(ca.entries) < ca.max {
				break
			}
			delete(ca.entries, k)
		}
	}
	ca.entries[key] = e
}

func (e cacheEntry) write(c echo.Context) error {
	h := c.Response().Header()
	for k, v := range e.header {
		if k == echo.HeaderXRequestID {
			continue // the request id is this request's, not the cached one's
		}
		h[k] = v
	}
	h.Set("ETag", e.etag)
	if match := c.Request().Header.Get("If-None-Match"); match != "" && match == e.etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, h.Get(echo.HeaderContentType), e.body)
}

// recorder buffers a handler's response so it can be cached and given an ETag.
type recorder struct {
	http.ResponseWriter
	buf    bytes.Buffer
	status int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) { r.status, r.wrote = code, true }

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.buf.Write(b)
}

// flush sends a response that is not cached (an error or non-200) as is.
func (r *recorder) flush() {
	r.ResponseWriter.WriteHeader(r.status)
	_, _ = r.ResponseWriter.Write(r.buf.Bytes())
}
