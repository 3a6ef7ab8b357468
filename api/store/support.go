package store

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/page"
	"storekeep/internal/support"
)

// HeaderConversationToken carries a guest's conversation token: it grants
// that one conversation.
const HeaderConversationToken = "X-Conversation-Token"

// Support serves the shopper's side of the support chat
// (/v1/store/support/...): a signed-in customer reaches their own
// conversations through their token; a guest reaches one conversation with
// its X-Conversation-Token. Anything else is 404.
type Support struct{ Svc *support.Service }

// RegisterSupport adds the store support routes to r.
func RegisterSupport(r *web.Router, h Support) {
	r.POST("/v1/store/support/conversations", web.Shopper, h.startConversation)
	r.GET("/v1/store/support/conversations", web.CustomerOnly, h.listConversations)
	r.GET("/v1/store/support/conversations/:id", web.Shopper, h.getConversation)
	r.GET("/v1/store/support/conversations/:id/messages", web.Shopper, h.listMessages)
	r.POST("/v1/store/support/conversations/:id/messages", web.Shopper, h.postMessage)
	r.POST("/v1/store/support/conversations/:id/rating", web.Shopper, h.rate)
	r.POST("/v1/store/support/conversations/:id/read", web.Shopper, h.markRead)
}

// access is the caller as the support service sees them.
func access(c echo.Context) support.Access {
	a := support.Access{Token: c.Request().Header.Get(HeaderConversationToken)}
	if actor := auth.FromContext(c.Request().Context()); actor.Kind == auth.Customer {
		a.CustomerID = actor.ID
	}
	return a
}

