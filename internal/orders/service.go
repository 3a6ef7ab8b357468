package orders

import (
	"io"
	"log/slog"
	"time"

	"storekeep/internal/platform/db"
)

// Service is the orders domain. Build it once with NewService.
type Service struct {
	db  *db.DB
	now func() time.Time
	log *slog.Logger
	inv Inventory
	pay Payments
	// noCheckoutEvents: see WithoutCheckoutEvents.
	noCheckoutEvents bool
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests); the default is db.Now.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets the logger; the default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithoutCheckoutEvents stops Create from recording order.created and
// order.paid. It exists for one measurement, the baseline of the checkout
// benchmark (docs/benchmarks.md, "Events per checkout"), reached only
// through a test-only option of the api package: a server without these
// events would leave every consumer blind to new orders.
func WithoutCheckoutEvents() Option { return func(s *Service) { s.noCheckoutEvents = true } }

// NewService returns the orders service over d.
func NewService(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, now: db.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(s)
	}
	return s
}
