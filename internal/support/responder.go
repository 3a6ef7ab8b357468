package support

import (
	"context"
	"encoding/json"
)

// Responder answers a customer's message while a conversation is with the
// bot (package bot is the implementation). It sees only what Turn carries
// and what its own dependencies let it read; it never writes messages.
type Responder interface {
	Respond(ctx context.Context, t Turn) (BotReply, error)
}

// Turn is one customer message for the bot.
type Turn struct {
	ConversationID string
	// Text is the customer's message.
	Text string
	// Locale is the conversation's locale ("en" or "fr").
	Locale string
	// CustomerID is the signed-in customer ("" for a guest).
	CustomerID string
	// Email is the guest's e-mail given when the conversation started ("" if none).
	Email string
	// OrderID is the order the conversation is linked to ("" if none).
	OrderID string
	// State is what the bot kept from earlier turns (nil on the first).
	State json.RawMessage
}

// BotReply is the bot's answer to a Turn.
type BotReply struct {
	// Text is the message shown to the customer.
	Text string
	// Suggestions are products the bot recommends (at most 3).
	Suggestions []Suggestion
	// Order is the order the answer is about, with its facts from the database.
	Order *OrderCard
	// Handoff hands the conversation to a person (status open).
	Handoff bool
	// Intent names what the bot understood ("order_status", "faq",
	// "advice", "handoff", "unknown", ...), for logs and tests.
	Intent string
	// State replaces the conversation's bot state.
	State json.RawMessage
}

// Suggestion is a product the bot suggests.
type Suggestion struct {
	ProductID string `json:"product_id"`
	Handle    string `json:"handle"`
	Title     string `json:"title"`
}

// OrderCard is an order's facts as the bot shows them.
type OrderCard struct {
	ID                string     `json:"id"`
	Number            string     `json:"number"`
	Status            string     `json:"status"`
	FulfillmentStatus string     `json:"fulfillment_status"`
	Tracking          []Tracking `json:"tracking"`
}

// Tracking is one shipment of an order.
type Tracking struct {
	Carrier string `json:"carrier"`
	Number  string `json:"number"`
	URL     string `json:"url,omitempty"`
}
