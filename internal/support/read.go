package support

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/page"
)

// Message page sizes.
const (
	DefaultMessageLimit = 50
	MaxMessageLimit     = 100
)

// Conversation returns a conversation the caller may see (404 otherwise),
// with the customer's unread count.
func (s *Service) Conversation(ctx context.Context, a Access, convID string) (Conversation, error) {
	r, err := s.store.get(ctx, &a, convID)
	if err != nil {
		return Conversation{}, err
	}
	return s.withUnread(ctx, false, r)
}

// StaffConversation returns any conversation, with the agents' unread count.
func (s *Service) StaffConversation(ctx context.Context, convID string) (Conversation, error) {
	r, err := s.store.get(ctx, nil, convID)
	if err != nil {
		return Conversation{}, err
	}
	return s.withUnread(ctx, true, r)
}

func (s *Service) withUnread(ctx context.Context, staff bool, r conversationRow) (Conversation, error) {
	n, err := s.store.unread(ctx, staff, r.ID)
	if err != nil {
		return Conversation{}, err
	}
	return r.conversation(n[r.ID]), nil
}

// ListMine lists a signed-in customer's conversations, newest first. Guests
// have no list (their token names one conversation).
func (s *Service) ListMine(ctx context.Context, customerID string, pr page.Request) (page.List[Conversation], error) {
	if customerID == "" {
		return page.List[Conversation]{Data: []Conversation{}}, nil
	}
	return s.list(ctx, false, pr, "customer_id = ?", customerID)
}

// InboxFilter narrows the agents' inbox; zero fields match everything.
type InboxFilter struct {
	// Status is bot, open, pending or closed.
	Status string
	// AssigneeID is a staff id, or "none" for unassigned conversations.
	AssigneeID string
	// Tag is one tag the conversation carries.
	Tag  string
	Page page.Request
}

// Inbox lists conversations for agents, newest first, with the agents'
// unread counts (customer messages after their read marker).
func (s *Service) Inbox(ctx context.Context, f InboxFilter) (page.List[Conversation], error) {
	var (
		conds []string
		args  []any
	)
	if f.Status != "" {
		switch f.Status {
		case StatusBot, StatusOpen, StatusPending, StatusClosed:
		default:
			return page.List[Conversation]{}, errs.Invalidf("status", "must be one of bot, open, pending, closed")
		}
		conds, args = append(conds, "status = ?"), append(args, f.Status)
	}
	switch f.AssigneeID {
	case "":
	case "none":
		conds = append(conds, "assignee_id IS NULL")
	default:
		conds, args = append(conds, "assignee_id = ?"), append(args, f.AssigneeID)
	}
	if f.Tag != "" {
		tag := strings.ToLower(strings.TrimSpace(f.Tag))
		if !validTag(tag) {
			return page.List[Conversation]{}, errs.Invalidf("tag", "a tag is 1 to %d letters, digits, '-' or '_'", maxTagRunes)
		}
		// Tags are a JSON list of [letters, digits, -, _]; '_' is LIKE's
		// one-character wildcard, so it is escaped.
		conds = append(conds, `tags LIKE ? ESCAPE '\'`)
		args = append(args, `%"`+strings.ReplaceAll(tag, "_", `\_`)+`"%`)
	}
	if len(conds) == 0 {
		conds = []string{"1 = 1"}
	}
	return s.list(ctx, true, f.Page, strings.Join(conds, " AND "), args...)
}

// list pages conversations matching where, newest first (ids are time-ordered).
func (s *Service) list(ctx context.Context, staff bool, pr page.Request, where string, args ...any) (page.List[Conversation], error) {
	q := s.db.Conn(ctx).Where(where, args...).Order("id DESC").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []conversationRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Conversation]{}, fmt.Errorf("list conversations: %w", err)
	}
	l := page.Build(rows, pr.Limit, func(r conversationRow) page.Cursor { return page.Cursor{ID: r.ID} })
	ids := make([]string, len(l.Data))
	for i, r := range l.Data {
		ids[i] = r.ID
	}
	unread, err := s.store.unread(ctx, staff, ids...)
	if err != nil {
		return page.List[Conversation]{}, err
	}
	out := page.List[Conversation]{Data: make([]Conversation, len(l.Data)), NextCursor: l.NextCursor}
	for i, r := range l.Data {
		out.Data[i] = r.conversation(unread[r.ID])
	}
	return out, nil
}

// Messages returns the customer's view of a conversation's messages after
// seq after (0: from the start), oldest first: internal notes are left out.
func (s *Service) Messages(ctx context.Context, a Access, convID string, after int64, limit int) ([]Message, error) {
	if _, err := s.store.get(ctx, &a, convID); err != nil {
		return nil, err
	}
	return s.messages(ctx, convID, after, limit, false)
}

// StaffMessages is Messages for staff: internal notes included.
func (s *Service) StaffMessages(ctx context.Context, convID string, after int64, limit int) ([]Message, error) {
	if _, err := s.store.get(ctx, nil, convID); err != nil {
		return nil, err
	}
	return s.messages(ctx, convID, after, limit, true)
}

func (s *Service) messages(ctx context.Context, convID string, after int64, limit int, internal bool) ([]Message, error) {
	if after < 0 {
		return nil, errs.Invalidf("after", "must be a message seq (0 or more)")
	}
	if limit <= 0 {
		limit = DefaultMessageLimit
	}
	limit = min(limit, MaxMessageLimit)
	rows, err := s.store.messages(ctx, convID, after, limit, internal)
	if err != nil {
		return nil, err
	}
	out := make([]Message, len(rows))
	for i, r := range rows {
		out[i] = r.message()
	}
	return out, nil
}

// MarkRead moves the customer's read marker to seq (never backwards).
func (s *Service) MarkRead(ctx context.Context, a Access, convID string, seq int64) error {
	r, err := s.store.get(ctx, &a, convID)
	if err != nil {
		return err
	}
	return s.markRead(ctx, r, "customer_read_seq", seq)
}

// StaffMarkRead moves the agents' read marker to seq (never backwards).
func (s *Service) StaffMarkRead(ctx context.Context, convID string, seq int64) error {
	r, err := s.store.get(ctx, nil, convID)
	if err != nil {
		return err
	}
	return s.markRead(ctx, r, "agent_read_seq", seq)
}

func (s *Service) markRead(ctx context.Context, r conversationRow, column string, seq int64) error {
	if seq < 0 || seq > r.LastSeq {
		return errs.Invalidf("seq", "must be a message seq of this conversation (0 to %d)", r.LastSeq)
	}
	// column is one of two constants above, never input.
	res := s.db.Conn(ctx).Exec(`UPDATE support_conversations SET `+column+` = ? WHERE id = ? AND `+column+` < ?`,
		seq, r.ID, seq)
	if res.Error != nil {
		return fmt.Errorf("mark read: %w", res.Error)
	}
	// A marker that did not move changed nothing: publishing anyway would let
	// a client's repeated read frames (not rate limited) fan a conversation
	// frame out to every inbox socket.
	if res.RowsAffected > 0 {
		s.publish(ctx, Change{Kind: ChangeConversationUpdated, ConversationID: r.ID, Seq: r.LastSeq})
	}
	return nil
}

// jsonText marshals v for a TEXT column.
func jsonText(v any) *string {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	s := string(b)
	return &s
}
