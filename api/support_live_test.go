package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/support"
)

func convPath(id string) string { return "/v1/store/support/conversations/" + id + "/ws" }

// TestSupportSocketCustomerGetsAgentReply: the customer's socket replays
// the conversation, then receives the agent's reply live, but never an
// internal note; a message the customer sends over the socket reaches the
// inbox socket, internal notes included there.
func TestSupportSocketCustomerGetsAgentReply(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	svc := liveSupport(t, h)
	cus := h.NewCustomer(t)
	agent := h.NewStaff(t, "support")
	conv, _, _, err := svc.Start(t.Context(), support.StartInput{Message: "Where is my order?", CustomerID: cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	inbox := wsDial(t, h, "/v1/admin/support/ws", bearerHeader(agent.AccessToken))
	inbox.nextOf("ready")
	sock := wsDial(t, h, convPath(conv.ID), bearerHeader(cus.AccessToken))
	replayed, last := sock.ready()
	if d := cmp.Diff([]string{"Where is my order?"}, bodies(replayed)); d != "" || last != conv.LastSeq {
		t.Fatalf("replay (-want +got):\n%s\nlast_seq %d, want %d", d, last, conv.LastSeq)
	}

	if _, err := svc.PostAgent(t.Context(), agent.ID, conv.ID, "note: VIP", true); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PostAgent(t.Context(), agent.ID, conv.ID, "It ships today.", false); err != nil {
		t.Fatal(err)
	}
	f := sock.nextOf("message")
	if f.Message.Body != "It ships today." || f.Message.Author != "agent" || f.Message.Internal {
		t.Errorf("customer socket got %+v, want the agent's public reply (never the note)", f.Message)
	}
	if n := inbox.nextOf("message"); n.Message.Body != "note: VIP" || !n.Message.Internal {
		t.Errorf("inbox got %+v first, want the internal note", n.Message)
	}
	if n := inbox.nextOf("message"); n.Message.Body != "It ships today." {
		t.Errorf("inbox got %+v, want the reply", n.Message)
	}

	sock.send(map[string]string{"type": "message", "body": "Thanks!"})
	if f := sock.nextOf("message"); f.Message.Body != "Thanks!" || f.Message.Author != "customer" {
		t.Errorf("customer socket got %+v, want their own message back", f.Message)
	}
	if n := inbox.nextOf("message"); n.Message.Body != "Thanks!" || n.Message.ConversationID != conv.ID {
		t.Errorf("inbox got %+v, want the customer's message", n.Message)
	}
	long := strings.Repeat("é", support.MaxBodyRunes) // 8 000 bytes: larger than the socket's buffers
	sock.send(map[string]string{"type": "message", "body": long})
	if f := sock.nextOf("message"); f.Message.Body != long {
		t.Errorf("a %d-character message came back as %d characters", support.MaxBodyRunes, len([]rune(f.Message.Body)))
	}
	sock.send(map[string]string{"type": "ping"})
	sock.nextOf("pong")
	sock.send(map[string]string{"type": "message", "body": "   "})
	if e := sock.nextOf("error"); e.Code != "validation_failed" {
		t.Errorf("empty body: error frame %+v, want validation_failed", e)
	}
	sock.send(map[string]any{"type": "read", "seq": 1})
	sock.send("not an object")
	if e := sock.nextOf("error"); e.Code != "bad_frame" {
		t.Errorf("bad JSON: error frame %+v, want bad_frame", e)
	}
	var read int64
	if err := h.DB.Conn(t.Context()).Raw(`SELECT customer_read_seq FROM support_conversations WHERE id = ?`,
		conv.ID).Scan(&read).Error; err != nil || read != 1 {
		t.Errorf("customer_read_seq = %d (%v), want 1 after the read frame", read, err)
	}
}

// TestSupportInboxSeesNewConversations: the inbox socket hears a new
// conversation (conversation frame) and its first message; only staff with
// a support role may open it.
func TestSupportInboxSeesNewConversations(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	svc := liveSupport(t, h)
	inbox := wsDial(t, h, "/v1/admin/support/ws", bearerHeader(h.StaffToken(t, "manager")))
	inbox.nextOf("ready")
	conv, _, _, err := svc.Start(t.Context(), support.StartInput{Message: "Is it vegan?", Email: "g@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	gotConv, gotMsg := false, false
	for !gotConv || !gotMsg {
		switch f := inbox.next(); f.Type {
		case "conversation":
			gotConv = gotConv || f.Conversation.ID == conv.ID
		case "message":
			gotMsg = gotMsg || (f.Message.ConversationID == conv.ID && f.Message.Body == "Is it vegan?")
		}
	}

	for name, tc := range map[string]struct {
		token string
		want  websocket.StatusCode
	}{
		"warehouse staff": {h.StaffToken(t, "warehouse"), 4403},
		"customer token":  {h.NewCustomer(t).AccessToken, 4401},
		"garbage":         {"not.a.token", 4401},
	} {
		t.Run(name, func(t *testing.T) {
			wsDial(t, h, "/v1/admin/support/ws", bearerHeader(tc.token)).closedWith(tc.want)
		})
	}
}

// TestSupportSocketResume: reconnecting with ?after= replays exactly the
// messages missed (customer view: no internal note), then ready, then live
// messages; nothing twice.
func TestSupportSocketResume(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	svc := liveSupport(t, h)
	cus := h.NewCustomer(t)
	agent := h.NewStaff(t, "support")
	conv, _, _, err := svc.Start(t.Context(), support.StartInput{Message: "m1", CustomerID: cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	first := wsDial(t, h, convPath(conv.ID), bearerHeader(cus.AccessToken))
	_, last := first.ready()
	if err := first.conn.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		body     string
		internal bool
	}{{"a2", false}, {"note", true}, {"a3", false}} {
		if _, err := svc.PostAgent(t.Context(), agent.ID, conv.ID, m.body, m.internal); err != nil {
			t.Fatal(err)
		}
	}
	again := wsDial(t, h, fmt.Sprintf("%s?after=%d", convPath(conv.ID), last), bearerHeader(cus.AccessToken))
	missed, now := again.ready()
	if d := cmp.Diff([]string{"a2", "a3"}, bodies(missed)); d != "" || now != last+3 {
		t.Fatalf("replay after %d (-want +got):\n%s\nlast_seq %d, want %d", last, d, now, last+3)
	}
	if _, err := svc.PostAgent(t.Context(), agent.ID, conv.ID, "a4", false); err != nil {
		t.Fatal(err)
	}
	if f := again.nextOf("message"); f.Message.Body != "a4" {
		t.Errorf("live frame %q, want a4 (and nothing replayed twice)", f.Message.Body)
	}
	// A cursor past the end, and a bad one.
	ahead := wsDial(t, h, convPath(conv.ID)+"?after=999", bearerHeader(cus.AccessToken))
	if msgs, seq := ahead.ready(); len(msgs) != 0 || seq != last+4 {
		t.Errorf("after=999: %d messages, last_seq %d; want none, %d", len(msgs), seq, last+4)
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: convPath(conv.ID) + "?after=-1", Token: cus.AccessToken,
		Header: map[string]string{"Connection": "Upgrade", "Upgrade": "websocket"}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
}

// TestSupportSocketPrivacy: nobody subscribes to someone else's
// conversation: another customer's token, a guest token of another
// conversation, an unknown id all close with 4404; the guest's own token
// works in the header and in the first frame.
func TestSupportSocketPrivacy(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	svc := liveSupport(t, h)
	a, b := h.NewCustomer(t), h.NewCustomer(t)
	convA, _, _, err := svc.Start(t.Context(), support.StartInput{Message: "A's question", CustomerID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	guestConv, _, guestToken, err := svc.Start(t.Context(), support.StartInput{Message: "guest question"})
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string]struct {
		path   string
		header http.Header
	}{
		"B's token on A's conversation": {convPath(convA.ID), bearerHeader(b.AccessToken)},
		"a guest token on A's":          {convPath(convA.ID), http.Header{"X-Conversation-Token": {guestToken}}},
		"A's token on the guest's":      {convPath(guestConv.ID), bearerHeader(a.AccessToken)},
		"a made-up guest token":         {convPath(guestConv.ID), http.Header{"X-Conversation-Token": {"x" + guestToken}}},
		"an unknown conversation":       {convPath("conv_nope"), bearerHeader(a.AccessToken)},
	}
	for name, tc := range refused {
		t.Run(name, func(t *testing.T) {
			wsDial(t, h, tc.path, tc.header).closedWith(4404)
		})
	}
	staffOnStore := wsDial(t, h, convPath(convA.ID), bearerHeader(h.StaffToken(t, "admin")))
	staffOnStore.closedWith(4401) // a staff token is not valid for the store audience

	guest := wsDial(t, h, convPath(guestConv.ID), http.Header{"X-Conversation-Token": {guestToken}})
	if msgs, _ := guest.ready(); len(msgs) != 1 || msgs[0].Body != "guest question" {
		t.Errorf("guest replay %v", bodies(msgs))
	}
	browser := wsDial(t, h, convPath(guestConv.ID), nil)
	browser.send(map[string]string{"type": "auth", "token": guestToken})
	if msgs, _ := browser.ready(); len(msgs) != 1 {
		t.Errorf("first-frame guest replay %v", bodies(msgs))
	}
	wrongFirst := wsDial(t, h, convPath(convA.ID), nil)
	wrongFirst.send(map[string]string{"type": "ping"})
	wrongFirst.closedWith(4401)
}

// TestSupportSocketLimits: a foreign Origin is refused with 403 before any
// upgrade (the CORS list and the server's own origin pass); a plain GET is
// 426; the per-principal cap closes the next socket with 4429 and frees a
// place when one closes; a socket that sends no auth frame in time is
// closed with 4401.
func TestSupportSocketLimits(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, func(o *api.Options) {
		o.CORSOrigins = []string{"https://shop.example"}
		o.Sockets.PerPrincipal = 2
		o.Sockets.AuthTimeout = 300 * time.Millisecond
	})
	svc := liveSupport(t, h)
	cus := h.NewCustomer(t)
	conv, _, _, err := svc.Start(t.Context(), support.StartInput{Message: "hello", CustomerID: cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	auth := bearerHeader(cus.AccessToken)
	withOrigin := func(o string) http.Header {
		hd := auth.Clone()
		hd.Set("Origin", o)
		return hd
	}
	_, status, err := wsTry(t, h, convPath(conv.ID), withOrigin("https://evil.example"))
	if err == nil || status != http.StatusForbidden {
		t.Fatalf("evil origin: err %v, HTTP %d; want 403", err, status)
	}
	r := h.Do(apitest.Request{Method: http.MethodGet, Path: convPath(conv.ID), Token: cus.AccessToken,
		Header: map[string]string{"Connection": "Upgrade", "Upgrade": "websocket", "Origin": "https://evil.example",
			"Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}})
	r.ExpectProblem(t, http.StatusForbidden, "origin_not_allowed")
	h.Do(apitest.Request{Method: http.MethodGet, Path: convPath(conv.ID), Token: cus.AccessToken}).
		ExpectProblem(t, http.StatusUpgradeRequired, "upgrade_required")
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/support/ws"}).
		ExpectProblem(t, http.StatusUpgradeRequired, "upgrade_required")

	one := wsDial(t, h, convPath(conv.ID), withOrigin("https://shop.example"))
	one.ready()
	two := wsDial(t, h, convPath(conv.ID), withOrigin(h.URL)) // the server's own origin
	two.ready()
	wsDial(t, h, convPath(conv.ID), auth).closedWith(4429)
	if err := one.conn.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the closed socket to free its place", func() bool { return h.Server.Sockets.Count() == 1 })
	wsDial(t, h, convPath(conv.ID), auth).ready()

	silent := wsDial(t, h, convPath(conv.ID), nil)
	silent.closedWith(4401)
}

// TestSupportSocketsCloseOnShutdown: Server.Close ends open sockets with
// 1001 (going away).
func TestSupportSocketsCloseOnShutdown(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	inbox := wsDial(t, h, "/v1/admin/support/ws", bearerHeader(h.StaffToken(t, "support")))
	inbox.nextOf("ready")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := h.Server.Close(ctx); err != nil {
		t.Fatal(err)
	}
	inbox.closedWith(websocket.StatusGoingAway)
	if n := h.Server.Sockets.Count(); n != 0 {
		t.Errorf("%d sockets still registered", n)
	}
}

// TestSupportSocketsOverREST: the server's own support service publishes
// to the sockets. A guest starts a conversation over REST and opens its
// socket with the guest token; the agent's inbox hears the guest's next
// REST message; the agent's REST reply, assignment and close reach the
// guest's socket; the internal note does not.
func TestSupportSocketsOverREST(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	agent := h.NewStaff(t, "support")
	inbox := wsDial(t, h, "/v1/admin/support/ws", bearerHeader(agent.AccessToken))
	inbox.nextOf("ready")
	var started struct {
		Conversation support.Conversation `json:"conversation"`
		Token        string               `json:"token"`
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/support/conversations",
		Body: map[string]string{"message": "I need a person", "email": "guest@example.com"}}).
		Expect(t, http.StatusCreated).JSON(t, &started)
	id := started.Conversation.ID
	if f := inbox.nextOf("conversation"); f.Conversation.ID != id {
		t.Errorf("inbox heard of %s, want %s", f.Conversation.ID, id)
	}
	guest := wsDial(t, h, convPath(id), http.Header{"X-Conversation-Token": {started.Token}})
	guest.ready()
	guestAuth := map[string]string{"X-Conversation-Token": started.Token}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/support/conversations/" + id + "/messages",
		Header: guestAuth, Body: map[string]string{"body": "Still there?"}}).Expect(t, http.StatusCreated)
	for {
		if f := inbox.nextOf("message"); f.Message.Body == "Still there?" {
			break
		}
	}
	admin := "/v1/admin/support/conversations/" + id
	h.Do(apitest.Request{Method: http.MethodPost, Path: admin + "/messages", Token: agent.AccessToken,
		Body: map[string]any{"body": "internal: check stock", "internal": true}}).Expect(t, http.StatusCreated)
	h.Do(apitest.Request{Method: http.MethodPost, Path: admin + "/messages", Token: agent.AccessToken,
		Body: map[string]any{"body": "Yes, I am here."}}).Expect(t, http.StatusCreated)
	for {
		f := guest.nextOf("message")
		if f.Message.Internal || f.Message.Body == "internal: check stock" {
			t.Fatalf("the guest's socket got an internal note: %+v", f.Message)
		}
		if f.Message.Body == "Yes, I am here." {
			break
		}
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: admin + "/close", Token: agent.AccessToken}).
		Expect(t, http.StatusOK)
	for {
		if f := guest.nextOf("conversation"); f.Conversation.Status == support.StatusClosed {
			break
		}
	}
	guest.send(map[string]string{"type": "message", "body": "one more thing"})
	if e := guest.nextOf("error"); e.Code != "conversation_closed" {
		t.Errorf("message to a closed conversation: error frame %+v, want conversation_closed", e)
	}
}

// TestSupportSocketCapUnderConcurrency: eight sockets of one customer
// opened at once against a cap of three: exactly three open, five are
// closed with 4429.
func TestSupportSocketCapUnderConcurrency(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, func(o *api.Options) { o.Sockets.PerPrincipal = 3 })
	svc := liveSupport(t, h)
	cus := h.NewCustomer(t)
	conv, _, _, err := svc.Start(t.Context(), support.StartInput{Message: "hello", CustomerID: cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	outcomes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, status, err := wsTry(t, h, convPath(conv.ID), bearerHeader(cus.AccessToken))
			if err != nil {
				outcomes[i] = fmt.Sprintf("refused %d", status)
				return
			}
			for f := range c.frames {
				if f.Type == "ready" {
					outcomes[i] = "open"
					return
				}
			}
			outcomes[i] = fmt.Sprintf("closed %d", <-c.closed)
		})
	}
	wg.Wait()
	count := map[string]int{}
	for _, o := range outcomes {
		count[o]++
	}
	if d := cmp.Diff(map[string]int{"open": 3, "closed 4429": 5}, count); d != "" {
		t.Errorf("outcomes (-want +got):\n%s", d)
	}
}

// TestSupportSocketBotThenAgent: the journey over sockets. A
// signed-in customer writes on their socket; the bot's answer arrives on
// it as a message; asking for a person hands the conversation over
// (status open, on the inbox socket too); the agent's REST reply reaches
// the customer's socket.
func TestSupportSocketBotThenAgent(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	cus := h.NewCustomer(t)
	agent := h.NewStaff(t, "support")
	var started struct {
		Conversation support.Conversation `json:"conversation"`
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/support/conversations", Token: cus.AccessToken,
		Body: map[string]string{"message": "Hello"}}).Expect(t, http.StatusCreated).JSON(t, &started)
	id := started.Conversation.ID
	inbox := wsDial(t, h, "/v1/admin/support/ws", bearerHeader(agent.AccessToken))
	inbox.nextOf("ready")
	sock := wsDial(t, h, convPath(id), bearerHeader(cus.AccessToken))
	sock.ready()

	sock.send(map[string]string{"type": "message", "body": "I want to talk to a human please"})
	if f := sock.nextOf("message"); f.Message.Author != "customer" {
		t.Fatalf("first frame after posting: %+v, want the customer's own message", f.Message)
	}
	if f := sock.nextOf("message"); f.Message.Author != "bot" {
		t.Fatalf("then %+v, want the bot's answer", f.Message)
	}
	for {
		if f := inbox.nextOf("conversation"); f.Conversation.ID == id && f.Conversation.Status == support.StatusOpen {
			break
		}
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/support/conversations/" + id + "/messages",
		Token: agent.AccessToken, Body: map[string]any{"body": "Hi, Sam here."}}).Expect(t, http.StatusCreated)
	if f := sock.nextOf("message"); f.Message.Author != "agent" || f.Message.Body != "Hi, Sam here." {
		t.Errorf("customer socket got %+v, want the agent's reply", f.Message)
	}
}
