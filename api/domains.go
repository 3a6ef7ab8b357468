package api

import "storekeep/api/web"

// registerDomains wires every domain service to its routes. Each domain's
// wiring lives in its own routes_<domain>.go file.
func registerDomains(r *web.Router, opts Options) error {
	if err := registerAuth(r, opts); err != nil {
		return err
	}
	return registerCatalog(r, opts)
}
