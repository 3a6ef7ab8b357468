package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/api/admin"
	"storekeep/api/apitest"
	"storekeep/api/store"
	"storekeep/internal/support"
)

const convs = "/v1/store/support/conversations"
const adminConvs = "/v1/admin/support/conversations"

// chat is a support-chat test: a shop (for orders), an agent and helpers.
type chat struct {
	*shop
	agent apitest.Account
}

// newChat's server has no bot: every conversation goes straight to a
// person, which is what these tests are about (support_bot_test.go has the bot).
func newChat(t *testing.T, opts ...apitest.Option) *chat {
	t.Helper()
	s := newShop(t, 50, 50, append([]apitest.Option{noBot}, opts...)...)
	return &chat{shop: s, agent: s.h.NewStaff(t, "support")}
}

func noBot(o *api.Options) { o.Support.DisableBot = true }

// as is a request from a customer token and/or a guest conversation token.
func (c *chat) as(token, convToken, method, path string, body any) *apitest.Response {
	c.t.Helper()
	r := apitest.Request{Method: method, Path: path, Body: body, Token: token}
	if convToken != "" {
		r.Header = map[string]string{store.HeaderConversationToken: convToken}
	}
	return c.h.Do(r)
}

func (c *chat) staff(method, path string, body any) *apitest.Response {
	c.t.Helper()
	return c.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: c.agent.AccessToken})
}

func (c *chat) start(token string, body map[string]any) store.StartedConversation {
	c.t.Helper()
	var out store.StartedConversation
	c.as(token, "", http.MethodPost, convs, body).Expect(c.t, http.StatusCreated).JSON(c.t, &out)
	return out
}

