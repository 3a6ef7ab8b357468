package api

import (
	"context"
	"errors"
	"strings"

	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/staff"
)

// authenticator resolves bearer credentials for the router: "sk_..." is a
// secret API key (admin API only); anything else must be a JWT for the
// route's audience. Every failure is a 401 problem, a genuine credential for
// the other API a 403, and nothing here ever turns into a 500 for the client
// except a database failure.
type authenticator struct {
	tokens *auth.Tokens
	staff  *staff.Service
	err    error
}

var _ web.Authenticator = (*authenticator)(nil)

// newAuthenticator builds the authenticator from the server options. A bad
// secret is reported by registerAuth, which api.New returns; until then every
// credential is refused.
func newAuthenticator(opts Options) *authenticator {
	t, err := auth.NewTokens(opts.JWTSecret, opts.Now)
	return &authenticator{tokens: t, staff: staff.NewService(opts.DB, nil, nil, opts.Now), err: err}
}

// Authenticate implements web.Authenticator.
func (a *authenticator) Authenticate(ctx context.Context, credential, audience string) (auth.Actor, error) {
	if a.err != nil {
		return auth.Actor{}, auth.ErrInvalidToken
	}
	if strings.HasPrefix(credential, staff.KeyPrefix) {
		actor, err := a.staff.AuthenticateKey(ctx, credential)
		if err != nil {
			return auth.Actor{}, refuse(err)
		}
		if audience != web.AudienceAdmin {
			return auth.Actor{}, auth.ErrWrongAudience
		}
		return actor, nil
	}
	claims, err := a.tokens.Verify(credential, audience)
	if err != nil {
		return auth.Actor{}, err
	}
	sub := claims.Subject()
	if sub.Kind == auth.Staff {
		actor, err := a.staff.Principal(ctx, sub.ID, sub.Version)
		if err != nil {
			return auth.Actor{}, refuse(err)
		}
		return actor, nil
	}
	return auth.Actor{Kind: sub.Kind, ID: sub.ID}, nil
}

// refuse passes domain 401s through and keeps real failures (database down)
// as they are, so they are logged and answered as such.
func refuse(err error) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.Unauthenticated {
		return err
	}
	if errors.Is(err, staff.ErrNotFound) {
		return auth.ErrInvalidToken
	}
	return err
}
