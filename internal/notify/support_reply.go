package notify

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// An agent's reply is e-mailed when the customer has not seen it a while
// after it was posted. "Seen" is the customer's read marker, which their
// chat moves (a `read` frame on the socket, or POST .../read) as it shows
// messages: it lives in the database, so the check gives the same answer
// whichever node runs it, unlike the sockets, which each node only knows
// for itself (and an open socket in a background tab is not a reader).

// replyArgs is the delayed check of one agent message.
type replyArgs struct {
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Seq            int64  `json:"seq"`
}

func (replyArgs) Kind() string { return "notify.support_reply" }

type replyWorker struct {
	jobs.WorkerDefaults[replyArgs]
	s *Service
}

func (w *replyWorker) Work(ctx context.Context, j *jobs.Job[replyArgs]) error {
	return w.s.checkReply(ctx, j.Args)
}

// onSupportMessage schedules the check of an agent's reply (not of notes,
// customer or bot messages) replyDelay from now.
func (s *Service) onSupportMessage(ctx context.Context, e events.Event) error {
	var m struct {
		ConversationID string `json:"conversation_id"`
		MessageID      string `json:"message_id"`
		Seq            int64  `json:"seq"`
		Author         string `json:"author"`
		Internal       bool   `json:"internal"`
	}
	if err := json.Unmarshal(e.Payload, &m); err != nil || m.ConversationID == "" {
		return errBadPayload
	}
	if m.Author != "agent" || m.Internal || s.support == nil || s.jobs == nil {
		return nil
	}
	return s.jobs.Enqueue(ctx, replyArgs{ConversationID: m.ConversationID, MessageID: m.MessageID, Seq: m.Seq},
		&jobs.InsertOpts{ScheduledAt: s.now().Add(s.replyDelay)})
}

// checkReply e-mails the customer's unread agent replies, once per reply:
// nothing when they read this one, or when a later unread reply exists
// (its own check sends them all together).
func (s *Service) checkReply(ctx context.Context, a replyArgs) error {
	t, err := s.support.NotifyThread(ctx, a.ConversationID)
	if errors.Is(err, errs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var msgs []any
	last := int64(0)
	for _, m := range unreadReplies(t) {
		if m.Author == "agent" {
			msgs = append(msgs, map[string]any{"id": m.ID, "author": m.Author, "body": m.Body,
				"created_at": m.CreatedAt.UTC().Format(time.RFC3339)})
			last = m.Seq
		}
	}
	if last != a.Seq {
		return nil // read (and so everything before it), or a later reply's check covers it
	}
	msg := Message{Template: TemplateSupportReply, Locale: t.Locale, To: deref(t.Email),
		CustomerID: deref(t.CustomerID), DedupeKey: TemplateSupportReply + ":" + a.MessageID,
		Data: map[string]any{"conversation": map[string]any{"id": t.ID, "subject": t.Subject, "status": t.Status},
			"messages": msgs}}
	err = s.Send(ctx, msg)
	if skippable(err) {
		s.log.WarnContext(ctx, "no support reply e-mail", "conversation_id", t.ID, "reason", err.Error())
		return nil
	}
	return err
}

// unreadReplies are the messages from the shop (agent or bot) the customer
// has not read, oldest first: the last t.Unread of them, since the unread
// ones are exactly those after the customer's read marker.
func unreadReplies(t Thread) []ThreadMessage {
	var shop []ThreadMessage
	for _, m := range t.Recent {
		if m.Author != "customer" {
			shop = append(shop, m)
		}
	}
	n := int(min(t.Unread, int64(len(shop))))
	return shop[len(shop)-n:]
}