// StartConversationInput opens a support conversation.
type StartConversationInput struct {
	// Subject defaults to the first line of message.
	Subject string `json:"subject" validate:"max=200" example:"Where is my order?"`
	Message string `json:"message" validate:"required" text:"free" example:"Hello, where is my order SK-1042?"`
	// OrderID links one of the customer's orders (a guest's: placed with email).
	OrderID string `json:"order_id" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	// Email is the guest's address; required with order_id for a guest.
	Email   string `json:"email" example:"camille@example.com"`
	Channel string `json:"channel" enums:"web,mobile,email" example:"web"`
	// Locale is the bot's language (en or fr); by default ?locale= or Accept-Language.
	Locale string `json:"locale" example:"fr"`
} // @name SupportStartInput

// StartedConversation is a new conversation, its first messages and, for
// a guest, the token (shown once).
type StartedConversation struct {
	Conversation support.Conversation `json:"conversation" binding:"required"`
	Messages     []support.Message    `json:"messages" binding:"required"`
	// Token is the guest's conversation token (absent for a customer).
	Token string `json:"token,omitempty" example:"q3V0bW9yZS1yYW5kb20tYnl0ZXMtaGVyZS0xMjM0NTY3OA"`
} // @name SupportStartedConversation

// startConversation godoc
//
//	@Summary		Start a support conversation
//	@Description	Opens a conversation with its first message. A signed-in customer owns it; a guest gets `token` (also sent as the X-Conversation-Token response header), a secret shown once that alone grants this conversation: send it as X-Conversation-Token on every later call. `order_id` must be one of the customer's orders (a guest's: one placed with `email`), else 422 naming order_id, whether or not the order exists. The bot answers first (its reply is in `messages`) and hands over to a person when it cannot help. Each client IP may start 10 conversations per 15 minutes by default, then 429 with Retry-After (docs/support.md, Limits).
//	@Tags			support
//	@ID				startSupportConversation
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			locale			query		string					false	"bot language, e.g. fr (when the body names none)"
//	@Param			body			body		StartConversationInput	true	"first message"
//	@Success		201				{object}	StartedConversation
//	@Header			201				{string}	X-Conversation-Token	"the guest's conversation token"
//	@Failure		400				{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401				{object}	web.Problem
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed"
//	@Failure		429				{object}	web.Problem	"rate_limited (see Retry-After)"
//	@Router			/v1/store/support/conversations [post]
func (h Support) startConversation(c echo.Context) error {
	var in StartConversationInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	locale := in.Locale
	if locale == "" {
		locale = c.QueryParam("locale")
	}
	if locale == "" {
		locale = c.Request().Header.Get("Accept-Language")
	}
	a := access(c)
	conv, msgs, token, err := h.Svc.Start(c.Request().Context(), support.StartInput{Subject: in.Subject,
		Message: in.Message, OrderID: in.OrderID, Email: in.Email, Channel: in.Channel, Locale: locale,
		CustomerID: a.CustomerID, IP: c.RealIP()})
	if err != nil {
		return err
	}
	if token != "" {
		c.Response().Header().Set(HeaderConversationToken, token)
	}
	return c.JSON(http.StatusCreated, StartedConversation{Conversation: conv, Messages: msgs, Token: token})
}

// ConversationList is a page of conversations.
type ConversationList struct {
	Data       []support.Conversation `json:"data" binding:"required"`
	NextCursor *string                `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name SupportConversationList

// listConversations godoc
//
//	@Summary		List my support conversations
//	@Description	The signed-in customer's conversations, newest first, each with `unread` (agent and bot messages after the customer's read marker). Guests have no list: their token names one conversation (401).
//	@Tags			support
//	@ID				listMySupportConversations
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	ConversationList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem	"a staff token"
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/store/support/conversations [get]
func (h Support) listConversations(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	l, err := h.Svc.ListMine(c.Request().Context(), access(c).CustomerID, pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ConversationList(l))
}

// getConversation godoc
//
//	@Summary		Get a support conversation
//	@Description	One of the customer's conversations, or the guest's (X-Conversation-Token). Anyone else's is 404.
//	@Tags			support
//	@ID				getSupportConversation
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id						path		string	true	"conversation id"
//	@Param			X-Conversation-Token	header		string	false	"a guest's conversation token"
//	@Success		200						{object}	support.Conversation
//	@Failure		401						{object}	web.Problem
//	@Failure		404						{object}	web.Problem
//	@Router			/v1/store/support/conversations/{id} [get]
func (h Support) getConversation(c echo.Context) error {
	conv, err := h.Svc.Conversation(c.Request().Context(), access(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, conv)
}

// MessagePage is a run of messages in seq order. NextCursor, when set, is
// the seq to pass as `after` for the next page (the page was full).
type MessagePage struct {
	Data       []support.Message `json:"data" binding:"required"`
	NextCursor *string           `json:"next_cursor" binding:"required" extensions:"x-nullable" example:"50"`
} // @name SupportMessagePage

// MessagePageOf builds a MessagePage: a full page points at its last seq.
func MessagePageOf(msgs []support.Message, limit int) MessagePage {
	p := MessagePage{Data: msgs}
	if p.Data == nil {
		p.Data = []support.Message{}
	}
	if len(msgs) > 0 && len(msgs) >= limit {
		next := strconv.FormatInt(msgs[len(msgs)-1].Seq, 10)
		p.NextCursor = &next
	}
	return p
}

// MessageQuery reads ?after= and ?limit= of a message page.
func MessageQuery(c echo.Context) (after int64, limit int, err error) {
	if v := c.QueryParam("after"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			return 0, 0, errs.Invalidf("after", "must be a message seq (0 or more)")
		}
	}
	limit = support.DefaultMessageLimit
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return 0, 0, errs.Invalidf("limit", "must be a whole number from 1 to %d", support.MaxMessageLimit)
		}
	}
	return after, min(limit, support.MaxMessageLimit), nil
}

// listMessages godoc
//
//	@Summary		Read a conversation's messages
//	@Description	Messages with seq greater than `after` (default 0: from the start), oldest first, at most `limit` (default 50, max 100). Internal notes are never included, so seqs may skip. A client that polls passes the last seq it saw as `after`; when `next_cursor` is set the page was full: pass it as `after` for more. The conversation socket replays the same stream.
//	@Tags			support
//	@ID				listSupportMessages
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id						path		string	true	"conversation id"
//	@Param			after					query		int		false	"last seq seen"	minimum(0)
//	@Param			limit					query		int		false	"page size (default 50, values over 100 are clamped)"	minimum(1)
//	@Param			X-Conversation-Token	header		string	false	"a guest's conversation token"
//	@Success		200						{object}	MessagePage
//	@Failure		401						{object}	web.Problem
//	@Failure		404						{object}	web.Problem
//	@Failure		422						{object}	web.Problem	"bad after or limit"
//	@Router			/v1/store/support/conversations/{id}/messages [get]
func (h Support) listMessages(c echo.Context) error {
	after, limit, err := MessageQuery(c)
	if err != nil {
		return err
	}
	msgs, err := h.Svc.Messages(c.Request().Context(), access(c), c.Param("id"), after, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, MessagePageOf(msgs, limit))
}

