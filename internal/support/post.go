package support

import (
	"context"
	"errors"
	"strings"

	"storekeep/internal/platform/auth"
)

// PostCustomer adds the customer's message to a conversation they may see.
// A conversation waiting on the customer (pending) becomes open again; one
// with the bot gets the bot's answer, which may hand it over to a person.
// It returns the new messages: the customer's, then the bot's if any.
func (s *Service) PostCustomer(ctx context.Context, a Access, convID, body, ip string) ([]Message, error) {
	body, err := cleanBody("body", body)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.get(ctx, &a, convID); err != nil {
		return nil, err
	}
	if err := s.hit(ctx, auth.Limit{Bucket: "support:msg:conv:" + convID, Max: s.limits.MessagesPerConversation},
		auth.Limit{Bucket: "support:msg:ip:" + ip, Max: s.limits.MessagesPerIP}); err != nil {
		return nil, err
	}
	var (
		c       conversationRow
		m       messageRow
		changed bool
	)
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if c, err = s.store.get(ctx, &a, convID); err != nil {
			return err
		}
		if c.Status == StatusClosed {
			return ErrClosed
		}
		m = messageRow{Author: AuthorCustomer, AuthorID: c.CustomerID, Body: body}
		if err := s.appendMessage(ctx, &c, &m); err != nil {
			return err
		}
		cols := map[string]any{}
		if c.FirstCustomerMessageAt == nil {
			cols["first_customer_message_at"] = m.CreatedAt
		}
		if c.Status == StatusPending || (c.Status == StatusBot && s.responder == nil) {
			changed = true
			if err := s.setOpen(ctx, &c, cols); err != nil {
				return err
			}
		}
		if len(cols) == 0 {
			return nil
		}
		return s.store.update(ctx, c.ID, cols)
	})
	if err != nil {
		return nil, err
	}
	s.publish(ctx, Change{Kind: ChangeMessageCreated, ConversationID: c.ID, Seq: m.Seq, MessageID: m.ID})
	if changed {
		s.publish(ctx, Change{Kind: ChangeConversationUpdated, ConversationID: c.ID, Seq: m.Seq})
	}
	out := []Message{m.message()}
	if c.Status == StatusBot {
		if bot, ok := s.botTurn(ctx, c.ID, body); ok {
			out = append(out, bot)
		}
	}
	return out, nil
}

// setOpen makes c open (waiting for a person), adding the columns to cols;
// the first time a conversation reaches a person it records
// support.conversation.opened and sets handed_over_at.
func (s *Service) setOpen(ctx context.Context, c *conversationRow, cols map[string]any) error {
	c.Status = StatusOpen
	cols["status"] = StatusOpen
	return s.reachPerson(ctx, c, cols)
}

// reachPerson sets handed_over_at and records the opened event, once.
func (s *Service) reachPerson(ctx context.Context, c *conversationRow, cols map[string]any) error {
	if c.HandedOverAt != nil {
		return nil
	}
	now := s.clock()
	c.HandedOverAt = &now
	cols["handed_over_at"] = now
	return s.recordConversation(ctx, EventConversationOpened, *c)
}

// PostAgent adds a staff member's reply or internal note. The first reply
// that is not a note sets first_agent_reply_at; a reply to a conversation
// with the bot or open makes it pending (waiting on the customer). A note
// changes no status. A closed conversation takes nothing: reopen it first.
func (s *Service) PostAgent(ctx context.Context, staffID, convID, body string, internal bool) (Message, error) {
	body, err := cleanBody("body", body)
	if err != nil {
		return Message{}, err
	}
	var (
		c       conversationRow
		m       messageRow
		changed bool
	)
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if c, err = s.store.get(ctx, nil, convID); err != nil {
			return err
		}
		if c.Status == StatusClosed {
			return ErrClosed
		}
		m = messageRow{Author: AuthorAgent, AuthorID: &staffID, Body: body, Internal: internal}
		if err := s.appendMessage(ctx, &c, &m); err != nil {
			return err
		}
		if internal {
			return nil
		}
		cols := map[string]any{}
		if c.FirstAgentReplyAt == nil {
			cols["first_agent_reply_at"] = m.CreatedAt
		}
		if c.Status == StatusBot || c.Status == StatusOpen {
			changed = true
			c.Status, cols["status"] = StatusPending, StatusPending
		}
		if err := s.reachPerson(ctx, &c, cols); err != nil {
			return err
		}
		if len(cols) == 0 {
			return nil
		}
		return s.store.update(ctx, c.ID, cols)
	})
	if err != nil {
		return Message{}, err
	}
	s.publish(ctx, Change{Kind: ChangeMessageCreated, ConversationID: c.ID, Seq: m.Seq, MessageID: m.ID})
	if changed {
		s.publish(ctx, Change{Kind: ChangeConversationUpdated, ConversationID: c.ID, Seq: m.Seq})
	}
	return m.message(), nil
}

