package checkout

import (
	"io"
	"log/slog"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
)

// Service is the checkout domain: regions, shipping options, promotions,
// carts and checkout. Build it once with NewService.
type Service struct {
	db        *db.DB
	now       func() time.Time
	log       *slog.Logger
	cat       Catalog
	inv       Inventory
	customers Customers
	pay       Payments
	orders    Orders
	// captureNow captures at checkout; otherwise payments are authorised
	// and captured on fulfilment.
	captureNow bool
	// limiter counts failed codes and declined payments; nil: no limits.
	limiter *auth.Limiter
	// claimTimeout is how long a checkout attempt holds its cart.
	claimTimeout time.Duration
	// pending bounds orders awaiting their payment.
	pending PendingPolicy
	// cartCreateLimit and guestCartTTL: see WithCartLimits.
	cartCreateLimit int
	guestCartTTL    time.Duration
	// abandonAfter and abandonNow: see WithAbandonedCarts.
	abandonAfter time.Duration
	abandonNow   func() time.Time
	// loyalty redeems points (nil: no loyalty programme).
	loyalty Loyalty
	// channels reads sales channels (nil: none configured).
	channels Channels
	// staffOrders and manual: see WithStaffOrders (nil: no staff orders).
	staffOrders StaffOrders
	manual      ManualPayments
	// actions: payments waiting for the shopper (actions.go).
	actions actionPolicy
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests); the default is db.Now.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets the logger; the default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// NewService returns the checkout service over d.
func NewService(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, now: db.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		claimTimeout: DefaultClaimTimeout, pending: DefaultPendingPolicy}
	for _, o := range opts {
		o(s)
	}
	return s
}
