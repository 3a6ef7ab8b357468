package api_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/api/store"
	"storekeep/internal/support"
)

var supportTables = []string{"support_conversations", "support_messages", "events"}

// startFrom starts a guest conversation from client ip.
func (c *chat) startFrom(ip string) *apitest.Response {
	c.t.Helper()
	return c.h.Do(apitest.Request{Method: http.MethodPost, Path: convs, ClientIP: ip,
		Body: map[string]any{"message": "hello"}})
}

// postFrom posts a guest message from client ip.
func (c *chat) postFrom(ip, convID, token string) *apitest.Response {
	c.t.Helper()
	return c.h.Do(apitest.Request{Method: http.MethodPost, Path: convs + "/" + convID + "/messages", ClientIP: ip,
		Header: map[string]string{store.HeaderConversationToken: token}, Body: map[string]any{"body": "again"}})
}

func expectLimited(t *testing.T, res *apitest.Response) {
	t.Helper()
	res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 900 {
		t.Errorf("Retry-After = %q, want 1..900 seconds", res.Header.Get("Retry-After"))
	}
}

// TestSupportStartIsLimitedPerClient: with the defaults one client IP may
// start support.DefaultLimits.ConversationsPerIP conversations per window;
// the next is 429 and writes nothing, while another client still may.
func TestSupportStartIsLimitedPerClient(t *testing.T) {
	t.Parallel()
	c := newChat(t, apitest.WindowAligned)
	for i := range support.DefaultLimits.ConversationsPerIP {
		if res := c.startFrom("127.0.5.2"); res.Status != http.StatusCreated {
			t.Fatalf("conversation %d: status %d", i+1, res.Status)
		}
	}
	before := c.h.RowCounts(t, supportTables...)
	expectLimited(t, c.startFrom("127.0.5.2"))
	if d := cmp.Diff(before, c.h.RowCounts(t, supportTables...)); d != "" {
		t.Errorf("a refused start wrote rows (-before +after):\n%s", d)
	}
	c.startFrom("127.0.5.3").Expect(t, http.StatusCreated)
}

// TestSupportMessagesAreLimited: per conversation, and per client IP across
// conversations (a conversation's first message counts for its IP).
func TestSupportMessagesAreLimited(t *testing.T) {
	t.Parallel()
	c := newChat(t, apitest.WindowAligned, func(o *api.Options) {
		o.Support.Limits = support.Limits{MessagesPerConversation: 3, MessagesPerIP: 6}
	})
	var a, b store.StartedConversation
	c.startFrom("127.0.5.4").Expect(t, http.StatusCreated).JSON(t, &a) // IP: 1
	for range 3 {
		c.postFrom("127.0.5.4", a.Conversation.ID, a.Token).Expect(t, http.StatusCreated) // IP: 4
	}
	before := c.h.RowCounts(t, supportTables...)
	expectLimited(t, c.postFrom("127.0.5.5", a.Conversation.ID, a.Token)) // the conversation is full, whoever writes
	if d := cmp.Diff(before, c.h.RowCounts(t, supportTables...)); d != "" {
		t.Errorf("a refused message wrote rows (-before +after):\n%s", d)
	}
	c.startFrom("127.0.5.4").Expect(t, http.StatusCreated).JSON(t, &b) // IP: 5
	c.postFrom("127.0.5.4", b.Conversation.ID, b.Token).Expect(t, http.StatusCreated)
	expectLimited(t, c.postFrom("127.0.5.4", b.Conversation.ID, b.Token)) // IP: over 6
	c.postFrom("127.0.5.6", b.Conversation.ID, b.Token).Expect(t, http.StatusCreated)
	// Agents are not limited.
	c.staff(http.MethodPost, adminConvs+"/"+a.Conversation.ID+"/messages", map[string]any{"body": "hi"}).
		Expect(t, http.StatusCreated)
}

// TestSupportLimitsCanBeTurnedOff: a negative limit is off.
func TestSupportLimitsCanBeTurnedOff(t *testing.T) {
	t.Parallel()
	c := newChat(t, apitest.WindowAligned, func(o *api.Options) {
		o.Support.Limits = support.Limits{ConversationsPerIP: -1, MessagesPerConversation: 1, MessagesPerIP: -1}
	})
	for range support.DefaultLimits.ConversationsPerIP + 1 {
		c.startFrom("127.0.5.7").Expect(t, http.StatusCreated)
	}
}

// TestSupportOrderGuessesAreLimited: starting conversations with guessed
// order ids and e-mails is refused like any start once the client's limit
// is reached, so order links cannot be probed without bound.
func TestSupportOrderGuessesAreLimited(t *testing.T) {
	t.Parallel()
	c := newChat(t, apitest.WindowAligned)
	guess := func() *apitest.Response {
		return c.h.Do(apitest.Request{Method: http.MethodPost, Path: convs, ClientIP: "127.0.5.9",
			Body: map[string]any{"message": "hello", "order_id": "order_06h1wbq28dxanf5st2bqp8yfxm",
				"email": "someone@example.com"}})
	}
	for range support.DefaultLimits.ConversationsPerIP {
		guess().ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	}
	expectLimited(t, guess())
}
