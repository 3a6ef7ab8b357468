package support

import (
	"encoding/json"
	"time"

	"storekeep/internal/platform/errs"
)

// Conversation statuses. The life of a conversation (docs/support.md):
// bot (the bot answers) -> open (handed over: waiting for an agent) ->
// pending (an agent replied: waiting for the customer) -> open (the customer
// wrote again) ... -> closed; reopening a closed conversation makes it open.
const (
	StatusBot     = "bot"
	StatusOpen    = "open"
	StatusPending = "pending"
	StatusClosed  = "closed"
)

// Message authors.
const (
	AuthorCustomer = "customer"
	AuthorAgent    = "agent"
	AuthorBot      = "bot"
)

// Channels a conversation can start from.
var Channels = []string{"web", "mobile", "email"}

// Locales the chat speaks; anything else falls back to the first.
var Locales = []string{"en", "fr"}

// Conversation is a support conversation as its customer and staff see it.
// Unread counts the messages the viewer has not marked read: for the
// customer, agent and bot messages (never internal notes); for staff,
// customer messages.
type Conversation struct {
	ID            string     `json:"id" binding:"required" example:"conv_06h1wbq28dxanf5st2bqp8yfxm"`
	CustomerID    *string    `json:"customer_id" binding:"required" extensions:"x-nullable" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	Email         *string    `json:"email" binding:"required" extensions:"x-nullable" example:"camille@example.com"`
	OrderID       *string    `json:"order_id" binding:"required" extensions:"x-nullable" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	Subject       string     `json:"subject" binding:"required" example:"Where is my order?"`
	Status        string     `json:"status" binding:"required" enums:"bot,open,pending,closed" example:"open"`
	AssigneeID    *string    `json:"assignee_id" binding:"required" extensions:"x-nullable" example:"stf_06h1wbq28dxanf5st2bqp8yfxm"`
	Channel       string     `json:"channel" binding:"required" enums:"web,mobile,email" example:"web"`
	Tags          []string   `json:"tags" binding:"required" example:"shipping"`
	Locale        string     `json:"locale" binding:"required" enums:"en,fr" example:"en"`
	LastSeq       int64      `json:"last_seq" binding:"required" example:"4"`
	Unread        int64      `json:"unread" binding:"required" example:"1"`
	CreatedAt     time.Time  `json:"created_at" binding:"required" format:"date-time"`
	UpdatedAt     time.Time  `json:"updated_at" binding:"required" format:"date-time"`
	ClosedAt      *time.Time `json:"closed_at" binding:"required" extensions:"x-nullable" format:"date-time"`
	Rating        *int       `json:"rating" binding:"required" extensions:"x-nullable" example:"5"`
	RatingComment *string    `json:"rating_comment" binding:"required" extensions:"x-nullable" example:"Quick and kind."`
} // @name SupportConversation

// Message is one message of a conversation. Seq is its place in the
// conversation (1, 2, 3...; internal notes take numbers too, so the
// customer may see gaps). Bodies are plain text, never HTML.
type Message struct {
	ID             string       `json:"id" binding:"required" example:"msg_06h1wbq28dxanf5st2bqp8yfxm"`
	ConversationID string       `json:"conversation_id" binding:"required" example:"conv_06h1wbq28dxanf5st2bqp8yfxm"`
	Seq            int64        `json:"seq" binding:"required" example:"3"`
	Author         string       `json:"author" binding:"required" enums:"customer,agent,bot" example:"customer"`
	AuthorID       *string      `json:"author_id" binding:"required" extensions:"x-nullable" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	Body           string       `json:"body" binding:"required" example:"Where is my order?"`
	Internal       bool         `json:"internal" binding:"required" example:"false"`
	CreatedAt      time.Time    `json:"created_at" binding:"required" format:"date-time"`
	Suggestions    []Suggestion `json:"suggestions,omitempty"`
	Order          *OrderCard   `json:"order,omitempty"`
} // @name SupportMessage

// MaxBodyRunes is the longest message body, in characters.
const MaxBodyRunes = 4000

// Errors of this package.
var (
	// ErrNotFound is the 404 for a conversation that does not exist or is
	// not the caller's (the two are indistinguishable on purpose).
	ErrNotFound = errs.New(errs.NotFound, "not_found", "the conversation does not exist")
	// ErrClosed is the 409 for writing to a closed conversation.
	ErrClosed = errs.New(errs.Conflict, "conversation_closed", "the conversation is closed")
	// ErrNotClosed is the 409 for rating a conversation that is still going on.
	ErrNotClosed = errs.New(errs.Conflict, "conversation_not_closed", "the conversation is not closed yet")
	// ErrAlreadyRated is the 409 for a second rating.
	ErrAlreadyRated = errs.New(errs.Conflict, "already_rated", "the conversation was already rated")
)

// conversationRow is the support_conversations table.
type conversationRow struct {
	ID                     string
	CustomerID             *string
	Email                  *string
	OrderID                *string
	Subject                string
	Status                 string
	AssigneeID             *string
	Channel                string
	Tags                   string
	Locale                 string
	TokenHash              *string
	ClientIP               string
	LastSeq                int64
	CustomerReadSeq        int64
	AgentReadSeq           int64
	BotState               string
	Rating                 *int
	RatingComment          *string
	RatedAt                *time.Time
	FirstCustomerMessageAt *time.Time
	HandedOverAt           *time.Time
	FirstAgentReplyAt      *time.Time
	ClosedAt               *time.Time
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

// TableName is the GORM table.
func (conversationRow) TableName() string { return "support_conversations" }

func (r conversationRow) conversation(unread int64) Conversation {
	tags := []string{}
	_ = json.Unmarshal([]byte(r.Tags), &tags) // written by us; a bad value shows no tags
	if tags == nil {
		tags = []string{}
	}
	return Conversation{ID: r.ID, CustomerID: r.CustomerID, Email: r.Email, OrderID: r.OrderID, Subject: r.Subject,
		Status: r.Status, AssigneeID: r.AssigneeID, Channel: r.Channel, Tags: tags, Locale: r.Locale,
		LastSeq: r.LastSeq, Unread: unread, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		ClosedAt: utc(r.ClosedAt), Rating: r.Rating, RatingComment: r.RatingComment}
}

// messageRow is the support_messages table.
type messageRow struct {
	ID             string
	ConversationID string
	Seq            int64
	Author         string
	AuthorID       *string
	Body           string
	Internal       bool
	Suggestions    *string
	OrderCard      *string
	CreatedAt      time.Time
}

// TableName is the GORM table.
func (messageRow) TableName() string { return "support_messages" }

func (r messageRow) message() Message {
	m := Message{ID: r.ID, ConversationID: r.ConversationID, Seq: r.Seq, Author: r.Author, AuthorID: r.AuthorID,
		Body: r.Body, Internal: r.Internal, CreatedAt: r.CreatedAt.UTC()}
	if r.Suggestions != nil {
		_ = json.Unmarshal([]byte(*r.Suggestions), &m.Suggestions) // written by us
	}
	if r.OrderCard != nil {
		var card OrderCard
		if json.Unmarshal([]byte(*r.OrderCard), &card) == nil {
			m.Order = &card
		}
	}
	return m
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
