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

//go:embed index.html app.css *.js
var files embed.FS

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
	entries, err := files.ReadDir(".")
	if err != nil {
		panic(err) // the embedded directory is always readable
	}
	out := make(map[string]Asset, len(entries))
	for _, e := range entries {
		body, err := files.ReadFile(e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		out[e.Name()] = Asset{Body: body, ContentType: types[path.Ext(e.Name())],
			ETag: `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`}
	}
	return out
}

// Page is the console's HTML document.
func Page() Asset { return assets["index.html"] }

// Lookup returns the script or style sheet called name ("app.js"); the page
// itself is not an asset, and any other name is a miss.
func Lookup(name string) (Asset, bool) {
	if name == "index.html" {
		return Asset{}, false
	}
	a, ok := assets[name]
	return a, ok
}
