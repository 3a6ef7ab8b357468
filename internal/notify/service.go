package notify

import (
	"log/slog"
	"net/mail"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/jobs"
)

// Defaults of the send and reply jobs.
const (
	// MaxAttempts is how many times a message is tried: with River's backoff
	// (attempt⁴ seconds, ±10 %) the last try is about 11 hours after the first.
	MaxAttempts = 12
	// DefaultReplyDelay is how long an agent's reply may stay unread by the
	// customer before it is e-mailed.
	DefaultReplyDelay = 2 * time.Minute
	// DefaultShopName names the shop in templates when the sender address
	// has no display name.
	DefaultShopName = "Storekeep"
)

// Service records, renders and sends e-mail notifications.
type Service struct {
	db         *db.DB
	log        *slog.Logger
	now        func() time.Time
	jobs       *jobs.Runner
	mailer     Mailer
	from       string
	shopName   string
	customers  Customers
	orders     Orders
	support    Support
	backoff    func(attempt int) time.Duration
	replyDelay time.Duration
}

// Option configures a Service.
type Option func(*Service)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithClock sets the clock.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithJobs sets the job runner Send enqueues on (required to send).
func WithJobs(r *jobs.Runner) Option { return func(s *Service) { s.jobs = r } }

// WithMailer sets the SMTP sender; without one, e-mail is off and messages
// are recorded as not_sent.
func WithMailer(m Mailer) Option { return func(s *Service) { s.mailer = m } }

// WithFrom sets the sender address (RFC 5322, "Shop <shop@example.com>");
// its display name is the shop's name in templates.
func WithFrom(from string) Option { return func(s *Service) { s.from = from } }

// WithCustomers, WithOrders and WithSupport plug in the domains the
// messages are about.
func WithCustomers(c Customers) Option { return func(s *Service) { s.customers = c } }

// WithOrders sets the orders reader (shipments, refunds).
func WithOrders(o Orders) Option { return func(s *Service) { s.orders = o } }

// WithSupport sets the conversations reader (support replies).
func WithSupport(sp Support) Option { return func(s *Service) { s.support = sp } }

// WithRetryBackoff replaces River's retry delay after a temporary failure
// (tests make it short).
func WithRetryBackoff(f func(attempt int) time.Duration) Option {
	return func(s *Service) { s.backoff = f }
}

// WithReplyDelay sets how long an agent's reply may stay unread before it
// is e-mailed (0 keeps DefaultReplyDelay; a negative value checks at once).
func WithReplyDelay(d time.Duration) Option {
	return func(s *Service) {
		if d != 0 {
			s.replyDelay = max(d, 0)
		}
	}
}

// NewService returns the notifications service over d.
func NewService(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, log: slog.New(slog.DiscardHandler), now: time.Now, replyDelay: DefaultReplyDelay}
	for _, o := range opts {
		o(s)
	}
	s.shopName = DefaultShopName
	if a, err := mail.ParseAddress(s.from); err == nil && a.Name != "" {
		s.shopName = a.Name
	}
	return s
}

// Enabled reports whether messages are sent (an SMTP server is set).
func (s *Service) Enabled() bool { return s.mailer != nil }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }
