package loyalty

import (
	"log/slog"
	"time"

	"storekeep/internal/platform/db"
)

// Service is the loyalty domain.
type Service struct {
	db  *db.DB
	now func() time.Time
	log *slog.Logger
}

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
