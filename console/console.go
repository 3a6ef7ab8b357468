// Package console holds the staff console: static files (HTML, CSS and plain
// JavaScript modules, no build step) embedded in the binary and served by
// api/console.go at /console. The page talks to the public API only, exactly
// as any other client would (docs/console.md).
//
// The browser test, under test/, is a Node package of its own; it is not
// embedded.
package console

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"path"
)

// The chart library is vendored from npm (uplot, version in
// vendor/uplot/VERSION, its LICENSE beside it): no CDN, the CSP allows only
// this origin.
//
//go:embed index.html app.css *.js vendor/uplot/uPlot.iife.min.js vendor/uplot/uPlot.min.css
var files embed.FS

// vendorDir holds the vendored chart library, served under
// /console/assets/vendor/uplot/.
const vendorDir = "vendor/uplot"

// Asset is one embedded file with what serving it needs.
type Asset struct {
	Body        []byte
	ContentType string
	// ETag is a strong validator over Body: the files change only with a
	// release of the binary, so it is computed once.
	ETag string
}

var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
}

var assets = load()

func load() map[string]Asset {
	out := map[string]Asset{}
	for _, dir := range []string{".", vendorDir} {
		entries, err := files.ReadDir(dir)
		if err != nil {
			panic(err) // the embedded directories are always readable
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			name := path.Join(dir, e.Name())
			body, err := files.ReadFile(name)
			if err != nil {
				panic(err)
			}
			sum := sha256.Sum256(body)
			out[name] = Asset{Body: body, ContentType: types[path.Ext(name)],
				ETag: `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`}
		}
	}
	return out
}

// Page is the console's HTML document.
func Page() Asset { return assets["index.html"] }

// Lookup returns the script or style sheet called name ("app.js", or
// "vendor/uplot/uPlot.min.css" for the chart library); the page itself is
// not an asset, and any other name is a miss.
func Lookup(name string) (Asset, bool) {
	if name == "index.html" {
		return Asset{}, false
	}
	a, ok := assets[name]
	return a, ok
}
