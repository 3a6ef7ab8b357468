package automations

import (
	"context"

	"storekeep/internal/catalog"
	"storekeep/internal/checkout"
	"storekeep/internal/orders"
	"storekeep/internal/platform/events"
)

// Promotions is checkout as issued codes need it: a code for one customer,
// and what became of codes (checkout.Service implements it).
type Promotions interface {
	CreateCustomerPromotion(ctx context.Context, customerID string, in checkout.PromotionInput) (checkout.Promotion, error)
	PromotionsByID(ctx context.Context, ids []string) (map[string]checkout.Promotion, error)
	FirstUses(ctx context.Context, ids []string) (map[string]checkout.PromotionUse, error)
}

// Customer is what a run needs to know about a customer account.
type Customer struct {
	ID    string
	Email string
	// Locale is the customer's language for e-mail ("" when unknown: the
	// order's or the event's locale, then "en", are used).
	Locale string
}

// Customers is the customers domain as runs need it. Customer answers an
// errs NotFound error for an unknown or archived account.
type Customers interface {
	Customer(ctx context.Context, customerID string) (Customer, error)
	GroupIDs(ctx context.Context, customerID string) ([]string, error)
	JoinGroup(ctx context.Context, groupID, customerID string) error
}

// Orders is the orders domain as conditions need it (orders.Service).
type Orders interface {
	ByID(ctx context.Context, orderID string) (orders.Order, error)
	CustomerTotals(ctx context.Context, customerID, upToOrderID string) (orders.CustomerTotals, error)
}

// Catalog tells which products and categories an order's variants belong
// to (catalog.Service).
type Catalog interface {
	Purchasables(ctx context.Context, ids []string, currency string) (map[string]catalog.Purchasable, error)
}

// Message is an e-mail to send, as the notify domain takes it: it renders
// Template in Locale with Data and sends it to To. DedupeKey makes a second
// Send of the same message a no-op.
type Message struct {
	Template   string
	Locale     string
	To         string
	CustomerID string
	Data       map[string]any
	DedupeKey  string
}

// Mailer records an e-mail and enqueues its sending, inside ctx's
// transaction (notify.Service). Without one, send_email actions fail with
// "e-mail not configured".
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// WebhookCaller records a delivery of e to one webhook endpoint and
// enqueues it, inside ctx's transaction (webhooks.Service). Without one,
// call_webhook actions fail with "webhooks not available".
type WebhookCaller interface {
	DeliverEvent(ctx context.Context, webhookID string, e events.Event) error
}

// Loyalty credits points (award_points). key (the run and action) makes a
// repeated run award them once.
type Loyalty interface {
	Award(ctx context.Context, customerID string, points int64, key, reason string) error
}

// maxAwardPoints bounds one award_points action.
const maxAwardPoints = 1_000_000
