package support

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/text"
)

// AssignableRoles are the staff roles a conversation can be assigned to.
var AssignableRoles = []string{auth.RoleSupport, auth.RoleManager, auth.RoleAdmin}

var errNotAssignable = errs.Invalidf("staff_id", "must be a staff user with the support, manager or admin role")

// Assign gives a conversation to a staff member ("" unassigns). The staff
// member must exist and hold a role that handles conversations (422).
func (s *Service) Assign(ctx context.Context, convID, staffID string) (Conversation, error) {
	if staffID != "" {
		if s.staff == nil {
			return Conversation{}, errNotAssignable
		}
		role, err := s.staff.StaffRole(ctx, staffID)
		if err != nil {
			if e, ok := errs.As(err); ok && e.Kind == errs.NotFound {
				return Conversation{}, errNotAssignable
			}
			return Conversation{}, err
		}
		if !slices.Contains(AssignableRoles, role) {
			return Conversation{}, errNotAssignable
		}
	}
	return s.change(ctx, convID, func(ctx context.Context, c *conversationRow, cols map[string]any) (string, error) {
		if staffID == "" {
			c.AssigneeID, cols["assignee_id"] = nil, nil
		} else {
			c.AssigneeID, cols["assignee_id"] = &staffID, staffID
		}
		return ChangeConversationUpdated, nil
	})
}

// Close closes a conversation (again: no change). It records
// support.conversation.closed.
func (s *Service) Close(ctx context.Context, convID string) (Conversation, error) {
	return s.change(ctx, convID, func(ctx context.Context, c *conversationRow, cols map[string]any) (string, error) {
		if c.Status == StatusClosed {
			return "", nil
		}
		now := s.clock()
		c.Status, c.ClosedAt = StatusClosed, &now
		cols["status"], cols["closed_at"] = StatusClosed, now
		return ChangeConversationClosed, s.recordConversation(ctx, EventConversationClosed, *c)
	})
}

// Reopen makes a closed conversation open again, waiting for a person (a
// conversation that is not closed: no change). A rating given stays.
func (s *Service) Reopen(ctx context.Context, convID string) (Conversation, error) {
	return s.change(ctx, convID, func(ctx context.Context, c *conversationRow, cols map[string]any) (string, error) {
		if c.Status != StatusClosed {
			return "", nil
		}
		c.ClosedAt, cols["closed_at"] = nil, nil
		return ChangeConversationUpdated, s.setOpen(ctx, c, cols)
	})
}

// SetTags replaces a conversation's tags (lowercased, de-duplicated).
func (s *Service) SetTags(ctx context.Context, convID string, tags []string) (Conversation, error) {
	clean, err := cleanTags(tags)
	if err != nil {
		return Conversation{}, err
	}
	return s.change(ctx, convID, func(ctx context.Context, c *conversationRow, cols map[string]any) (string, error) {
		c.Tags = *jsonText(clean)
		cols["tags"] = c.Tags
		return ChangeConversationUpdated, nil
	})
}

// Rate records the customer's satisfaction with a closed conversation: a
// score from 1 to 5 and an optional comment, once.
func (s *Service) Rate(ctx context.Context, a Access, convID string, score int, comment string) (Conversation, error) {
	if score < 1 || score > 5 {
		return Conversation{}, errs.Invalidf("score", "must be from 1 to 5")
	}
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > maxCommentRunes {
		return Conversation{}, errs.Invalidf("comment", "must be at most %d characters", maxCommentRunes)
	}
	if !text.Valid(comment, text.Free) {
		return Conversation{}, errs.Invalidf("comment", "must be plain text")
	}
	if _, err := s.store.get(ctx, &a, convID); err != nil {
		return Conversation{}, err
	}
	c, err := s.change(ctx, convID, func(ctx context.Context, c *conversationRow, cols map[string]any) (string, error) {
		if c.Status != StatusClosed {
			return "", ErrNotClosed
		}
		if c.Rating != nil {
			return "", ErrAlreadyRated
		}
		now := s.clock()
		c.Rating, c.RatedAt = &score, &now
		cols["rating"], cols["rated_at"] = score, now
		if comment != "" {
			c.RatingComment, cols["rating_comment"] = &comment, comment
		}
		return ChangeConversationUpdated, nil
	})
	if err != nil {
		return Conversation{}, err
	}
	return s.Conversation(ctx, a, c.ID)
}

// change loads a conversation in a transaction, lets fn change it (fn
// fills cols and names the Change kind to publish, "" for no change) and
// saves it; the change is published after the commit. It returns the
// conversation as staff see it.
func (s *Service) change(ctx context.Context, convID string, fn func(ctx context.Context, c *conversationRow, cols map[string]any) (string, error)) (Conversation, error) {
	var (
		c    conversationRow
		kind string
	)
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.store.get(ctx, nil, convID); err != nil {
			return err
		}
		cols := map[string]any{}
		if kind, err = fn(ctx, &c, cols); err != nil || kind == "" {
			return err
		}
		c.UpdatedAt, cols["updated_at"] = s.clock(), s.clock()
		return s.store.update(ctx, c.ID, cols)
	})
	if err != nil {
		return Conversation{}, err
	}
	if kind != "" {
		s.publish(ctx, Change{Kind: kind, ConversationID: c.ID, Seq: c.LastSeq})
	}
	return s.StaffConversation(ctx, c.ID)
}
