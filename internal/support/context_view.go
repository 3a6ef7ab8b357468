package support

import (
	"context"
	"fmt"
)

// Context is what an agent sees beside a thread: who the customer is, their
// latest orders and their other conversations.
type Context struct {
	Conversation Conversation `json:"conversation" binding:"required"`
	// Customer is nil for a guest.
	Customer *CustomerRef `json:"customer" binding:"required" extensions:"x-nullable"`
	// RecentOrders are the customer's latest orders (at most 5), newest first.
	RecentOrders []OrderRef `json:"recent_orders" binding:"required"`
	// PreviousConversations are the customer's (or, for a guest, the same
	// e-mail's) other conversations, newest first (at most 10).
	PreviousConversations []Conversation `json:"previous_conversations" binding:"required"`
} // @name SupportContext

// Sizes of the context lists.
const (
	contextOrders        = 5
	contextConversations = 10
)

// StaffContext returns the agent's view of a conversation's customer.
func (s *Service) StaffContext(ctx context.Context, convID string) (Context, error) {
	c, err := s.StaffConversation(ctx, convID)
	if err != nil {
		return Context{}, err
	}
	out := Context{Conversation: c, RecentOrders: []OrderRef{}, PreviousConversations: []Conversation{}}
	if c.CustomerID != nil {
		if s.customers != nil {
			if cus, err := s.customers.SupportCustomer(ctx, *c.CustomerID); err == nil {
				out.Customer = &cus
			}
		}
		if s.orders != nil {
			orders, err := s.orders.RecentOrders(ctx, *c.CustomerID, contextOrders)
			if err != nil {
				return Context{}, fmt.Errorf("recent orders: %w", err)
			}
			if orders != nil {
				out.RecentOrders = orders
			}
		}
	}
	where, arg := "", ""
	switch {
	case c.CustomerID != nil:
		where, arg = "customer_id = ? AND id <> ?", *c.CustomerID
	case c.Email != nil:
		where, arg = "email = ? AND customer_id IS NULL AND id <> ?", *c.Email
	default:
		return out, nil
	}
	var rows []conversationRow
	if err := s.db.Conn(ctx).Where(where, arg, c.ID).Order("id DESC").Limit(contextConversations).
		Find(&rows).Error; err != nil {
		return Context{}, fmt.Errorf("previous conversations: %w", err)
	}
	for _, r := range rows {
		out.PreviousConversations = append(out.PreviousConversations, r.conversation(0))
	}
	return out, nil
}
