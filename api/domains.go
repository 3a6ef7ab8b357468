package api

import "storekeep/api/web"

// registerDomains wires every domain service to its routes.
func registerDomains(r *web.Router, opts Options) error {
	return nil
}
