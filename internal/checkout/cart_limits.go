package checkout

import (
	"context"
	"time"

	"storekeep/internal/platform/auth"
)

// Defaults of the cart limits (docs/checkout.md "Cart creation limit" and
// "Guest cart cleanup").
const (
	// DefaultCartCreateLimit is how many carts one client IP may create per
	// 15-minute window: carts are rows anyone can make without signing in.
	DefaultCartCreateLimit = 100
	// DefaultGuestCartTTL is how long an open guest cart may sit untouched
	// before the cleanup job deletes it.
	DefaultGuestCartTTL = 30 * 24 * time.Hour
)

// WithCartLimits sets how many carts one client IP may create per window
// (createPerIP) and after how long untouched open guest carts are deleted
// (guestTTL). For each, 0 means the default and a negative value turns it
// off. Cart creation is limited only with a limiter (WithLimiter).
func WithCartLimits(createPerIP int, guestTTL time.Duration) Option {
	return func(s *Service) { s.cartCreateLimit, s.guestCartTTL = createPerIP, guestTTL }
}

// createLimit is the carts one client IP may create per window; 0: no limit.
func (s *Service) createLimit() int {
	switch {
	case s.cartCreateLimit < 0:
		return 0
	case s.cartCreateLimit == 0:
		return DefaultCartCreateLimit
	}
	return s.cartCreateLimit
}

// guestTTL is the idle age after which guest carts go; 0: never.
func (s *Service) guestTTL() time.Duration {
	switch {
	case s.guestCartTTL < 0:
		return 0
	case s.guestCartTTL == 0:
		return DefaultGuestCartTTL
	}
	return s.guestCartTTL
}

// countCartCreation counts a cart creation by client ip and refuses it, 429
// rate_limited with Retry-After until the window ends, past the limit.
// Every creation counts, successful or not: the limit is on rows made.
func (s *Service) countCartCreation(ctx context.Context, ip string) error {
	n := s.createLimit()
	if s.limiter == nil || n == 0 {
		return nil
	}
	_, err := s.limiter.Hit(ctx, auth.Limit{Bucket: "cart:ip:" + ip, Max: n})
	return err
}
