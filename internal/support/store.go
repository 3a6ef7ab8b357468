package support

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/id"
)

// store is the support tables. Every customer-side read is scoped in SQL by
// the caller's customer id or token hash.
type store struct{ db *db.DB }

// hashToken is how a guest token is kept: SHA-256, hex. The token is 32
// random bytes, so a fast hash is enough (nothing to brute-force).
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// scope narrows q to the conversations a can see; false when it sees none.
func scope(q *gorm.DB, a Access) (*gorm.DB, bool) {
	switch {
	case a.CustomerID != "" && a.Token != "":
		return q.Where("(customer_id = ? OR token_hash = ?)", a.CustomerID, hashToken(a.Token)), true
	case a.CustomerID != "":
		return q.Where("customer_id = ?", a.CustomerID), true
	case a.Token != "":
		return q.Where("token_hash = ?", hashToken(a.Token)), true
	}
	return q, false
}

// get reads a conversation by id: as the customer side *a sees it, or any
// conversation when a is nil (staff). Inside a transaction the read locks
// the row until the transaction ends (SELECT ... FOR UPDATE on PostgreSQL;
// SQLite runs one writer at a time already): every write reads the
// conversation in its transaction and decides from what it read (closed?
// rated? still the bot's?), so two writers must not both act on the same
// old row, one overwriting the other's status or rating.
func (s store) get(ctx context.Context, a *Access, convID string) (conversationRow, error) {
	if !id.Valid("conv", convID) {
		return conversationRow{}, ErrNotFound
	}
	q := s.db.Conn(ctx).Where("id = ?", convID)
	if db.InTx(ctx) && s.db.Dialect() == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	if a != nil {
		var ok bool
		if q, ok = scope(q, *a); !ok {
			return conversationRow{}, ErrNotFound
		}
	}
	var r conversationRow
	err := q.Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return conversationRow{}, ErrNotFound
	}
	if err != nil {
		return conversationRow{}, fmt.Errorf("read conversation: %w", err)
	}
	return r, nil
}

func (s store) insertConversation(ctx context.Context, r *conversationRow) error {
	if err := s.db.Conn(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("insert conversation: %w", err)
	}
	return nil
}

// nextSeq takes the conversation's next message number. The UPDATE locks
// the row until the transaction ends (PostgreSQL) or runs under SQLite's
// single writer, so concurrent posts get 1, 2, 3... without gaps or twins.
func (s store) nextSeq(ctx context.Context, convID string, now time.Time) (int64, error) {
	var seq int64
	err := s.db.Conn(ctx).Raw(`UPDATE support_conversations SET last_seq = last_seq + 1, updated_at = ?
		WHERE id = ? RETURNING last_seq`, now, convID).Scan(&seq).Error
	if err != nil {
		return 0, fmt.Errorf("next message seq: %w", err)
	}
	if seq == 0 {
		return 0, ErrNotFound
	}
	return seq, nil
}

func (s store) insertMessage(ctx context.Context, m *messageRow) error {
	if err := s.db.Conn(ctx).Create(m).Error; err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	return nil
}

// update sets columns of one conversation.
func (s store) update(ctx context.Context, convID string, cols map[string]any) error {
	if err := s.db.Conn(ctx).Model(&conversationRow{}).Where("id = ?", convID).Updates(cols).Error; err != nil {
		return fmt.Errorf("update conversation: %w", err)
	}
	return nil
}

// messages reads a conversation's messages after seq, oldest first.
func (s store) messages(ctx context.Context, convID string, after int64, limit int, internal bool) ([]messageRow, error) {
	q := s.db.Conn(ctx).Where("conversation_id = ? AND seq > ?", convID, after)
	if !internal {
		q = q.Where("internal = ?", false)
	}
	var rows []messageRow
	if err := q.Order("seq").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	return rows, nil
}

// unread counts, per conversation, what the viewer has not read: for the
// customer (staff false), agent and bot messages that are not internal
// notes after customer_read_seq; for staff, customer messages after
// agent_read_seq.
func (s store) unread(ctx context.Context, staff bool, convIDs ...string) (map[string]int64, error) {
	out := make(map[string]int64, len(convIDs))
	if len(convIDs) == 0 {
		return out, nil
	}
	cond := "m.author <> 'customer' AND m.internal = ? AND m.seq > c.customer_read_seq"
	if staff {
		cond = "m.author = 'customer' AND m.internal = ? AND m.seq > c.agent_read_seq"
	}
	var rows []struct {
		ConversationID string
		N              int64
	}
	err := s.db.Conn(ctx).Raw(`SELECT m.conversation_id, COUNT(*) AS n FROM support_messages m
		JOIN support_conversations c ON c.id = m.conversation_id
		WHERE m.conversation_id IN ? AND `+cond+` GROUP BY m.conversation_id`, convIDs, false).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count unread: %w", err)
	}
	for _, r := range rows {
		out[r.ConversationID] = r.N
	}
	return out, nil
}
