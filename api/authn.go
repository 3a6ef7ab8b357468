package api

import (
	"context"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// authenticator resolves bearer credentials; the auth work replaces this stub.
type authenticator struct{}

func newAuthenticator(Options) *authenticator { return &authenticator{} }

func (authenticator) Authenticate(context.Context, string, string) (auth.Actor, error) {
	return auth.Actor{}, errs.ErrAuth
}
