package api

import "storekeep/api/web"

// registerAuth wires accounts, staff, API keys and tokens.
func registerAuth(r *web.Router, opts Options) error { return nil }
