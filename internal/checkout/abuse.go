package checkout

import (
	"context"
	"errors"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// Abuse limits (docs/checkout.md, docs/security.md), per 15-minute window. Only failures
// count, so shoppers who enter a right code or pay with a good card never
// meet them: a discount code that does not apply (guessing codes), and a
// declined payment (testing stolen cards). Over a limit, the request is 429
// rate_limited with Retry-After, before anything is looked up or charged.
const (
	CodeFailuresPerCart = 10
	CodeFailuresPerIP   = 30
	DeclinesPerCart     = 5
	DeclinesPerIP       = 15
)

func codeLimits(cartID string, m Meta) []auth.Limit {
	return limits("code", cartID, m.IP, CodeFailuresPerCart, CodeFailuresPerIP)
}

func declineLimits(cartID string, m Meta) []auth.Limit {
	return limits("decline", cartID, m.IP, DeclinesPerCart, DeclinesPerIP)
}

func limits(kind, cartID, ip string, perCart, perIP int) []auth.Limit {
	out := []auth.Limit{{Bucket: kind + ":cart:" + cartID, Max: perCart}}
	if ip != "" {
		out = append(out, auth.Limit{Bucket: kind + ":ip:" + ip, Max: perIP})
	}
	return out
}

// checkLimits refuses the attempt when a bucket is already full.
func (s *Service) checkLimits(ctx context.Context, l []auth.Limit) error {
	if s.limiter == nil {
		return nil
	}
	return s.limiter.Check(ctx, l...)
}

// countFailure records one failed attempt in every bucket. It runs outside
// the attempt's transaction (which rolled back) and never fails the request.
func (s *Service) countFailure(ctx context.Context, l []auth.Limit) {
	if s.limiter == nil {
		return
	}
	if _, err := s.limiter.Hit(context.WithoutCancel(ctx), l...); err != nil && !errors.Is(err, auth.ErrRateLimited) {
		s.log.ErrorContext(ctx, "count a failed attempt", "err", err)
	}
}

// isCodeFailure tells a code that does not apply from other failures
// (a completed cart, a database error), which do not count.
func isCodeFailure(err error) bool {
	e, ok := errs.As(err)
	return ok && strings.HasPrefix(e.Code, "promotion_")
}
