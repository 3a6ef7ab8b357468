package support

import (
	"context"

	"storekeep/internal/platform/auth"
)

// Limits caps how fast one client may write, per rate-limit window
// (auth.DefaultWindow, 15 minutes). Zero turns a limit off.
type Limits struct {
	// ConversationsPerIP is how many conversations one client IP may start.
	ConversationsPerIP int
	// MessagesPerConversation is how many customer messages one
	// conversation may take.
	MessagesPerConversation int
	// MessagesPerIP is how many customer messages one client IP may send,
	// across conversations.
	MessagesPerIP int
}

// DefaultLimits are the limits when the configuration names none: enough
// for a lively chat, too few for a script.
var DefaultLimits = Limits{ConversationsPerIP: 10, MessagesPerConversation: 120, MessagesPerIP: 300}

// WithLimits sets the customer-side rate limits, counted by l. Without it
// nothing is limited (tools, tests of other things).
func WithLimits(l *auth.Limiter, lim Limits) Option {
	return func(s *Service) { s.limiter, s.limits = l, lim }
}

// hit counts one attempt in the buckets whose limit is on.
func (s *Service) hit(ctx context.Context, limits ...auth.Limit) error {
	if s.limiter == nil {
		return nil
	}
	on := limits[:0:0]
	for _, l := range limits {
		if l.Max > 0 {
			on = append(on, l)
		}
	}
	if len(on) == 0 {
		return nil
	}
	_, err := s.limiter.Hit(ctx, on...)
	return err
}
