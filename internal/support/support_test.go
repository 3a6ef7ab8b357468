package support_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/customers"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/page"
	"storekeep/internal/staff"
	"storekeep/internal/support"
)

// fakeBot answers from a script: a reply per text, or an error.
type fakeBot struct {
	mu      sync.Mutex
	replies map[string]support.BotReply
	err     error
	turns   []support.Turn
}

func (b *fakeBot) Respond(_ context.Context, t support.Turn) (support.BotReply, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.turns = append(b.turns, t)
	if b.err != nil {
		return support.BotReply{}, b.err
	}
	if r, ok := b.replies[t.Text]; ok {
		return r, nil
	}
	return support.BotReply{Text: "I did not get that.", Intent: "unknown"}, nil
}

// recorder is a Publisher that, on each change, checks the change is
// already committed (it reads the message or conversation back).
type recorder struct {
	svc     *support.Service
	mu      sync.Mutex
	changes []support.Change
	missing []support.Change
}

func (r *recorder) Publish(ctx context.Context, c support.Change) {
	visible := true
	if c.MessageID != "" {
		msgs, err := r.svc.StaffMessages(ctx, c.ConversationID, c.Seq-1, 1)
		visible = err == nil && len(msgs) == 1 && msgs[0].ID == c.MessageID
	} else if _, err := r.svc.StaffConversation(ctx, c.ConversationID); err != nil {
		visible = false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, c)
	if !visible {
		r.missing = append(r.missing, c)
	}
}

func (r *recorder) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.changes))
	for i, c := range r.changes {
		out[i] = c.Kind
	}
	return out
}

type env struct {
	db   *db.DB
	svc  *support.Service
	pub  *recorder
	cus  customers.Customer
	cus2 customers.Customer
}