func TestSupportGuestConversation(t *testing.T) {
	t.Parallel()
	c := newChat(t)
	res := c.as("", "", http.MethodPost, convs, map[string]any{"message": "Bonjour, où est mon colis ?",
		"email": "guest@example.com", "locale": "fr"})
	res.Expect(t, http.StatusCreated)
	var started store.StartedConversation
	res.JSON(t, &started)
	tok := started.Token
	if tok == "" || res.Header.Get(store.HeaderConversationToken) != tok {
		t.Fatalf("token %q, header %q", tok, res.Header.Get(store.HeaderConversationToken))
	}
	conv := started.Conversation
	if conv.Status != support.StatusOpen || conv.Locale != "fr" || len(started.Messages) != 1 {
		t.Fatalf("started = %+v", started)
	}
	// The token alone opens the conversation; without it, it does not exist.
	c.as("", tok, http.MethodGet, convs+"/"+conv.ID, nil).Expect(t, http.StatusOK)
	c.as("", "", http.MethodGet, convs+"/"+conv.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	other := c.start("", map[string]any{"message": "another question"})
	c.as("", other.Token, http.MethodGet, convs+"/"+conv.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	// Guests have no list.
	c.as("", tok, http.MethodGet, convs, nil).ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")

	var posted store.PostedMessages
	c.as("", tok, http.MethodPost, convs+"/"+conv.ID+"/messages", map[string]any{"body": "<b>toujours rien</b>"}).
		Expect(t, http.StatusCreated).JSON(t, &posted)
	if len(posted.Messages) != 1 || posted.Messages[0].Seq != 2 || posted.Messages[0].Body != "<b>toujours rien</b>" {
		t.Fatalf("posted = %+v", posted)
	}
	var pg store.MessagePage
	c.as("", tok, http.MethodGet, convs+"/"+conv.ID+"/messages?after=1", nil).Expect(t, http.StatusOK).JSON(t, &pg)
	if len(pg.Data) != 1 || pg.Data[0].Seq != 2 || pg.NextCursor != nil {
		t.Fatalf("after=1: %+v", pg)
	}
	c.as("", tok, http.MethodGet, convs+"/"+conv.ID+"/messages?limit=1", nil).Expect(t, http.StatusOK).JSON(t, &pg)
	if len(pg.Data) != 1 || pg.NextCursor == nil || *pg.NextCursor != "1" {
		t.Fatalf("limit=1: %+v", pg)
	}
	c.as("", tok, http.MethodPost, convs+"/"+conv.ID+"/read", map[string]any{"seq": 2}).Expect(t, http.StatusNoContent)
}

func TestSupportAgentWorkflow(t *testing.T) {
	t.Parallel()
	c := newChat(t)
	cus := c.customer()
	cus.newCart()
	cus.add(c.small, 1)
	cus.ready()
	ord := cus.placeOrder("support-order-1")

	started := c.start(cus.token, map[string]any{"subject": "Order question", "message": "Where is it?",
		"order_id": ord.ID, "channel": "mobile"})
	conv := started.Conversation
	if conv.OrderID == nil || *conv.OrderID != ord.ID || conv.Channel != "mobile" || started.Token != "" {
		t.Fatalf("started = %+v", started)
	}

	// The inbox shows it, unread for agents.
	var inbox store.ConversationList
	c.staff(http.MethodGet, adminConvs+"?status=open", nil).Expect(t, http.StatusOK).JSON(t, &inbox)
	if len(inbox.Data) != 1 || inbox.Data[0].ID != conv.ID || inbox.Data[0].Unread != 1 {
		t.Fatalf("inbox = %+v", inbox)
	}

	// A canned reply with placeholders, an internal note, a plain reply.
	var canned support.CannedReply
	c.staff(http.MethodPost, "/v1/admin/support/canned-replies", map[string]any{"title": "On its way",
		"body": "Hi {{first_name}}, order {{order_number}} is on its way."}).Expect(t, http.StatusCreated).JSON(t, &canned)
	var m support.Message
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/messages", map[string]any{"canned_reply_id": canned.ID}).
		Expect(t, http.StatusCreated).JSON(t, &m)
	if want := "Hi Test, order " + ord.Number + " is on its way."; m.Body != want || m.Author != "agent" ||
		m.AuthorID == nil || *m.AuthorID != c.agent.ID {
		t.Errorf("canned message = %+v, want body %q", m, want)
	}
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/messages", map[string]any{"body": "VIP, be nice", "internal": true}).
		Expect(t, http.StatusCreated)
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/messages", map[string]any{"canned_reply_id": canned.ID, "body": "x"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/messages", map[string]any{"canned_reply_id": "canned_nope"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")

	// The customer never sees the note.
	var pg store.MessagePage
	cus.do(http.MethodGet, convs+"/"+conv.ID+"/messages", nil).Expect(t, http.StatusOK).JSON(t, &pg)
	for _, msg := range pg.Data {
		if msg.Internal || strings.Contains(msg.Body, "VIP") {
			t.Errorf("customer sees an internal note: %+v", msg)
		}
	}
	var thread admin.Thread
	c.staff(http.MethodGet, adminConvs+"/"+conv.ID, nil).Expect(t, http.StatusOK).JSON(t, &thread)
	if len(thread.Messages) != 3 || !thread.Messages[2].Internal || thread.Conversation.Status != support.StatusPending {
		t.Fatalf("thread = %+v", thread)
	}

	// Context: the customer, their order, no other conversation yet.
	var cx support.Context
	c.staff(http.MethodGet, adminConvs+"/"+conv.ID+"/context", nil).Expect(t, http.StatusOK).JSON(t, &cx)
	if cx.Customer == nil || cx.Customer.FirstName != "Test" || len(cx.RecentOrders) != 1 ||
		cx.RecentOrders[0].Number != ord.Number || len(cx.PreviousConversations) != 0 {
		t.Fatalf("context = %+v", cx)
	}

	// Assignment: a support agent yes, a warehouse user no.
	picker := c.h.NewStaff(t, "warehouse")
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/assign", map[string]any{"staff_id": picker.ID}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	var got support.Conversation
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/assign", map[string]any{"staff_id": c.agent.ID}).
		Expect(t, http.StatusOK).JSON(t, &got)
	if got.AssigneeID == nil || *got.AssigneeID != c.agent.ID {
		t.Fatalf("assigned = %+v", got)
	}
	c.staff(http.MethodGet, adminConvs+"?assignee="+c.agent.ID, nil).Expect(t, http.StatusOK).JSON(t, &inbox)
	if len(inbox.Data) != 1 {
		t.Errorf("by assignee: %d", len(inbox.Data))
	}
	c.staff(http.MethodPut, adminConvs+"/"+conv.ID+"/tags", map[string]any{"tags": []string{"Shipping", "vip"}}).
		Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff([]string{"shipping", "vip"}, got.Tags); d != "" {
		t.Errorf("tags (-want +got):\n%s", d)
	}
	c.staff(http.MethodGet, adminConvs+"?tag=vip", nil).Expect(t, http.StatusOK).JSON(t, &inbox)
	if len(inbox.Data) != 1 {
		t.Errorf("by tag: %d", len(inbox.Data))
	}
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/read", map[string]any{"seq": thread.Conversation.LastSeq}).
		Expect(t, http.StatusNoContent)
	c.staff(http.MethodGet, adminConvs+"/"+conv.ID, nil).Expect(t, http.StatusOK).JSON(t, &thread)
	if thread.Conversation.Unread != 0 {
		t.Errorf("unread after read = %d", thread.Conversation.Unread)
	}

	// The customer writes back (open), the agent closes, the customer rates once.
	cus.do(http.MethodPost, convs+"/"+conv.ID+"/messages", map[string]any{"body": "thanks!"}).Expect(t, http.StatusCreated)
	cus.do(http.MethodPost, convs+"/"+conv.ID+"/rating", map[string]any{"score": 5}).
		ExpectProblem(t, http.StatusConflict, "conversation_not_closed")
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/close", nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Status != support.StatusClosed || got.ClosedAt == nil {
		t.Fatalf("closed = %+v", got)
	}
	cus.do(http.MethodPost, convs+"/"+conv.ID+"/rating", map[string]any{"score": 4, "comment": "fast"}).
		Expect(t, http.StatusOK).JSON(t, &got)
	if got.Rating == nil || *got.Rating != 4 {
		t.Fatalf("rated = %+v", got)
	}
	cus.do(http.MethodPost, convs+"/"+conv.ID+"/rating", map[string]any{"score": 5}).
		ExpectProblem(t, http.StatusConflict, "already_rated")
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/reopen", nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Status != support.StatusOpen || got.ClosedAt != nil {
		t.Fatalf("reopened = %+v", got)
	}

	// A second conversation sees the first in its context.
	second := c.start(cus.token, map[string]any{"message": "me again"})
	c.staff(http.MethodGet, adminConvs+"/"+second.Conversation.ID+"/context", nil).Expect(t, http.StatusOK).JSON(t, &cx)
	if len(cx.PreviousConversations) != 1 || cx.PreviousConversations[0].ID != conv.ID {
		t.Errorf("previous = %+v", cx.PreviousConversations)
	}
	var mine store.ConversationList
	cus.do(http.MethodGet, convs, nil).Expect(t, http.StatusOK).JSON(t, &mine)
	if len(mine.Data) != 2 {
		t.Errorf("my conversations = %d", len(mine.Data))
	}
}

// TestSupportOrderLinkIsOwnOnly: a customer links only their own order; a
// guest only one placed with the e-mail they give. Both refusals look alike.
func TestSupportOrderLinkIsOwnOnly(t *testing.T) {
	t.Parallel()
	c := newChat(t)
	guest := c.guestWith(c.small, 1)
	guest.ready()
	gord := guest.placeOrder("support-guest-order")
	other := c.customer()

	for name, tc := range map[string]struct {
		token string
		body  map[string]any
	}{
		"customer, a guest's order": {other.token, map[string]any{"message": "x", "order_id": gord.ID}},
		"guest, wrong e-mail":       {"", map[string]any{"message": "x", "order_id": gord.ID, "email": "else@example.com"}},
		"guest, no e-mail":          {"", map[string]any{"message": "x", "order_id": gord.ID}},
		"unknown order":             {"", map[string]any{"message": "x", "order_id": "order_06h1wbq28dxanf5st2bqp8yfxm", "email": "camille@example.com"}},
	} {
		p := c.as(tc.token, "", http.MethodPost, convs, tc.body).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != "order_id" {
			t.Errorf("%s: errors = %+v", name, p.Errors)
		}
	}
	got := c.start("", map[string]any{"message": "x", "order_id": gord.ID, "email": "Camille@Example.com"})
	if got.Conversation.OrderID == nil || *got.Conversation.OrderID != gord.ID {
		t.Errorf("guest link: %+v", got.Conversation)
	}
}

func TestSupportAdminRoles(t *testing.T) {
	t.Parallel()
	c := newChat(t)
	conv := c.start("", map[string]any{"message": "hello"}).Conversation
	picker := c.h.StaffToken(t, "warehouse")
	for _, path := range []string{adminConvs, adminConvs + "/" + conv.ID, "/v1/admin/support/faqs",
		"/v1/admin/support/canned-replies", "/v1/admin/support/metrics"} {
		c.h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: picker}).
			ExpectProblem(t, http.StatusForbidden, "forbidden")
		c.h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: c.manager}).Expect(t, http.StatusOK)
	}
	// A customer token is not valid on the admin API.
	cus := c.customer()
	c.h.Do(apitest.Request{Method: http.MethodGet, Path: adminConvs, Token: cus.token}).ExpectProblem(t, http.StatusForbidden, "forbidden")
}

