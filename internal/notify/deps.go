package notify

import (
	"context"
	"encoding/json"
	"time"
)

// Recipient is what notify needs about a customer account.
type Recipient struct {
	Email     string
	FirstName string
	LastName  string
	Locale    string
}

// Customers finds the account a message is about (its address and
// language when the message names none, its name for the templates).
type Customers interface {
	NotifyRecipient(ctx context.Context, customerID string) (Recipient, error)
}

// Shipment is one shipped parcel of an order.
type Shipment struct {
	Carrier        string
	TrackingNumber string
	// Status is the fulfilment's: shipped or delivered count as sent.
	Status    string
	ShippedAt *time.Time
	Items     []ShipmentItem
}

// ShipmentItem is one line of a parcel.
type ShipmentItem struct {
	Title    string
	Quantity int64
}

// Orders reads orders for the e-mails about them.
type Orders interface {
	// NotifyOrder returns the order as the API returns it (JSON).
	NotifyOrder(ctx context.Context, orderID string) (json.RawMessage, error)
	// Shipments lists the order's fulfilments, oldest first.
	Shipments(ctx context.Context, orderID string) ([]Shipment, error)
}

// Thread is a support conversation as the reply e-mail needs it.
type Thread struct {
	ID         string
	Subject    string
	Status     string
	Locale     string
	Email      *string
	CustomerID *string
	// Unread counts the agent and bot messages the customer has not marked
	// read (their read marker, from a socket or REST).
	Unread int64
	// Recent are the conversation's last messages the customer sees
	// (internal notes left out), oldest first.
	Recent []ThreadMessage
}

// ThreadMessage is one message of a Thread.
type ThreadMessage struct {
	ID        string
	Seq       int64
	Author    string
	Body      string
	CreatedAt time.Time
}

// Support reads conversations for the support reply e-mail.
type Support interface {
	NotifyThread(ctx context.Context, conversationID string) (Thread, error)
}