// PostMessageInput is a customer's message.
type PostMessageInput struct {
	// Body is plain text (never HTML), 1 to 4000 characters after trimming.
	Body string `json:"body" validate:"required" text:"free" example:"It has not arrived yet."`
} // @name SupportPostMessageInput

// PostedMessages are the messages a post added: the customer's, then the
// bot's answer when the bot has the conversation.
type PostedMessages struct {
	Messages []support.Message `json:"messages" binding:"required"`
} // @name SupportPostedMessages

// postMessage godoc
//
//	@Summary		Send a message
//	@Description	Adds the customer's message. While the bot has the conversation it answers at once (its reply is the second message returned) and may hand over to a person (status open). A conversation waiting on the customer (pending) becomes open. A closed conversation is 409 conversation_closed. Limited per conversation (120) and per client IP (300) per 15 minutes by default: 429 with Retry-After.
//	@Tags			support
//	@ID				postSupportMessage
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id						path		string				true	"conversation id"
//	@Param			X-Conversation-Token	header		string				false	"a guest's conversation token"
//	@Param			body					body		PostMessageInput	true	"the message"
//	@Success		201						{object}	PostedMessages
//	@Failure		400						{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401						{object}	web.Problem
//	@Failure		404						{object}	web.Problem
//	@Failure		409						{object}	web.Problem	"conversation_closed"
//	@Failure		413						{object}	web.Problem
//	@Failure		422						{object}	web.Problem	"validation_failed"
//	@Failure		429						{object}	web.Problem	"rate_limited (see Retry-After)"
//	@Router			/v1/store/support/conversations/{id}/messages [post]
func (h Support) postMessage(c echo.Context) error {
	var in PostMessageInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	msgs, err := h.Svc.PostCustomer(c.Request().Context(), access(c), c.Param("id"), in.Body, c.RealIP())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, PostedMessages{Messages: msgs})
}

// RatingInput is the customer's satisfaction score.
type RatingInput struct {
	Score   int    `json:"score" validate:"required,min=1,max=5" minimum:"1" maximum:"5" example:"5"`
	Comment string `json:"comment" text:"free" validate:"max=2000" example:"Quick and kind."`
} // @name SupportRatingInput

// rate godoc
//
//	@Summary		Rate a closed conversation
//	@Description	CSAT: a score from 1 to 5 and an optional comment, once, after the conversation was closed (409 conversation_not_closed before, 409 already_rated after the first).
//	@Tags			support
//	@ID				rateSupportConversation
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id						path		string		true	"conversation id"
//	@Param			X-Conversation-Token	header		string		false	"a guest's conversation token"
//	@Param			body					body		RatingInput	true	"score and comment"
//	@Success		200						{object}	support.Conversation
//	@Failure		400						{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401						{object}	web.Problem
//	@Failure		404						{object}	web.Problem
//	@Failure		409						{object}	web.Problem	"conversation_not_closed, already_rated"
//	@Failure		413						{object}	web.Problem
//	@Failure		422						{object}	web.Problem	"validation_failed"
//	@Router			/v1/store/support/conversations/{id}/rating [post]
func (h Support) rate(c echo.Context) error {
	var in RatingInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	conv, err := h.Svc.Rate(c.Request().Context(), access(c), c.Param("id"), in.Score, in.Comment)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, conv)
}

// ReadInput moves a read marker.
type ReadInput struct {
	// Seq is the last message read (the marker never moves back).
	Seq int64 `json:"seq" validate:"min=0" minimum:"0" example:"4"`
} // @name SupportReadInput

// markRead godoc
//
//	@Summary		Mark messages read
//	@Description	Moves the customer's read marker to `seq` (never backwards); `unread` counts what lies after it. A seq beyond the conversation's last is 422.
//	@Tags			support
//	@ID				markSupportConversationRead
//	@Accept			json
//	@Security		BearerAuth
//	@Param			id						path	string		true	"conversation id"
//	@Param			X-Conversation-Token	header	string		false	"a guest's conversation token"
//	@Param			body					body	ReadInput	true	"last seq read"
//	@Success		204
//	@Failure		400	{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		413	{object}	web.Problem
//	@Failure		422	{object}	web.Problem	"validation_failed"
//	@Router			/v1/store/support/conversations/{id}/read [post]
func (h Support) markRead(c echo.Context) error {
	var in ReadInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	if err := h.Svc.MarkRead(c.Request().Context(), access(c), c.Param("id"), in.Seq); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
