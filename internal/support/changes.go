package support

import (
	"context"

	"storekeep/internal/platform/events"
)

// Kinds of Change.
const (
	ChangeMessageCreated      = "message.created"
	ChangeConversationCreated = "conversation.created"
	ChangeConversationUpdated = "conversation.updated"
	ChangeConversationClosed  = "conversation.closed"
)

// Change says what happened to a conversation, by ids only: a listener
// loads what it needs with the read methods (Messages, StaffConversation...),
// so it sees committed rows and applies its own access rules.
type Change struct {
	Kind           string
	ConversationID string
	// Seq is the conversation's last_seq after the change (the message's seq
	// for message.created).
	Seq int64
	// MessageID is set for message.created.
	MessageID string
}

// Publisher hears about changes after their transaction committed (the
// realtime hub fans them out to sockets and other nodes). Publish must not
// block for long; it cannot fail the change.
type Publisher interface {
	Publish(ctx context.Context, c Change)
}

// publish hands changes to the publisher, if any. Callers call it only after
// the transaction that made the changes returned without error.
func (s *Service) publish(ctx context.Context, changes ...Change) {
	if s.publisher == nil {
		return
	}
	for _, c := range changes {
		s.publisher.Publish(ctx, c)
	}
}

// Outbox event types (docs/support.md).
const (
	EventConversationOpened = "support.conversation.opened"
	EventMessageCreated     = "support.message.created"
	EventConversationClosed = "support.conversation.closed"
)

// messageEvent is the payload of support.message.created: ids and small
// facts, never the body (internal notes must not leak to subscribers, and
// customers' words stay in the database).
type messageEvent struct {
	ConversationID string  `json:"conversation_id"`
	MessageID      string  `json:"message_id"`
	Seq            int64   `json:"seq"`
	Author         string  `json:"author"`
	AuthorID       *string `json:"author_id"`
	Internal       bool    `json:"internal"`
	CustomerID     *string `json:"customer_id"`
}

// conversationEvent is the payload of the opened and closed events.
type conversationEvent struct {
	ConversationID string  `json:"conversation_id"`
	CustomerID     *string `json:"customer_id"`
	OrderID        *string `json:"order_id"`
	Status         string  `json:"status"`
	Channel        string  `json:"channel"`
	Locale         string  `json:"locale"`
	AssigneeID     *string `json:"assignee_id"`
}

func (s *Service) recordMessage(ctx context.Context, c conversationRow, m messageRow) error {
	return events.RecordAs(ctx, s.db, EventMessageCreated, "conversation", c.ID, messageEvent{ConversationID: c.ID, MessageID: m.ID,
		Seq: m.Seq, Author: m.Author, AuthorID: m.AuthorID, Internal: m.Internal, CustomerID: c.CustomerID})
}

func (s *Service) recordConversation(ctx context.Context, typ string, c conversationRow) error {
	return events.RecordAs(ctx, s.db, typ, "conversation", c.ID, conversationEvent{ConversationID: c.ID, CustomerID: c.CustomerID,
		OrderID: c.OrderID, Status: c.Status, Channel: c.Channel, Locale: c.Locale, AssigneeID: c.AssigneeID})
}
