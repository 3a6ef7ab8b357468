package storekeep

import (
	"context"
	"net/http"
)

// BearerToken returns a request editor that authenticates every request with
// token: a customer or staff access token from the /v1/auth routes, or a
// secret API key (sk_...). Pass it to WithRequestEditorFn for a client that
// always sends it, or to a single call. The generated client does not apply
// the contract's security schemes itself, so this sets the header.
func BearerToken(token string) RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}