// handoverText is what the bot says when it passes the conversation on
// because it failed (error, timeout, an empty answer).
var handoverText = map[string]string{
	"en": "Let me pass you to a member of our team; they will answer you here shortly.",
	"fr": "Je vous mets en relation avec un membre de notre équipe ; il vous répondra ici très vite.",
}

// botTurn asks the Responder about the customer's text and stores its
// answer, outside the customer's transaction: the customer's message is
// kept whatever the bot does. A Responder error or timeout hands over. When
// the conversation left the bot meanwhile (an agent took it, it was
// closed), the answer is dropped. ok is false when nothing was stored.
func (s *Service) botTurn(ctx context.Context, convID, text string) (Message, bool) {
	// The customer's message is committed: finish the turn even if the
	// client hangs up now.
	ctx = context.WithoutCancel(ctx)
	c, err := s.store.get(ctx, nil, convID)
	if err != nil || c.Status != StatusBot || s.responder == nil {
		return Message{}, false
	}
	reply := s.ask(ctx, c, text)
	var m messageRow
	handed := false
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if c, err = s.store.get(ctx, nil, convID); err != nil {
			return err
		}
		if c.Status != StatusBot {
			return errLeftBot
		}
		m = botMessage(reply)
		if err := s.appendMessage(ctx, &c, &m); err != nil {
			return err
		}
		cols := map[string]any{}
		if len(reply.State) > 0 {
			cols["bot_state"] = string(reply.State)
		}
		if reply.Handoff {
			handed = true
			if err := s.setOpen(ctx, &c, cols); err != nil {
				return err
			}
		}
		if len(cols) == 0 {
			return nil
		}
		return s.store.update(ctx, c.ID, cols)
	})
	if err != nil {
		if !errors.Is(err, errLeftBot) {
			s.log.Error("support bot turn", "conversation_id", convID, "error", err.Error())
		}
		return Message{}, false
	}
	s.publish(ctx, Change{Kind: ChangeMessageCreated, ConversationID: c.ID, Seq: m.Seq, MessageID: m.ID})
	if handed {
		s.publish(ctx, Change{Kind: ChangeConversationUpdated, ConversationID: c.ID, Seq: m.Seq})
	}
	return m.message(), true
}

// errLeftBot stops a bot turn whose conversation is no longer the bot's.
var errLeftBot = errInternal.WithDetail("the conversation left the bot")

// ask calls the Responder with a deadline; any failure, or an answer that
// is not a valid message, becomes a handover.
func (s *Service) ask(ctx context.Context, c conversationRow, text string) BotReply {
	turn := Turn{ConversationID: c.ID, Text: text, Locale: c.Locale, CustomerID: deref(c.CustomerID),
		Email: deref(c.Email), OrderID: deref(c.OrderID)}
	if st := strings.TrimSpace(c.BotState); st != "" && st != "{}" {
		turn.State = []byte(st)
	}
	rctx, cancel := context.WithTimeout(ctx, BotTimeout)
	defer cancel()
	reply, err := s.responder.Respond(rctx, turn)
	if err == nil {
		reply.Text, err = cleanBody("text", reply.Text)
	}
	if err != nil {
		s.log.Warn("support bot failed; handing over", "conversation_id", c.ID, "error", err.Error())
		return BotReply{Text: handoverText[c.Locale], Handoff: true, Intent: "error"}
	}
	if len(reply.Suggestions) > 3 {
		reply.Suggestions = reply.Suggestions[:3]
	}
	return reply
}

// botMessage is the stored form of a bot reply.
func botMessage(r BotReply) messageRow {
	m := messageRow{Author: AuthorBot, Body: r.Text}
	if len(r.Suggestions) > 0 {
		m.Suggestions = jsonText(r.Suggestions)
	}
	if r.Order != nil {
		if r.Order.Tracking == nil {
			r.Order.Tracking = []Tracking{}
		}
		m.OrderCard = jsonText(r.Order)
	}
	return m
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
