package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/store"
	"storekeep/internal/support"
)

// newBotChat is a support-chat test with the bot answering first, as in
// production.
func newBotChat(t *testing.T) *chat {
	t.Helper()
	s := newShop(t, 50, 50)
	return &chat{shop: s, agent: s.h.NewStaff(t, "support")}
}

// say posts a customer message and returns the messages it produced (the
// customer's, then the bot's when the bot answered).
func (c *chat) say(token, convToken, convID, body string) []support.Message {
	c.t.Helper()
	var out store.PostedMessages
	c.as(token, convToken, http.MethodPost, convs+"/"+convID+"/messages", map[string]any{"body": body}).
		Expect(c.t, http.StatusCreated).JSON(c.t, &out)
	return out.Messages
}

// botAnswer is the bot's message among msgs (fails when it did not answer).
func botAnswer(t *testing.T, msgs []support.Message) support.Message {
	t.Helper()
	for _, m := range msgs {
		if m.Author == "bot" {
			return m
		}
	}
	t.Fatalf("no bot answer in %+v", msgs)
	return support.Message{}
}

func (c *chat) conversation(token, convToken, id string) support.Conversation {
	c.t.Helper()
	var conv support.Conversation
	c.as(token, convToken, http.MethodGet, convs+"/"+id, nil).Expect(c.t, http.StatusOK).JSON(c.t, &conv)
	return conv
}

// TestSupportBotOrderStatusThenAgent is the first journey over HTTP:
// a customer asks where their order is and the bot answers with the latest
// order's facts; they ask for a person, the conversation shows up open in
// the inbox, the agent replies and the customer reads the reply.
func TestSupportBotOrderStatusThenAgent(t *testing.T) {
	t.Parallel()
	c := newBotChat(t)
	p := c.customer()
	p.newCart()
	p.add(c.small, 1)
	p.ready()
	order := p.placeOrder("bot-order-1")

	started := c.start(p.token, map[string]any{"message": "Hi, where is my order?"})
	if started.Conversation.Status != "bot" || len(started.Messages) != 2 {
		t.Fatalf("started = %+v, want status bot and the bot's answer", started)
	}
	answer := botAnswer(t, started.Messages)
	if answer.Order == nil || answer.Order.ID != order.ID || answer.Order.Number != order.Number ||
		answer.Order.Status != string(order.Status) {
		t.Fatalf("bot answer = %+v, want the card of %s (%s)", answer, order.Number, order.Status)
	}
	if !strings.Contains(answer.Body, order.Number) {
		t.Errorf("bot answer %q does not name %s", answer.Body, order.Number)
	}

	conv := started.Conversation
	handoff := botAnswer(t, c.say(p.token, "", conv.ID, "I want to talk to a human please"))
	if got := c.conversation(p.token, "", conv.ID).Status; got != "open" {
		t.Fatalf("after asking for a person: status %s, want open (bot said %q)", got, handoff.Body)
	}
	var inbox struct {
		Data []support.Conversation `json:"data"`
	}
	c.staff(http.MethodGet, adminConvs+"?status=open", nil).Expect(t, http.StatusOK).JSON(t, &inbox)
	if len(inbox.Data) != 1 || inbox.Data[0].ID != conv.ID {
		t.Fatalf("open inbox = %+v, want the conversation", inbox.Data)
	}
	c.staff(http.MethodPost, adminConvs+"/"+conv.ID+"/messages", map[string]any{"body": "Hello, I am Léa. Let me check."}).
		Expect(t, http.StatusCreated)
	// Once a person has the conversation the bot stays silent.
	if msgs := c.say(p.token, "", conv.ID, "thanks"); len(msgs) != 1 {
		t.Errorf("a message after the handoff produced %d messages, want only the customer's", len(msgs))
	}
	var page store.MessagePage
	c.as(p.token, "", http.MethodGet, fmt.Sprintf("%s/%s/messages?after=%d", convs, conv.ID, 4), nil).
		Expect(t, http.StatusOK).JSON(t, &page)
	var authors []string
	for _, m := range page.Data {
		authors = append(authors, m.Author+": "+m.Body)
	}
	if d := cmp.Diff([]string{"agent: Hello, I am Léa. Let me check.", "customer: thanks"}, authors); d != "" {
		t.Errorf("messages after 4 (-want +got):\n%s", d)
	}
}

