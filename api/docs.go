package api

import (
	"embed"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
)

// docsUI is the browsable reference: Swagger UI (vendored from npm's
// swagger-ui-dist, see docsui/README.md) and the two small files that point it
// at /openapi.yaml. It is embedded so /docs works offline, from a fresh clone.
//
//go:embed docsui/index.html docsui/docs.js docsui/swagger-ui-bundle.js docsui/swagger-ui.css
var docsUI embed.FS

// docsCSP relaxes the server-wide "default-src 'none'" for the docs page only:
// Swagger UI needs its own scripts and styles (it sets inline styles), data:
// images for its icons and same-origin fetches for the spec and "Try it out".
// Nothing is loaded from another origin.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// docsTypes are the content types of the embedded assets (nosniff is on).
var docsTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// registerDocs serves the contract and a browsable reference.
func registerDocs(r *web.Router, spec []byte) {
	r.GET("/openapi.yaml", web.Public, func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/yaml", spec)
	})
	r.GET("/docs", web.Public, docsPage)
	r.GET("/docs/", web.Public, func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, "/docs")
	})
	r.GET("/docs/assets/:name", web.Public, docsAsset)
}

func docsPage(c echo.Context) error {
	page, err := docsUI.ReadFile("docsui/index.html")
	if err != nil {
		return err
	}
	// The security middleware has already set the global CSP; this response
	// replaces it before anything is written.
	h := c.Response().Header()
	h.Set(echo.HeaderContentSecurityPolicy, docsCSP)
	h.Set(echo.HeaderCacheControl, "no-cache")
	return c.HTMLBlob(http.StatusOK, page)
}

func docsAsset(c echo.Context) error {
	name := c.Param("name")
	ctype, ok := docsTypes[path.Ext(name)]
	if !ok {
		return echo.ErrNotFound
	}
	body, err := docsUI.ReadFile("docsui/" + name)
	if err != nil {
		return echo.ErrNotFound // embed.FS refuses "..", so this is only a miss
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentSecurityPolicy, docsCSP)
	// Assets change only with a release of the binary; an hour keeps reloads
	// cheap without pinning an old Swagger UI in browsers for long.
	h.Set(echo.HeaderCacheControl, "public, max-age=3600")
	return c.Blob(http.StatusOK, ctype, body)
}
