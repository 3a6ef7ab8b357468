package automations

import (
	"log/slog"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/jobs"
)

// Service owns automation rules, their runs and issued codes.
type Service struct {
	db         *db.DB
	now        func() time.Time
	log        *slog.Logger
	jobs       *jobs.Runner
	promotions Promotions
	customers  Customers
	orders     Orders
	catalog    Catalog
	mailer     Mailer
	loyalty    Loyalty
	webhooks   WebhookCaller
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (issued codes' expiry, timestamps).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithJobs sets the runner the run jobs are enqueued on (required for runs).
func WithJobs(r *jobs.Runner) Option { return func(s *Service) { s.jobs = r } }

// WithPromotions sets checkout, where issued codes live (required to issue codes).
func WithPromotions(p Promotions) Option { return func(s *Service) { s.promotions = p } }

// WithCustomers sets the customer accounts (required for customer facts and actions).
func WithCustomers(c Customers) Option { return func(s *Service) { s.customers = c } }

// WithOrders sets the orders domain (required for order and customer facts).
func WithOrders(o Orders) Option { return func(s *Service) { s.orders = o } }

// WithCatalog sets the catalog (order.category_ids).
func WithCatalog(c Catalog) Option { return func(s *Service) { s.catalog = c } }

// WithLoyalty sets the loyalty ledger award_points credits; nil fails
// those actions.
func WithLoyalty(l Loyalty) Option { return func(s *Service) { s.loyalty = l } }

// WithMailer sets the e-mail sender of send_email; nil leaves e-mail off.
func WithMailer(m Mailer) Option { return func(s *Service) { s.mailer = m } }

// WithWebhooks sets the webhook deliverer of call_webhook; nil leaves it off.
func WithWebhooks(w WebhookCaller) Option { return func(s *Service) { s.webhooks = w } }

// NewService returns the automations service over d.
func NewService(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, now: time.Now, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// clock is now in UTC at the database's microsecond precision.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// canManage: rules, runs and issuing codes are for managers and admins.
func canManage(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return errs.ErrForbidden
	}
	return nil
}

// canRead: a customer's issued codes are visible to managers, support staff
// and admins.
func canRead(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager, auth.RoleSupport) {
		return errs.ErrForbidden
	}
	return nil
}