// TestSupportBotNeverRevealsAnotherCustomersOrder: customer B names A's
// order number and gets nothing of it; a guest needs the number and the
// order's e-mail together.
func TestSupportBotNeverRevealsAnotherCustomersOrder(t *testing.T) {
	t.Parallel()
	c := newBotChat(t)
	a := c.customer()
	a.newCart()
	a.add(c.small, 1)
	a.ready()
	order := a.placeOrder("bot-order-a")

	b := c.customer()
	started := c.start(b.token, map[string]any{"message": "track " + order.Number})
	if ans := botAnswer(t, started.Messages); ans.Order != nil {
		t.Fatalf("B was shown A's order: %+v", ans.Order)
	}
	guest := c.start("", map[string]any{"message": "where is order " + order.Number + "?"})
	if ans := botAnswer(t, guest.Messages); ans.Order != nil {
		t.Fatalf("a guest without the e-mail was shown the order: %+v", ans.Order)
	}
	wrong := botAnswer(t, c.say("", guest.Token, guest.Conversation.ID, "my e-mail is someone-else@example.com"))
	if wrong.Order != nil {
		t.Fatalf("a guest with the wrong e-mail was shown the order: %+v", wrong.Order)
	}
	// With the order's e-mail, in a fresh conversation, the guest gets it.
	right := c.start("", map[string]any{"message": "where is my order " + order.Number + "?", "email": order.Email})
	if ans := botAnswer(t, right.Messages); ans.Order == nil || ans.Order.ID != order.ID {
		t.Fatalf("the guest with number and e-mail got %+v, want the order", ans)
	}
}

// TestSupportBotSkinQuiz: the quiz in the chat ends with at most 3
// published, in-stock products that match; the signed-in customer's
// answers are kept on their profile.
func TestSupportBotSkinQuiz(t *testing.T) {
	t.Parallel()
	c := newBotChat(t)
	product := func(title string, attrs map[string]any, stock int64) string {
		var p struct {
			ID       string `json:"id"`
			Variants []struct {
				ID string `json:"id"`
			} `json:"variants"`
		}
		c.admin(http.MethodPost, "/v1/admin/products", map[string]any{"title": title, "status": "published",
			"attributes": attrs, "variants": []any{map[string]any{"sku": strings.ToUpper(strings.ReplaceAll(title, " ", "-")),
				"prices": []any{eur(1500)}}}}).Expect(t, http.StatusCreated).JSON(t, &p)
		if stock > 0 {
			c.admin(http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": p.Variants[0].ID,
				"warehouse_id": c.warehouse, "delta": stock, "reason": "opening stock"}).Expect(t, http.StatusCreated)
		}
		return p.ID
	}
	rich := product("Rich Cream", map[string]any{"skin_types": []string{"dry"}, "vegan": true, "concerns": []string{"hydration"}}, 5)
	balm := product("Night Balm", map[string]any{"skin_types": []string{"dry", "normal"}, "vegan": true}, 5)
	product("Lanolin Salve", map[string]any{"skin_types": []string{"dry"}, "vegan": false}, 5)
	product("Sold Out Mask", map[string]any{"skin_types": []string{"dry"}, "vegan": true, "concerns": []string{"hydration"}}, 0)
	product("Oil Control Gel", map[string]any{"skin_types": []string{"oily"}, "vegan": true}, 5)

	p := c.customer()
	started := c.start(p.token, map[string]any{"message": "Which moisturiser would suit my skin?"})
	conv := started.Conversation.ID
	var last support.Message
	for _, answer := range []string{"dry", "hydration", "vegan"} {
		last = botAnswer(t, c.say(p.token, "", conv, answer))
		if len(last.Suggestions) > 0 {
			break
		}
	}
	var got []string
	for _, s := range last.Suggestions {
		got = append(got, s.ProductID)
	}
	if d := cmp.Diff([]string{rich, balm}, got); d != "" {
		t.Fatalf("suggestions (-want +got):\n%s\nlast answer: %q", d, last.Body)
	}
	var profile *string
	if err := c.h.DB.Conn(t.Context()).Raw(`SELECT skin_profile FROM customers WHERE id = (SELECT customer_id FROM support_conversations WHERE id = ?)`,
		conv).Scan(&profile).Error; err != nil {
		t.Fatal(err)
	}
	if profile == nil || !strings.Contains(*profile, `"dry"`) || !strings.Contains(*profile, "vegan") {
		t.Errorf("skin profile = %v, want the quiz answers", profile)
	}
}
