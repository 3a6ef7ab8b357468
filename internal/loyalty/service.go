package loyalty

import (
	"context"
	"log/slog"
	"time"

	"storekeep/internal/platform/db"
)

// Service is the loyalty domain.
type Service struct {
	db     *db.DB
	now    func() time.Time
	log    *slog.Logger
	groups Groups
}

// Groups is the customer groups a tier's perks.group_id names: a customer
// entering a tier joins its group, one leaving it leaves.
type Groups interface {
	Join(ctx context.Context, groupID, customerID string) error
	Leave(ctx context.Context, groupID, customerID string) error
}

// WithGroups keeps tier groups' membership (nil: tiers name no groups).
func WithGroups(g Groups) Option { return func(s *Service) { s.groups = g } }

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests control expiry and the 12-month window).
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		if now != nil {
			s.now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
		}
	}
}

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option {
	return func(s *Service) {
		if l != nil {
			s.log = l
		}
	}
}

// NewService returns the loyalty service over d.
func NewService(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, now: db.Now, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	return s
}
