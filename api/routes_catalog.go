package api

import "storekeep/api/web"

// registerCatalog wires the catalog to the store and admin routes.
func registerCatalog(r *web.Router, opts Options) error { return nil }
