package webhooks

import (
	"log/slog"
	"net/http"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/jobs"
)

// Service manages webhook endpoints and delivers events to them.
type Service struct {
	db     *db.DB
	jobs   *jobs.Runner
	seal   *sealer
	now    func() time.Time
	log    *slog.Logger
	guard  Guard
	retry  RetryPolicy
	client *http.Client
	// disableAfter is how long an endpoint may fail before a final failure
	// turns it off.
	disableAfter time.Duration
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets the logger for what the service handles itself.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithGuard sets the URL and address rules (default: https only, public
// addresses only, the system resolver).
func WithGuard(g Guard) Option { return func(s *Service) { s.guard = g } }

// WithRetryPolicy sets when failed attempts are retried (DefaultRetryPolicy).
func WithRetryPolicy(p RetryPolicy) Option { return func(s *Service) { s.retry = p } }

// WithDisableAfter sets how long an endpoint may keep failing before a
// delivery's final failure disables it (DefaultDisableAfter); 0 keeps the
// default.
func WithDisableAfter(d time.Duration) Option {
	return func(s *Service) {
		if d > 0 {
			s.disableAfter = d
		}
	}
}

// DefaultDisableAfter: an endpoint whose deliveries have failed for five
// days, with no success in between, is disabled by its next final failure.
const DefaultDisableAfter = 5 * 24 * time.Hour

// RequestTimeout bounds one delivery attempt: connecting, sending, and the
// receiver's answer (Standard Webhooks recommends 15 to 30 s).
const RequestTimeout = 15 * time.Second

// NewService returns the webhooks service over d. Deliveries are durable
// jobs of r (register them with RegisterJobs); serverSecret is the key the
// endpoints' signing secrets are sealed with at rest (the server's JWT
// secret in production).
func NewService(d *db.DB, r *jobs.Runner, serverSecret []byte, opts ...Option) (*Service, error) {
	seal, err := newSealer(serverSecret)
	if err != nil {
		return nil, err
	}
	s := &Service{db: d, jobs: r, seal: seal, now: time.Now, log: slog.New(slog.DiscardHandler),
		retry: DefaultRetryPolicy(), disableAfter: DefaultDisableAfter}
	for _, o := range opts {
		o(s)
	}
	s.client = newClient(s.guard)
	return s, nil
}

// newClient is the HTTP client of deliveries: every connection goes through
// the guard's dialer, no proxy from the environment (it would dial for us,
// unchecked), no redirects followed (a 3xx is a failure), and a 15 s limit.
func newClient(g Guard) *http.Client {
	t := &http.Transport{
		Proxy:                 nil,
		DialContext:           g.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: RequestTimeout,
	}
	return &http.Client{Transport: t, Timeout: RequestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// nowUTC is the clock at the database's precision.
func (s *Service) nowUTC() time.Time { return s.now().UTC().Truncate(time.Microsecond) }
