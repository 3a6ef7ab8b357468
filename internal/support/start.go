package support

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// StartInput is a new conversation from the store side.
type StartInput struct {
	// Subject is optional: the first line of Message by default.
	Subject string
	// Message is the customer's first message.
	Message string
	// OrderID links an order: the customer's own, or for a guest an order
	// placed with Email.
	OrderID string
	// Email is the guest's address (optional unless OrderID is given).
	Email string
	// Channel is web (default), mobile or email.
	Channel string
	// Locale is the language the bot answers in (en default, fr).
	Locale string
	// CustomerID is the signed-in customer; "" for a guest.
	CustomerID string
	// IP is the client address, for rate limiting.
	IP string
}

// errNoSuchOrder is the answer for an order that does not exist and for one
// that is not the caller's alike, so the answer reveals nothing.
var errNoSuchOrder = errs.Invalidf("order_id", "does not match any of your orders")

// Start opens a conversation with its first message. A guest gets a token
// (32 random bytes, base64url) that alone grants this conversation; it is
// returned once and only its hash is stored. With a Responder set the
// conversation starts with the bot, which answers the first message before
// Start returns; without one it goes straight to a person (open).
func (s *Service) Start(ctx context.Context, in StartInput) (Conversation, []Message, string, error) {
	row, err := s.newConversation(ctx, in)
	if err != nil {
		return Conversation{}, nil, "", err
	}
	token := ""
	if in.CustomerID == "" {
		token = newToken()
		h := hashToken(token)
		row.TokenHash = &h
	}
	if err := s.hit(ctx, auth.Limit{Bucket: "support:start:ip:" + in.IP, Max: s.limits.ConversationsPerIP},
		auth.Limit{Bucket: "support:msg:ip:" + in.IP, Max: s.limits.MessagesPerIP}); err != nil {
		return Conversation{}, nil, "", err
	}
	// The order link is checked after the attempt is counted, so guessing
	// order ids and e-mails runs into the per-IP limit like any start.
	if in.OrderID != "" {
		if err := s.checkOrder(ctx, in.OrderID, in.CustomerID, row.Email); err != nil {
			return Conversation{}, nil, "", err
		}
		row.OrderID = &in.OrderID
	}
	var first messageRow
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.insertConversation(ctx, &row); err != nil {
			return err
		}
		if row.Status == StatusOpen {
			if err := s.recordConversation(ctx, EventConversationOpened, row); err != nil {
				return err
			}
		}
		first = messageRow{Author: AuthorCustomer, AuthorID: row.CustomerID, Body: strings.TrimSpace(in.Message)}
		return s.appendMessage(ctx, &row, &first)
	})
	if err != nil {
		return Conversation{}, nil, "", err
	}
	s.publish(ctx, Change{Kind: ChangeConversationCreated, ConversationID: row.ID, Seq: first.Seq},
		Change{Kind: ChangeMessageCreated, ConversationID: row.ID, Seq: first.Seq, MessageID: first.ID})
	msgs := []Message{first.message()}
	if row.Status == StatusBot {
		if bot, ok := s.botTurn(ctx, row.ID, first.Body); ok {
			msgs = append(msgs, bot)
		}
	}
	access := Access{CustomerID: in.CustomerID, Token: token}
	c, err := s.Conversation(ctx, access, row.ID)
	if err != nil {
		return Conversation{}, nil, "", err
	}
	return c, msgs, token, nil
}

// newConversation validates in and builds the row (not yet stored).
func (s *Service) newConversation(ctx context.Context, in StartInput) (conversationRow, error) {
	body, err := cleanBody("message", in.Message)
	if err != nil {
		return conversationRow{}, err
	}
	subject, err := subjectFrom(in.Subject, body)
	if err != nil {
		return conversationRow{}, err
	}
	channel, err := channelOf(in.Channel)
	if err != nil {
		return conversationRow{}, err
	}
	now := s.clock()
	row := conversationRow{ID: id.New("conv"), Subject: subject, Status: StatusBot, Channel: channel, Tags: "[]",
		Locale: LocaleOf(in.Locale), ClientIP: in.IP, BotState: "{}", FirstCustomerMessageAt: &now,
		CreatedAt: now, UpdatedAt: now}
	if in.CustomerID != "" {
		row.CustomerID = &in.CustomerID
	}
	if in.Email != "" {
		email := auth.NormalizeEmail(in.Email)
		if err := auth.CheckEmail("email", email); err != nil {
			return conversationRow{}, err
		}
		row.Email = &email
	}
	if s.responder == nil {
		row.Status, row.HandedOverAt = StatusOpen, &now
	}
	return row, nil
}

// checkOrder accepts an order the caller may link: a customer's own, or for
// a guest one placed with the same e-mail.
func (s *Service) checkOrder(ctx context.Context, orderID, customerID string, email *string) error {
	if s.orders == nil || !id.Valid("order", orderID) {
		return errNoSuchOrder
	}
	o, err := s.orders.SupportOrder(ctx, orderID)
	if err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.NotFound {
			return errNoSuchOrder
		}
		return err
	}
	switch {
	case customerID != "" && o.CustomerID == customerID:
		return nil
	case customerID == "" && email != nil && strings.EqualFold(o.Email, *email):
		return nil
	}
	return errNoSuchOrder
}

// newToken returns a fresh guest token.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// appendMessage numbers m (the conversation's next seq), stores it and
// records support.message.created, inside the caller's transaction. c's
// LastSeq follows.
func (s *Service) appendMessage(ctx context.Context, c *conversationRow, m *messageRow) error {
	if !db.InTx(ctx) {
		return errInternal.WithDetail("appendMessage outside a transaction")
	}
	now := s.clock()
	seq, err := s.store.nextSeq(ctx, c.ID, now)
	if err != nil {
		return err
	}
	m.ID, m.ConversationID, m.Seq, m.CreatedAt = id.New("msg"), c.ID, seq, now
	if err := s.store.insertMessage(ctx, m); err != nil {
		return err
	}
	c.LastSeq, c.UpdatedAt = seq, now
	return s.recordMessage(ctx, *c, *m)
}
