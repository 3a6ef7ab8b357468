package admin

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/page"
	"storekeep/internal/support"
)

// Support serves the agents' side of the support chat
// (/v1/admin/support/...): the inbox, threads with internal notes, the
// customer's context, assignment, status, tags, FAQs, canned replies and
// the support metrics.
type Support struct {
	Svc *support.Service
	// Now is the clock the metrics' default period is taken from.
	Now func() time.Time
}

// supportStaff may handle conversations (roles: docs/auth.md); warehouse may not.
var supportStaff = web.StaffRoles(auth.RoleSupport, auth.RoleManager)

// RegisterSupport adds the admin support routes to r.
func RegisterSupport(r *web.Router, h Support) {
	const conv = "/v1/admin/support/conversations/:id"
	r.GET("/v1/admin/support/conversations", supportStaff, h.listConversations)
	r.GET(conv, supportStaff, h.getConversation)
	r.GET(conv+"/context", supportStaff, h.getContext)
	r.GET(conv+"/messages", supportStaff, h.listMessages)
	r.POST(conv+"/messages", supportStaff, h.postMessage)
	r.POST(conv+"/assign", supportStaff, h.assign)
	r.POST(conv+"/close", supportStaff, h.close)
	r.POST(conv+"/reopen", supportStaff, h.reopen)
	r.POST(conv+"/read", supportStaff, h.markRead)
	r.PUT(conv+"/tags", supportStaff, h.setTags)
	registerSupportLibrary(r, h)
	r.GET("/v1/admin/support/metrics", supportStaff, h.metrics)
}

// staffID is the calling staff member (or API key) who writes a message.
func staffID(c echo.Context) string { return auth.FromContext(c.Request().Context()).ID }

// listConversations godoc
//
//	@Summary		The support inbox
//	@Description	Conversations newest first, with `unread` for agents (customer messages after the agents' read marker). Filters combine: `status`, `assignee` (a staff id, or `none` for unassigned), `tag`. Support, manager and admin staff.
//	@Tags			support
//	@ID				listSupportConversations
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status		query		string	false	"bot, open, pending or closed"	Enums(bot, open, pending, closed)
//	@Param			assignee	query		string	false	"staff id, or none"
//	@Param			tag			query		string	false	"a tag"
//	@Param			limit		query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"
//	@Success		200			{object}	store.ConversationList
//	@Failure		400			{object}	web.Problem	"invalid_cursor"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad status, tag or limit"
//	@Router			/v1/admin/support/conversations [get]
func (h Support) listConversations(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	l, err := h.Svc.Inbox(c.Request().Context(), support.InboxFilter{Status: c.QueryParam("status"),
		AssigneeID: c.QueryParam("assignee"), Tag: c.QueryParam("tag"), Page: pr})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, store.ConversationList(l))
}

// Thread is a conversation with its first messages, internal notes included.
type Thread struct {
	Conversation support.Conversation `json:"conversation" binding:"required"`
	Messages     []support.Message    `json:"messages" binding:"required"`
	// NextCursor, when set, is the seq to pass as `after` to
	// GET .../messages for the rest of a long thread.
	NextCursor *string `json:"next_cursor" binding:"required" extensions:"x-nullable" example:"100"`
} // @name SupportThread

