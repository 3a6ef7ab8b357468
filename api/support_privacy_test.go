package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/api/store"
	"storekeep/internal/support"
)

// TestSupportPrivacy: customer B, a guest, or a guest holding another
// conversation's token reach nothing of customer A's conversation: every
// route answers 404 (never 403) and nothing is written.
func TestSupportPrivacy(t *testing.T) {
	t.Parallel()
	c := newChat(t)
	a := c.customer()
	b := c.customer()
	conv := c.start(a.token, map[string]any{"message": "my private question"}).Conversation
	guest := c.start("", map[string]any{"message": "guest question"})
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/close", nil).Expect(t, http.StatusOK)

	intruders := map[string]struct{ token, convToken string }{
		"customer B":              {b.token, ""},
		"guest without token":     {"", ""},
		"guest with other token":  {"", guest.Token},
		"customer B, guest token": {b.token, guest.Token},
		"a forged token":          {"", strings.Repeat("A", 43)},
	}
	before := c.h.RowCounts(t, supportTables...)
	for name, who := range intruders {
		for _, r := range []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, convs + "/" + conv.ID, nil},
			{http.MethodGet, convs + "/" + conv.ID + "/messages", nil},
			{http.MethodPost, convs + "/" + conv.ID + "/messages", map[string]any{"body": "hi"}},
			{http.MethodPost, convs + "/" + conv.ID + "/rating", map[string]any{"score": 1}},
			{http.MethodPost, convs + "/" + conv.ID + "/read", map[string]any{"seq": 1}},
		} {
			res := c.as(who.token, who.convToken, r.method, r.path, r.body)
			if res.Status != http.StatusNotFound {
				t.Errorf("%s: %s %s = %d, want 404", name, r.method, r.path, res.Status)
			}
		}
	}
	if d := cmp.Diff(before, c.h.RowCounts(t, supportTables...)); d != "" {
		t.Errorf("intruders wrote rows (-before +after):\n%s", d)
	}
	var got support.Conversation
	c.as(a.token, "", http.MethodGet, convs+"/"+conv.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Rating != nil || got.Unread != 0 {
		t.Errorf("A's conversation changed: %+v", got)
	}
	var l store.ConversationList
	c.as(b.token, "", http.MethodGet, convs, nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 0 {
		t.Errorf("B lists %d conversations", len(l.Data))
	}
	// The guest token still grants its own conversation, and only that one.
	c.as("", guest.Token, http.MethodGet, convs+"/"+guest.Conversation.ID, nil).Expect(t, http.StatusOK)
}

// TestSupportBadInput: each bad request gets a clear problem and changes nothing.
func TestSupportBadInput(t *testing.T) {
	t.Parallel()
	c := newChat(t)
	a := c.customer()
	conv := c.start(a.token, map[string]any{"message": "hello"}).Conversation
	closed := c.start(a.token, map[string]any{"message": "done"}).Conversation
	c.staff(http.MethodPost, adminConvs+"/"+closed.ID+"/close", nil).Expect(t, http.StatusOK)
	rated := c.start(a.token, map[string]any{"message": "rated"}).Conversation
	c.staff(http.MethodPost, adminConvs+"/"+rated.ID+"/close", nil).Expect(t, http.StatusOK)
	a.do(http.MethodPost, convs+"/"+rated.ID+"/rating", map[string]any{"score": 5}).Expect(t, http.StatusOK)

	msgs := func(id string) string { return convs + "/" + id + "/messages" }
	cases := []struct {
		name, method, path string
		body               any
		status             int
		code, field        string
	}{
		{"empty body", http.MethodPost, msgs(conv.ID), map[string]any{"body": ""}, 422, "validation_failed", "body"},
		{"blank body", http.MethodPost, msgs(conv.ID), map[string]any{"body": "  \n "}, 422, "validation_failed", "body"},
		{"4001 characters", http.MethodPost, msgs(conv.ID), map[string]any{"body": strings.Repeat("é", 4001)}, 422, "validation_failed", "body"},
		{"NUL", http.MethodPost, msgs(conv.ID), `{"body":"a\u0000b"}`, 422, "validation_failed", "body"},
		{"not JSON", http.MethodPost, msgs(conv.ID), `{"body":`, 400, "malformed_request", ""},
		{"unknown field", http.MethodPost, msgs(conv.ID), map[string]any{"body": "x", "author": "agent"}, 400, "malformed_request", ""},
		{"unknown conversation", http.MethodPost, msgs("conv_06h1wbq28dxanf5st2bqp8yfxm"), map[string]any{"body": "x"}, 404, "not_found", ""},
		{"malformed id", http.MethodPost, msgs("nope"), map[string]any{"body": "x"}, 404, "not_found", ""},
		{"closed conversation", http.MethodPost, msgs(closed.ID), map[string]any{"body": "x"}, 409, "conversation_closed", ""},
		{"rating before close", http.MethodPost, convs + "/" + conv.ID + "/rating", map[string]any{"score": 5}, 409, "conversation_not_closed", ""},
		{"rating twice", http.MethodPost, convs + "/" + rated.ID + "/rating", map[string]any{"score": 1}, 409, "already_rated", ""},
		{"score 0", http.MethodPost, convs + "/" + closed.ID + "/rating", map[string]any{"score": 0}, 422, "validation_failed", "score"},
		{"score 6", http.MethodPost, convs + "/" + closed.ID + "/rating", map[string]any{"score": 6}, 422, "validation_failed", "score"},
		{"read beyond the end", http.MethodPost, convs + "/" + conv.ID + "/read", map[string]any{"seq": 99}, 422, "validation_failed", "seq"},
		{"after not a number", http.MethodGet, msgs(conv.ID) + "?after=x", nil, 422, "validation_failed", "after"},
		{"start without message", http.MethodPost, convs, map[string]any{"subject": "hi"}, 422, "validation_failed", "message"},
		{"start with a NUL subject", http.MethodPost, convs, `{"message":"x","subject":"a\u0000"}`, 422, "validation_failed", "subject"},
		{"start on a fax", http.MethodPost, convs, map[string]any{"message": "x", "channel": "fax"}, 422, "validation_failed", "channel"},
	}
	before := c.h.RowCounts(t, supportTables...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.h.Do(apitest.Request{Method: tc.method, Path: tc.path, Body: tc.body, Token: a.token})
			p := res.ExpectProblem(t, tc.status, tc.code)
			if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
				t.Errorf("errors = %+v, want field %s", p.Errors, tc.field)
			}
		})
	}
	if d := cmp.Diff(before, c.h.RowCounts(t, supportTables...)); d != "" {
		t.Errorf("bad input wrote rows (-before +after):\n%s", d)
	}
	var got support.Conversation
	a.do(http.MethodGet, convs+"/"+rated.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Rating == nil || *got.Rating != 5 {
		t.Errorf("the first rating changed: %+v", got.Rating)
	}
}
