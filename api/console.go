package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/console"
)

// consoleCSP relaxes the server-wide "default-src 'none'" for the staff
// console only: its own scripts and style sheets, and same-origin fetches and
// WebSockets ('self' covers ws: and wss: to this host). No inline script or
// style, nothing from another origin, no framing.
const consoleCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// registerConsole serves the staff console (docs/console.md). The files are
// public: everything they show comes from API calls made with the staff
// member's own token.
func registerConsole(r *web.Router) {
	r.GET("/console", web.Public, func(c echo.Context) error { return serveConsole(c, console.Page()) })
	r.GET("/console/", web.Public, func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, "/console")
	})
	r.GET("/console/assets/:name", web.Public, func(c echo.Context) error {
		a, ok := console.Lookup(c.Param("name"))
		if !ok {
			return echo.ErrNotFound
		}
		return serveConsole(c, a)
	})
	r.GET("/console/assets/vendor/uplot/:name", web.Public, func(c echo.Context) error {
		a, ok := console.Lookup("vendor/uplot/" + c.Param("name"))
		if !ok {
			return echo.ErrNotFound
		}
		return serveConsole(c, a)
	})
}

// serveConsole writes a console file. Names carry no version, so browsers
// revalidate every time (no-cache) and get 304 while the binary is the same:
// a new release never runs with a cached script of the old one.
func serveConsole(c echo.Context, a console.Asset) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentSecurityPolicy, consoleCSP)
	h.Set(echo.HeaderCacheControl, "no-cache")
	h.Set("ETag", a.ETag)
	if etagMatches(c.Request().Header.Get("If-None-Match"), a.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, a.ContentType, a.Body)
}

// etagMatches reports whether an If-None-Match header names etag (a list,
// or "*").
func etagMatches(header, etag string) bool {
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimSpace(v)
		if v == "*" || strings.TrimPrefix(v, "W/") == etag {
			return true
		}
	}
	return false
}