func TestSupportFAQs(t *testing.T) {
	t.Parallel()
	c := newChat(t)
	var f support.FAQ
	c.staff(http.MethodPost, "/v1/admin/support/faqs", map[string]any{"question": "How long is shipping?",
		"answer": "2 to 4 days.\nExpress: next day.", "keywords": []string{"Delivery", "delivery", "shipping"},
		"locale": "en"}).Expect(t, http.StatusCreated).JSON(t, &f)
	if d := cmp.Diff([]string{"delivery", "shipping"}, f.Keywords); d != "" {
		t.Errorf("keywords (-want +got):\n%s", d)
	}
	p := c.staff(http.MethodPost, "/v1/admin/support/faqs", map[string]any{"question": "Q", "answer": "A",
		"locale": "de"}).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "locale" {
		t.Errorf("errors = %+v", p.Errors)
	}
	c.staff(http.MethodPost, "/v1/admin/support/faqs", map[string]any{"question": "Q"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.staff(http.MethodPatch, "/v1/admin/support/faqs/"+f.ID, map[string]any{"answer": "3 days."}).
		Expect(t, http.StatusOK).JSON(t, &f)
	if f.Answer != "3 days." || f.Question != "How long is shipping?" {
		t.Errorf("patched = %+v", f)
	}
	c.staff(http.MethodPost, "/v1/admin/support/faqs", map[string]any{"question": "Délais ?", "answer": "2 à 4 jours.",
		"locale": "fr"}).Expect(t, http.StatusCreated)
	var l admin.FAQList
	c.staff(http.MethodGet, "/v1/admin/support/faqs?locale=fr", nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].Locale != "fr" {
		t.Errorf("fr list = %+v", l)
	}
	for _, path := range []string{"/v1/admin/support/faqs?locale=de", "/v1/admin/support/canned-replies?locale=de"} {
		if p := c.staff(http.MethodGet, path, nil).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed"); len(p.Errors) != 1 || p.Errors[0].Field != "locale" {
			t.Errorf("%s: errors %+v, want locale", path, p.Errors)
		}
	}
	c.staff(http.MethodDelete, "/v1/admin/support/faqs/"+f.ID, nil).Expect(t, http.StatusNoContent)
	c.staff(http.MethodGet, "/v1/admin/support/faqs/"+f.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	c.staff(http.MethodDelete, "/v1/admin/support/faqs/"+f.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")

	var r support.CannedReply
	c.staff(http.MethodPost, "/v1/admin/support/canned-replies", map[string]any{"title": "Bonjour", "body": "Bonjour !",
		"locale": "fr"}).Expect(t, http.StatusCreated).JSON(t, &r)
	c.staff(http.MethodPatch, "/v1/admin/support/canned-replies/"+r.ID, map[string]any{"title": "Salut"}).
		Expect(t, http.StatusOK).JSON(t, &r)
	if r.Title != "Salut" || r.Body != "Bonjour !" {
		t.Errorf("patched canned = %+v", r)
	}
	var cl admin.CannedReplyList
	c.staff(http.MethodGet, "/v1/admin/support/canned-replies", nil).Expect(t, http.StatusOK).JSON(t, &cl)
	if len(cl.Data) != 1 {
		t.Errorf("canned list = %+v", cl)
	}
	c.staff(http.MethodDelete, "/v1/admin/support/canned-replies/"+r.ID, nil).Expect(t, http.StatusNoContent)
}

// TestSupportLongThreadPages: the agent's thread holds the first 100
// messages and points at the rest.
func TestSupportLongThreadPages(t *testing.T) {
	t.Parallel()
	c := newChat(t)
	conv := c.start("", map[string]any{"message": "1"}).Conversation
	for i := 2; i <= 102; i++ {
		c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/messages", map[string]any{"body": strconv.Itoa(i),
			"internal": true}).Expect(t, http.StatusCreated)
	}
	var thread admin.Thread
	c.staff(http.MethodGet, adminConvs+"/"+conv.ID, nil).Expect(t, http.StatusOK).JSON(t, &thread)
	if len(thread.Messages) != 100 || thread.NextCursor == nil || *thread.NextCursor != "100" {
		t.Fatalf("thread: %d messages, next %v", len(thread.Messages), thread.NextCursor)
	}
	var pg store.MessagePage
	c.staff(http.MethodGet, adminConvs+"/"+conv.ID+"/messages?after="+*thread.NextCursor, nil).
		Expect(t, http.StatusOK).JSON(t, &pg)
	if len(pg.Data) != 2 || pg.Data[1].Seq != 102 || pg.NextCursor != nil {
		t.Fatalf("rest: %+v", pg)
	}
}

// TestSupportMetricsRoute: figures without a denominator are null, and the
// period is validated.
func TestSupportMetricsRoute(t *testing.T) {
	t.Parallel()
	c := newChat(t)
	var m support.Metrics
	c.staff(http.MethodGet, "/v1/admin/support/metrics?from=2026-03-02&to=2026-03-04", nil).
		Expect(t, http.StatusOK).JSON(t, &m)
	if len(m.Series) != 2 || m.Summary.CSAT != nil || m.Summary.FirstResponseSeconds != nil ||
		m.Summary.BotContainmentRate != nil || !strings.Contains(string(c.staff(http.MethodGet,
		"/v1/admin/support/metrics?from=2026-03-02&to=2026-03-04", nil).Body), `"csat":null`) {
		t.Fatalf("metrics = %+v", m)
	}
	c.staff(http.MethodGet, "/v1/admin/support/metrics?from=yesterday", nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.staff(http.MethodGet, "/v1/admin/support/metrics?from=2026-03-04&to=2026-03-02", nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.staff(http.MethodGet, "/v1/admin/support/metrics", nil).Expect(t, http.StatusOK).JSON(t, &m)
	if len(m.Series) != 7 {
		t.Errorf("default period: %d days", len(m.Series))
	}
}