func newEnv(t *testing.T, opts ...support.Option) env {
	t.Helper()
	d := dbtest.New(t)
	cs := customers.NewService(d, nil, nil, nil)
	mk := func(email string) customers.Customer {
		c, err := cs.Create(t.Context(), customers.CreateInput{Email: email, Password: "correct-horse-battery",
			FirstName: "Ada", LastName: "Lovelace"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	svc := support.NewService(d, opts...)
	pub := &recorder{svc: svc}
	svc.SetPublisher(pub)
	return env{db: d, svc: svc, pub: pub, cus: mk("ada@example.com"), cus2: mk("bob@example.com")}
}

func code(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return "untyped: " + err.Error()
}

func TestGuestConversationWithoutBotGoesToAPerson(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	c, msgs, token, err := e.svc.Start(ctx, support.StartInput{Message: "  Hello, my parcel is late\nSecond line ",
		Email: "Guest@Example.com", Locale: "fr-FR", IP: "203.0.113.1"})
	if err != nil {
		t.Fatal(err)
	}
	if token == "" || c.Status != support.StatusOpen || c.Subject != "Hello, my parcel is late" || c.Locale != "fr" ||
		c.Channel != "web" || c.Email == nil || *c.Email != "guest@example.com" || c.CustomerID != nil || c.LastSeq != 1 {
		t.Fatalf("conversation = %+v, token %q", c, token)
	}
	if len(msgs) != 1 || msgs[0].Seq != 1 || msgs[0].Author != support.AuthorCustomer ||
		msgs[0].Body != "Hello, my parcel is late\nSecond line" {
		t.Fatalf("messages = %+v", msgs)
	}
	// The token alone grants the conversation; nothing else does.
	if _, err := e.svc.Conversation(ctx, support.Access{Token: token}, c.ID); err != nil {
		t.Fatalf("with token: %v", err)
	}
	for name, a := range map[string]support.Access{"no access": {}, "other token": {Token: token + "x"},
		"a customer": {CustomerID: e.cus.ID}} {
		if _, err := e.svc.Conversation(ctx, a, c.ID); code(err) != "not_found" {
			t.Errorf("%s: err = %v, want not_found", name, err)
		}
		if _, err := e.svc.PostCustomer(ctx, a, c.ID, "hi", "203.0.113.1"); code(err) != "not_found" {
			t.Errorf("%s: post err = %v, want not_found", name, err)
		}
	}
	// The token is stored hashed only.
	var stored int64
	if err := e.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM support_conversations WHERE token_hash = ?`, token).
		Scan(&stored).Error; err != nil || stored != 0 {
		t.Fatalf("raw token stored: %d %v", stored, err)
	}
	evs, err := events.List(ctx, e.db, events.Filter{SubjectID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ev := range evs {
		types = append(types, ev.Type)
		if strings.Contains(string(ev.Payload), "parcel") {
			t.Errorf("event %s carries the message body: %s", ev.Type, ev.Payload)
		}
	}
	if d := cmp.Diff([]string{support.EventConversationOpened, support.EventMessageCreated}, types); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{support.ChangeConversationCreated, support.ChangeMessageCreated}, e.pub.kinds()); d != "" {
		t.Errorf("published (-want +got):\n%s", d)
	}
}

func TestBotAnswersThenHandsOver(t *testing.T) {
	t.Parallel()
	bot := &fakeBot{replies: map[string]support.BotReply{
		"where is my order": {Text: "Your order SK-1 has shipped.", Intent: "order_status", State: []byte(`{"n":1}`),
			Order:       &support.OrderCard{ID: "order_x", Number: "SK-1", Status: "confirmed", FulfillmentStatus: "shipped"},
			Suggestions: []support.Suggestion{{ProductID: "prod_a", Handle: "a", Title: "A"}}},
		"agent please": {Text: "Passing you to a colleague.", Handoff: true, Intent: "handoff"},
	}}
	e := newEnv(t)
	e.svc.SetResponder(bot)
	ctx := t.Context()
	mine := support.Access{CustomerID: e.cus.ID}
	c, msgs, token, err := e.svc.Start(ctx, support.StartInput{Message: "where is my order", CustomerID: e.cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	if token != "" || c.Status != support.StatusBot || len(msgs) != 2 || msgs[1].Author != support.AuthorBot ||
		msgs[1].Seq != 2 || msgs[1].Order == nil || msgs[1].Order.Number != "SK-1" || len(msgs[1].Suggestions) != 1 {
		t.Fatalf("start: %+v %+v %q", c, msgs, token)
	}
	if c.Unread != 1 {
		t.Errorf("customer unread = %d, want 1 (the bot's answer)", c.Unread)
	}
	out, err := e.svc.PostCustomer(ctx, mine, c.ID, "agent please", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Seq != 3 || out[1].Seq != 4 {
		t.Fatalf("post: %+v", out)
	}
	if bot.turns[1].CustomerID != e.cus.ID || string(bot.turns[1].State) != `{"n":1}` || bot.turns[0].State != nil {
		t.Errorf("turns = %+v", bot.turns)
	}
	c, err = e.svc.Conversation(ctx, mine, c.ID)
	if err != nil || c.Status != support.StatusOpen {
		t.Fatalf("after handoff: %+v %v", c, err)
	}
	// Open now: the bot is not asked again.
	if _, err := e.svc.PostCustomer(ctx, mine, c.ID, "hello?", ""); err != nil || len(bot.turns) != 2 {
		t.Fatalf("bot asked after handoff: %d turns, %v", len(bot.turns), err)
	}
	opened, _ := events.List(ctx, e.db, events.Filter{Type: support.EventConversationOpened})
	if len(opened) != 1 {
		t.Errorf("opened events = %d, want 1", len(opened))
	}
	if len(e.pub.missing) != 0 {
		t.Errorf("published before commit: %+v", e.pub.missing)
	}
}

func TestBotFailureHandsOver(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.svc.SetResponder(&fakeBot{err: errors.New("model down")})
	c, msgs, _, err := e.svc.Start(t.Context(), support.StartInput{Message: "bonjour", Locale: "fr", CustomerID: e.cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != support.StatusOpen || len(msgs) != 2 || !strings.Contains(msgs[1].Body, "équipe") {
		t.Fatalf("%+v %+v", c, msgs)
	}
}

func TestStatusLifecycleAndInternalNotes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	mine := support.Access{CustomerID: e.cus.ID}
	c, _, _, err := e.svc.Start(ctx, support.StartInput{Message: "help", CustomerID: e.cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	step := func(want string) {
		t.Helper()
		got, err := e.svc.StaffConversation(ctx, c.ID)
		if err != nil || got.Status != want {
			t.Fatalf("status = %q (%v), want %q", got.Status, err, want)
		}
	}
	if _, err := e.svc.PostAgent(ctx, "stf_note", c.ID, "check the warehouse", true); err != nil {
		t.Fatal(err)
	}
	step(support.StatusOpen) // a note changes nothing
	if _, err := e.svc.PostAgent(ctx, "stf_x", c.ID, "On it!", false); err != nil {
		t.Fatal(err)
	}
	step(support.StatusPending)
	if _, err := e.svc.PostCustomer(ctx, mine, c.ID, "thanks", ""); err != nil {
		t.Fatal(err)
	}
	step(support.StatusOpen)
	seen, err := e.svc.Messages(ctx, mine, c.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var seqs []int64
	for _, m := range seen {
		seqs = append(seqs, m.Seq)
	}
	if d := cmp.Diff([]int64{1, 3, 4}, seqs); d != "" {
		t.Errorf("customer sees (-want +got):\n%s", d)
	}
	all, _ := e.svc.StaffMessages(ctx, c.ID, 1, 2)
	if len(all) != 2 || !all[0].Internal || all[1].Seq != 3 {
		t.Errorf("staff page after 1: %+v", all)
	}
	// Unread: the agents have not read the two customer messages; the
	// customer has not read the reply. Marking moves forward only.
	sc, _ := e.svc.StaffConversation(ctx, c.ID)
	cc, _ := e.svc.Conversation(ctx, mine, c.ID)
	if sc.Unread != 2 || cc.Unread != 1 {
		t.Errorf("unread staff %d customer %d, want 2 and 1", sc.Unread, cc.Unread)
	}
	if err := e.svc.StaffMarkRead(ctx, c.ID, 4); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.StaffMarkRead(ctx, c.ID, 1); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.MarkRead(ctx, mine, c.ID, 5); code(err) != "validation_failed" {
		t.Errorf("mark beyond last seq: %v", err)
	}
	if sc, _ = e.svc.StaffConversation(ctx, c.ID); sc.Unread != 0 {
		t.Errorf("staff unread after marking = %d", sc.Unread)
	}

	if _, err := e.svc.Rate(ctx, mine, c.ID, 5, ""); code(err) != "conversation_not_closed" {
		t.Errorf("rate open: %v", err)
	}
	if _, err := e.svc.Close(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	step(support.StatusClosed)
	if _, err := e.svc.PostCustomer(ctx, mine, c.ID, "one more", ""); code(err) != "conversation_closed" {
		t.Errorf("post to closed: %v", err)
	}
	if _, err := e.svc.Rate(ctx, support.Access{CustomerID: e.cus2.ID}, c.ID, 5, ""); code(err) != "not_found" {
		t.Errorf("rate someone else's: %v", err)
	}
	r, err := e.svc.Rate(ctx, mine, c.ID, 4, " good ")
	if err != nil || r.Rating == nil || *r.Rating != 4 || r.RatingComment == nil || *r.RatingComment != "good" {
		t.Fatalf("rate: %+v %v", r, err)
	}
	if _, err := e.svc.Rate(ctx, mine, c.ID, 5, ""); code(err) != "already_rated" {
		t.Errorf("rate twice: %v", err)
	}
	if _, err := e.svc.Reopen(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	step(support.StatusOpen)
	closed, _ := events.List(ctx, e.db, events.Filter{Type: support.EventConversationClosed})
	if len(closed) != 1 {
		t.Errorf("closed events = %d", len(closed))
	}
}

// TestParallelPostsNumberMessagesWithoutGaps posts from many goroutines at
// once; the seqs must be exactly 1..N.
func TestParallelPostsNumberMessagesWithoutGaps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	mine := support.Access{CustomerID: e.cus.ID}
	c, _, _, err := e.svc.Start(ctx, support.StartInput{Message: "first", CustomerID: e.cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	const n = 24
	var wg sync.WaitGroup
	errc := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			var err error
			if i%3 == 0 {
				_, err = e.svc.PostAgent(ctx, "stf_x", c.ID, "agent", i%2 == 0)
			} else {
				_, err = e.svc.PostCustomer(ctx, mine, c.ID, "customer", "")
			}
			errc <- err
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := e.svc.StaffMessages(ctx, c.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("message %d has seq %d", i, m.Seq)
		}
	}
	got, _ := e.svc.StaffConversation(ctx, c.ID)
	if len(msgs) != n+1 || got.LastSeq != n+1 {
		t.Fatalf("%d messages, last_seq %d, want %d", len(msgs), got.LastSeq, n+1)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	mine := support.Access{CustomerID: e.cus.ID}
	c, _, _, err := e.svc.Start(ctx, support.StartInput{Message: "first", CustomerID: e.cus.ID})
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"empty": "", "blank": " \n\t ", "too long": strings.Repeat("é", 4001),
		"nul": "a\x00b", "escape": "a\x1bb"} {
		if _, err := e.svc.PostCustomer(ctx, mine, c.ID, body, ""); code(err) != "validation_failed" {
			t.Errorf("%s: %v", name, err)
		}
		if _, _, _, err := e.svc.Start(ctx, support.StartInput{Message: body, CustomerID: e.cus.ID}); code(err) != "validation_failed" {
			t.Errorf("start %s: %v", name, err)
		}
	}
	if _, err := e.svc.PostCustomer(ctx, mine, c.ID, strings.Repeat("é", 4000), ""); err != nil {
		t.Errorf("4000 characters: %v", err)
	}
	for name, in := range map[string]support.StartInput{
		"channel":       {Message: "x", Channel: "fax", CustomerID: e.cus.ID},
		"order unknown": {Message: "x", OrderID: "order_06h1wbq28dxanf5st2bqp8yfxm", CustomerID: e.cus.ID},
		"email":         {Message: "x", Email: "not-an-email"},
	} {
		if _, _, _, err := e.svc.Start(ctx, in); code(err) != "validation_failed" {
			t.Errorf("%s: %v", name, err)
		}
	}
	var convs, msgs int64
	e.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM support_conversations`).Scan(&convs)
	e.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM support_messages`).Scan(&msgs)
	if convs != 1 || msgs != 2 {
		t.Errorf("rows: %d conversations, %d messages; want 1 and 2", convs, msgs)
	}
	if _, err := e.svc.PostCustomer(ctx, mine, "conv_nope", "hi", ""); code(err) != "not_found" {
		t.Errorf("unknown conversation: %v", err)
	}
}

// staffDir is a fake staff directory.
type staffDir map[string]string

func (d staffDir) StaffRole(_ context.Context, id string) (string, error) {
	if r, ok := d[id]; ok {
		return r, nil
	}
	return "", staff.ErrNotFound
}

func TestAssignTagsAndInbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	st := staff.NewService(e.db, nil, nil, nil)
	agent, err := st.Create(ctx, staff.CreateInput{Email: "agent@example.com", Password: "correct-horse-battery", Role: "support"})
	if err != nil {
		t.Fatal(err)
	}
	picker, err := st.Create(ctx, staff.CreateInput{Email: "picker@example.com", Password: "correct-horse-battery", Role: "warehouse"})
	if err != nil {
		t.Fatal(err)
	}
	svc := support.NewService(e.db, support.WithStaff(staffDir{agent.ID: agent.Role, picker.ID: picker.Role}))
	a, _, _, _ := svc.Start(ctx, support.StartInput{Message: "a", CustomerID: e.cus.ID})
	b, _, _, _ := svc.Start(ctx, support.StartInput{Message: "b", CustomerID: e.cus2.ID})
	for _, who := range []string{picker.ID, "stf_06h1wbq28dxanf5st2bqp8yfxm"} {
		if _, err := svc.Assign(ctx, a.ID, who); code(err) != "validation_failed" {
			t.Errorf("assign %s: %v", who, err)
		}
	}
	if got, err := svc.Assign(ctx, a.ID, agent.ID); err != nil || got.AssigneeID == nil || *got.AssigneeID != agent.ID {
		t.Fatalf("assign: %+v %v", got, err)
	}
	if got, err := svc.SetTags(ctx, b.ID, []string{"Refund_eu", "refund_eu", "vip"}); err != nil ||
		cmp.Diff([]string{"refund_eu", "vip"}, got.Tags) != "" {
		t.Fatalf("tags: %+v %v", got, err)
	}
	if _, err := svc.SetTags(ctx, b.ID, []string{"bad tag"}); code(err) != "validation_failed" {
		t.Errorf("bad tag: %v", err)
	}
	ids := func(f support.InboxFilter) []string {
		t.Helper()
		f.Page = page.Request{Limit: 10}
		l, err := svc.Inbox(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range l.Data {
			out = append(out, c.ID)
		}
		return out
	}
	cases := []struct {
		name string
		f    support.InboxFilter
		want []string
	}{
		{"all newest first", support.InboxFilter{}, []string{b.ID, a.ID}},
		{"assignee", support.InboxFilter{AssigneeID: agent.ID}, []string{a.ID}},
		{"unassigned", support.InboxFilter{AssigneeID: "none"}, []string{b.ID}},
		{"tag", support.InboxFilter{Tag: "refund_eu"}, []string{b.ID}},
		{"tag underscore is not a wildcard", support.InboxFilter{Tag: "refundxeu"}, nil},
		{"status", support.InboxFilter{Status: "open"}, []string{b.ID, a.ID}},
		{"closed", support.InboxFilter{Status: "closed"}, nil},
	}
	for _, tc := range cases {
		if d := cmp.Diff(tc.want, ids(tc.f)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
	l, err := svc.ListMine(ctx, e.cus.ID, page.Request{Limit: 10})
	if err != nil || len(l.Data) != 1 || l.Data[0].ID != a.ID {
		t.Errorf("list mine: %+v %v", l, err)
	}
	if _, err := svc.Inbox(ctx, support.InboxFilter{Status: "nope", Page: page.Request{Limit: 1}}); code(err) != "validation_failed" {
		t.Errorf("bad status: %v", err)
	}
}

// gateBot signals when it is asked and answers only when released.
type gateBot struct {
	asked   chan struct{}
	release chan struct{}
}

func (b gateBot) Respond(ctx context.Context, _ support.Turn) (support.BotReply, error) {
	b.asked <- struct{}{}
	<-b.release
	return support.BotReply{Text: "late answer"}, nil
}

// TestBotAnswerDroppedWhenAnAgentTookOver: an agent replies while the bot is
// still thinking; the bot's answer is then not stored.
func TestBotAnswerDroppedWhenAnAgentTookOver(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	bot := gateBot{asked: make(chan struct{}), release: make(chan struct{})}
	e.svc.SetResponder(bot)
	ctx := t.Context()
	type result struct {
		msgs []support.Message
		err  error
		id   string
	}
	done := make(chan result, 1)
	go func() {
		c, msgs, _, err := e.svc.Start(ctx, support.StartInput{Message: "hello", CustomerID: e.cus.ID})
		done <- result{msgs, err, c.ID}
	}()
	<-bot.asked
	l, err := e.svc.Inbox(ctx, support.InboxFilter{Page: page.Request{Limit: 1}})
	if err != nil || len(l.Data) != 1 || l.Data[0].Status != support.StatusBot {
		t.Fatalf("inbox while the bot thinks: %+v %v", l, err)
	}
	if _, err := e.svc.PostAgent(ctx, "stf_x", l.Data[0].ID, "I'll take this one", false); err != nil {
		t.Fatal(err)
	}
	close(bot.release)
	r := <-done
	if r.err != nil || len(r.msgs) != 1 {
		t.Fatalf("start returned %+v, %v; want only the customer's message", r.msgs, r.err)
	}
	all, _ := e.svc.StaffMessages(ctx, r.id, 0, 10)
	if len(all) != 2 || all[1].Author != support.AuthorAgent {
		t.Errorf("messages = %+v, want the customer's and the agent's", all)
	}
	c, _ := e.svc.StaffConversation(ctx, r.id)
	if c.Status != support.StatusPending {
		t.Errorf("status = %s, want pending", c.Status)
	}
}
