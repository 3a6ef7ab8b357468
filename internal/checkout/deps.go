package checkout

import (
	"context"
	"time"

	"storekeep/internal/catalog"
	"storekeep/internal/inventory"
	"storekeep/internal/orders"
	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
)

// Catalog is what checkout reads about variants.
type Catalog interface {
	Purchasables(ctx context.Context, ids []string, currency string) (map[string]catalog.Purchasable, error)
}

// Inventory holds and returns stock for checkouts.
type Inventory interface {
	Reserve(ctx context.Context, in inventory.ReserveInput) (inventory.Reservation, error)
	Release(ctx context.Context, reservationID string) (inventory.Reservation, error)
	Hold(ctx context.Context, reservationID string, until time.Time) error
	ReleaseReference(ctx context.Context, reference string) (int, error)
	// AvailableIn is the stock of variants over some warehouses (a sales
	// channel's).
	AvailableIn(ctx context.Context, warehouseIDs, variantIDs []string) (map[string]int64, error)
}

// Customers is what checkout needs about an account: its e-mail (a
// customer's cart starts with it), its groups (promotion restrictions) and
// its locale (an order placed without one takes the customer's).
type Customers interface {
	CustomerEmail(ctx context.Context, customerID string) (string, error)
	GroupIDs(ctx context.Context, customerID string) ([]string, error)
	CustomerLocale(ctx context.Context, customerID string) (string, error)
}

// WithCatalog sets the catalog (required for carts).
func WithCatalog(c Catalog) Option { return func(s *Service) { s.cat = c } }

// WithInventory sets the inventory (required for checkout).
func WithInventory(i Inventory) Option { return func(s *Service) { s.inv = i } }

// WithCustomers sets the customer accounts (required for customer carts).
func WithCustomers(c Customers) Option { return func(s *Service) { s.customers = c } }

// purchasableVariant is the catalog's view of a variant for sale.
type purchasableVariant = catalog.Purchasable

// Payments authorises and records payments.
type Payments interface {
	Authorize(ctx context.Context, in payments.AuthorizeInput) (payments.Authorization, error)
	Record(ctx context.Context, orderID string, a payments.Authorization) (payments.Payment, error)
	Provider(name string) (payments.Provider, error)
	SettleOrphan(ctx context.Context, provider, reference string) ([]payments.Reconciliation, error)
	Refresh(ctx context.Context, provider, providerRef string) (payments.Result, error)
	CreateSession(ctx context.Context, in payments.AuthorizeInput) (payments.Authorization, error)
}

// Orders creates orders (in checkout's transaction).
type Orders interface {
	Create(ctx context.Context, in orders.NewOrder) (orders.Order, error)
	ByID(ctx context.Context, orderID string) (orders.Order, error)
	CountPending(ctx context.Context, by, value string) (orders.PendingCount, error)
}

// WithPayments sets the payments service (required for checkout).
func WithPayments(p Payments) Option { return func(s *Service) { s.pay = p } }

// WithOrders sets the orders service (required for checkout).
func WithOrders(o Orders) Option { return func(s *Service) { s.orders = o } }

// WithCaptureOnCheckout captures payments when the order is placed instead
// of authorising them and capturing on fulfilment (the default).
func WithCaptureOnCheckout(on bool) Option { return func(s *Service) { s.captureNow = on } }

// WithLimiter turns on the abuse limits (docs/checkout.md "Abuse limits"):
// failed discount codes and declined payments per cart and per client IP.
func WithLimiter(l *auth.Limiter) Option { return func(s *Service) { s.limiter = l } }