// getConversation godoc
//
//	@Summary		Get a conversation and its messages
//	@Description	The conversation and its first 100 messages in seq order, internal notes included (`internal: true`); `next_cursor` points at the rest.
//	@Tags			support
//	@ID				getSupportThread
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"conversation id"
//	@Success		200	{object}	Thread
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/support/conversations/{id} [get]
func (h Support) getConversation(c echo.Context) error {
	ctx := c.Request().Context()
	conv, err := h.Svc.StaffConversation(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	msgs, err := h.Svc.StaffMessages(ctx, conv.ID, 0, support.MaxMessageLimit)
	if err != nil {
		return err
	}
	p := store.MessagePageOf(msgs, support.MaxMessageLimit)
	return c.JSON(http.StatusOK, Thread{Conversation: conv, Messages: p.Data, NextCursor: p.NextCursor})
}

// getContext godoc
//
//	@Summary		The customer beside a conversation
//	@Description	The customer's profile (null for a guest), their 5 latest orders and their other conversations (a guest's: those started with the same e-mail), newest first.
//	@Tags			support
//	@ID				getSupportContext
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"conversation id"
//	@Success		200	{object}	support.Context
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/support/conversations/{id}/context [get]
func (h Support) getContext(c echo.Context) error {
	out, err := h.Svc.StaffContext(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// listMessages godoc
//
//	@Summary		Read a conversation's messages (staff)
//	@Description	Messages with seq greater than `after`, oldest first, internal notes included; at most `limit` (default 50, max 100). `next_cursor` is set when the page was full.
//	@Tags			support
//	@ID				listSupportMessagesStaff
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"conversation id"
//	@Param			after	query		int		false	"last seq seen"	minimum(0)
//	@Param			limit	query		int		false	"page size (default 50, values over 100 are clamped)"	minimum(1)
//	@Success		200		{object}	store.MessagePage
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad after or limit"
//	@Router			/v1/admin/support/conversations/{id}/messages [get]
func (h Support) listMessages(c echo.Context) error {
	after, limit, err := store.MessageQuery(c)
	if err != nil {
		return err
	}
	msgs, err := h.Svc.StaffMessages(c.Request().Context(), c.Param("id"), after, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, store.MessagePageOf(msgs, limit))
}

// AgentMessageInput is an agent's reply or internal note: a body, or a
// canned reply whose placeholders are filled in.
type AgentMessageInput struct {
	Body string `json:"body" text:"free" example:"Your parcel left our warehouse this morning."`
	// CannedReplyID posts that canned reply instead of body.
	CannedReplyID string `json:"canned_reply_id" example:"canned_06h1wbq28dxanf5st2bqp8yfxm"`
	// Internal makes it a note only staff see.
	Internal bool `json:"internal" example:"false"`
} // @name SupportAgentMessageInput

// postMessage godoc
//
//	@Summary		Reply or add an internal note
//	@Description	Send `body`, or `canned_reply_id` to post a canned reply with {{first_name}} and {{order_number}} filled in (empty when unknown); exactly one of the two. `internal: true` makes a note only staff see (no status change). A reply makes a conversation with the bot or open `pending` (waiting on the customer). A closed conversation is 409 conversation_closed: reopen it first.
//	@Tags			support
//	@ID				postSupportAgentMessage
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"conversation id"
//	@Param			body	body		AgentMessageInput	true	"the reply"
//	@Success		201		{object}	support.Message
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"conversation_closed"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/support/conversations/{id}/messages [post]
func (h Support) postMessage(c echo.Context) error {
	var in AgentMessageInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	var (
		m   support.Message
		err error
	)
	switch {
	case in.CannedReplyID != "" && in.Body != "":
		return errs.Invalidf("body", "send body or canned_reply_id, not both")
	case in.CannedReplyID != "":
		m, err = h.Svc.PostCanned(ctx, staffID(c), c.Param("id"), in.CannedReplyID, in.Internal)
	default:
		m, err = h.Svc.PostAgent(ctx, staffID(c), c.Param("id"), in.Body, in.Internal)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, m)
}

// AssignInput names the assignee.
type AssignInput struct {
	// StaffID is a support, manager or admin staff id; null or "" unassigns.
	StaffID *string `json:"staff_id" binding:"required" extensions:"x-nullable" example:"stf_06h1wbq28dxanf5st2bqp8yfxm"`
} // @name SupportAssignInput

// assign godoc
//
//	@Summary		Assign a conversation
//	@Description	Gives the conversation to a staff member (yourself or another) with the support, manager or admin role, else 422 naming staff_id; null unassigns.
//	@Tags			support
//	@ID				assignSupportConversation
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string		true	"conversation id"
//	@Param			body	body		AssignInput	true	"assignee"
//	@Success		200		{object}	support.Conversation
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/support/conversations/{id}/assign [post]
func (h Support) assign(c echo.Context) error {
	var in AssignInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	who := ""
	if in.StaffID != nil {
		who = *in.StaffID
	}
	conv, err := h.Svc.Assign(c.Request().Context(), c.Param("id"), who)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, conv)
}

// close godoc
//
//	@Summary		Close a conversation
//	@Description	Closes it (closing a closed conversation changes nothing). The customer may then rate it once.
//	@Tags			support
//	@ID				closeSupportConversation
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"conversation id"
//	@Success		200	{object}	support.Conversation
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/support/conversations/{id}/close [post]
func (h Support) close(c echo.Context) error {
	conv, err := h.Svc.Close(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, conv)
}

// reopen godoc
//
//	@Summary		Reopen a conversation
//	@Description	A closed conversation becomes open (waiting for an agent); any other is unchanged.
//	@Tags			support
//	@ID				reopenSupportConversation
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"conversation id"
//	@Success		200	{object}	support.Conversation
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/support/conversations/{id}/reopen [post]
func (h Support) reopen(c echo.Context) error {
	conv, err := h.Svc.Reopen(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, conv)
}

// markRead godoc
//
//	@Summary		Mark a conversation read (agents)
//	@Description	Moves the agents' read marker to `seq` (never backwards); the inbox's `unread` counts customer messages after it. A seq beyond the conversation's last is 422.
//	@Tags			support
//	@ID				markSupportConversationReadStaff
//	@Accept			json
//	@Security		BearerAuth
//	@Param			id		path	string			true	"conversation id"
//	@Param			body	body	store.ReadInput	true	"last seq read"
//	@Success		204
//	@Failure		400	{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		413	{object}	web.Problem
//	@Failure		422	{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/support/conversations/{id}/read [post]
func (h Support) markRead(c echo.Context) error {
	var in store.ReadInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	if err := h.Svc.StaffMarkRead(c.Request().Context(), c.Param("id"), in.Seq); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// TagsInput replaces a conversation's tags.
type TagsInput struct {
	// Tags are 1 to 40 letters, digits, '-' or '_' each (lowercased), at most 20.
	Tags []string `json:"tags" binding:"required" validate:"required" example:"shipping,vip"`
} // @name SupportTagsInput

// setTags godoc
//
//	@Summary		Set a conversation's tags
//	@Description	Replaces the tags (lowercased, duplicates dropped, order kept); an empty list clears them.
//	@Tags			support
//	@ID				setSupportConversationTags
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string		true	"conversation id"
//	@Param			body	body		TagsInput	true	"the tags"
//	@Success		200		{object}	support.Conversation
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/support/conversations/{id}/tags [put]
func (h Support) setTags(c echo.Context) error {
	var in TagsInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	conv, err := h.Svc.SetTags(c.Request().Context(), c.Param("id"), in.Tags)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, conv)
}
