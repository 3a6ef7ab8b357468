package support

import (
	"context"
	"log/slog"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// BotTimeout bounds one Responder call; a slower bot hands the conversation
// over to a person.
const BotTimeout = 5 * time.Second

// Service is the support chat: conversations, messages, the bot's turn and
// the agents' actions. Every write runs in one transaction; the Publisher
// hears about it only after that transaction committed.
type Service struct {
	db        *db.DB
	store     store
	log       *slog.Logger
	now       func() time.Time
	responder Responder
	publisher Publisher
	orders    Orders
	staff     Staff
	customers Customers
	limits    Limits
	limiter   *auth.Limiter
}

// Option configures a Service.
type Option func(*Service)

// WithLogger sets the logger (bot failures are logged, not returned).
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithOrders plugs in the orders domain (linking a conversation to an order,
// the agent's view of the customer's orders).
func WithOrders(o Orders) Option { return func(s *Service) { s.orders = o } }

// WithStaff plugs in the staff directory (who may be assigned).
func WithStaff(st Staff) Option { return func(s *Service) { s.staff = st } }

// WithCustomers plugs in the customer directory (names for canned replies
// and the agent's view of the customer).
func WithCustomers(c Customers) Option { return func(s *Service) { s.customers = c } }

// NewService returns the support service.
func NewService(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, store: store{db: d}, log: slog.New(slog.DiscardHandler), now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// SetResponder sets the bot that answers first. Without one (nil), new
// conversations go straight to a person (status open).
func (s *Service) SetResponder(r Responder) { s.responder = r }

// SetPublisher sets who hears about committed changes (live sockets);
// nil publishes nothing.
func (s *Service) SetPublisher(p Publisher) { s.publisher = p }

// Access is who asks on the store side: a signed-in customer, or a guest
// holding a conversation's token. The zero value sees nothing.
type Access struct {
	CustomerID string
	Token      string
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Orders is the orders domain as support needs it; declared here, by its
// consumer, so support does not import orders.
type Orders interface {
	// SupportOrder returns an order's reference facts, or an error for an
	// unknown order.
	SupportOrder(ctx context.Context, orderID string) (OrderRef, error)
	// RecentOrders returns a customer's latest orders, newest first.
	RecentOrders(ctx context.Context, customerID string, n int) ([]OrderRef, error)
}

// OrderRef is an order as the support chat shows it beside a conversation.
type OrderRef struct {
	ID                string       `json:"id" binding:"required" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	Number            string       `json:"number" binding:"required" example:"SK-1042"`
	Status            string       `json:"status" binding:"required" example:"confirmed"`
	FulfillmentStatus string       `json:"fulfillment_status" binding:"required" example:"shipped"`
	Total             money.Amount `json:"total" binding:"required"`
	CreatedAt         time.Time    `json:"created_at" binding:"required" format:"date-time"`
	// CustomerID and Email say whose order it is; never serialised.
	CustomerID string `json:"-"`
	Email      string `json:"-"`
} // @name SupportOrderRef

// Staff is the staff directory as support needs it.
type Staff interface {
	// StaffRole returns a staff user's role, or an error when there is no
	// such (enabled) user.
	StaffRole(ctx context.Context, staffID string) (string, error)
}

// Customers is the customer directory as support needs it.
type Customers interface {
	// SupportCustomer returns a customer's profile, or an error.
	SupportCustomer(ctx context.Context, customerID string) (CustomerRef, error)
}

// CustomerRef is a customer as an agent sees them beside a conversation.
type CustomerRef struct {
	ID        string    `json:"id" binding:"required" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	Email     string    `json:"email" binding:"required" example:"camille@example.com"`
	FirstName string    `json:"first_name" binding:"required" example:"Camille"`
	LastName  string    `json:"last_name" binding:"required" example:"Martin"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time"`
} // @name SupportCustomerRef

// errInternal hides a dependency that is not wired.
var errInternal = errs.New(errs.Internal, "internal", "support is not fully configured")
