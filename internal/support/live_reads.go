package support

import (
	"context"
	"fmt"
	"time"
)

// Reads for the realtime hub (package live), which has already checked who
// may see a conversation when the socket opened.

// CustomerConversation returns a conversation as its customer sees it
// (their unread count), without an access check: the hub sends it to
// sockets whose access was checked when they opened.
func (s *Service) CustomerConversation(ctx context.Context, convID string) (Conversation, error) {
	r, err := s.store.get(ctx, nil, convID)
	if err != nil {
		return Conversation{}, err
	}
	return s.withUnread(ctx, false, r)
}

// ChangedSince returns, staff view, up to limit conversations updated and
// up to limit messages created at or after since, oldest first: what an
// inbox may have missed while its node could not hear changes.
func (s *Service) ChangedSince(ctx context.Context, since time.Time, limit int) ([]Conversation, []Message, error) {
	var rows []conversationRow
	if err := s.db.Conn(ctx).Where("updated_at >= ?", since.UTC()).Order("updated_at DESC, id DESC").
		Limit(limit).Find(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("changed conversations: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	unread, err := s.store.unread(ctx, true, ids...)
	if err != nil {
		return nil, nil, err
	}
	convs := make([]Conversation, len(rows))
	for i, r := range rows {
		convs[len(rows)-1-i] = r.conversation(unread[r.ID])
	}
	var mrows []messageRow
	if err := s.db.Conn(ctx).Where("created_at >= ?", since.UTC()).Order("created_at DESC, id DESC").
		Limit(limit).Find(&mrows).Error; err != nil {
		return nil, nil, fmt.Errorf("changed messages: %w", err)
	}
	msgs := make([]Message, len(mrows))
	for i, m := range mrows {
		msgs[len(mrows)-1-i] = m.message()
	}
	return convs, msgs, nil
}
