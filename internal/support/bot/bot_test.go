package bot

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/catalog"
	"storekeep/internal/checkout"
	"storekeep/internal/customers"
	"storekeep/internal/demo"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/staff"
	"storekeep/internal/support"
)

const day = 24 * time.Hour

func TestOrderStatusSignedIn(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	ada := s.order(t, "SK-1001", s.ada.ID, "ada@example.com", "confirmed", "shipped", 2*day, "Colissimo", "6A111")
	s.order(t, "SK-1002", s.bob.ID, "bob@example.com", "confirmed", "shipped", day, "DHL", "BOB-SECRET-1")
	// A canceled shipment is not one the customer can track.
	exec(t, s.d, `INSERT INTO fulfillments (id, order_id, warehouse_id, status, carrier, tracking_number,
		created_at, updated_at) VALUES ('ful_canceled', ?, 'wh_test', 'canceled', 'UPS', 'CANCELED-1', ?, ?)`, ada, now, now)
	turn := support.Turn{ConversationID: "conv_1", Locale: "en", CustomerID: s.ada.ID}

	r := s.last(t, turn, "where is my order?")
	want := &support.OrderCard{ID: ada, Number: "SK-1001", Status: "confirmed", FulfillmentStatus: "shipped",
		Tracking: []support.Tracking{{Carrier: "Colissimo", Number: "6A111"}}}
	if d := cmp.Diff(want, r.Order); d != "" {
		t.Fatalf("order card (-want +got)\n%s", d)
	}
	if r.Intent != "order_status" || r.Handoff || !strings.Contains(r.Text, "6A111") || !strings.Contains(r.Text, "SK-1001") {
		t.Errorf("reply = %+v", r)
	}

	// In French, by number, the same facts.
	fr := turn
	fr.Locale = "fr"
	r = s.last(t, fr, "où en est ma commande SK-1001 ?")
	if r.Order == nil || r.Order.ID != ada || !strings.Contains(r.Text, "expédiée") {
		t.Errorf("fr reply = %+v", r)
	}
}

// TestOrderStatusNeverRevealsAnotherCustomersOrder: given Bob's order
// number, Ada gets exactly the answer she gets for a number that does not
// exist, and nothing of Bob's order.
func TestOrderStatusNeverRevealsAnotherCustomersOrder(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.order(t, "SK-1001", s.ada.ID, "ada@example.com", "confirmed", "unfulfilled", day)
	s.order(t, "SK-1002", s.bob.ID, "bob@example.com", "confirmed", "shipped", day, "DHL", "BOB-SECRET-1")
	turn := support.Turn{Locale: "en", CustomerID: s.ada.ID}

	bobs := s.last(t, turn, "track SK-1002")
	missing := s.last(t, turn, "track SK-9999")
	if bobs.Order != nil {
		t.Fatalf("Bob's order was shown to Ada: %+v", bobs.Order)
	}
	if strings.Contains(bobs.Text, "BOB-SECRET") || strings.Contains(bobs.Text, "shipped") {
		t.Fatalf("reply reveals Bob's order: %q", bobs.Text)
	}
	if got, want := bobs.Text, strings.ReplaceAll(missing.Text, "SK-9999", "SK-1002"); got != want {
		t.Errorf("another's order answers %q, a missing one %q", got, want)
	}
	// A guest with the number but not the order's e-mail learns nothing either.
	guest := support.Turn{Locale: "en", Email: "ada@example.com"}
	r := s.last(t, guest, "track SK-1002")
	if r.Order != nil || strings.Contains(r.Text, "BOB-SECRET") {
		t.Fatalf("guest with the wrong e-mail saw Bob's order: %+v", r)
	}
	// Even when the conversation is linked to Bob's order, Ada's lookup
	// stays on her own orders.
	bobOrder := s.order(t, "SK-1003", s.bob.ID, "bob@example.com", "confirmed", "shipped", day, "DHL", "BOB-SECRET-2")
	linked := turn
	linked.OrderID = bobOrder
	r = s.last(t, linked, "where is my order?")
	if r.Order == nil || r.Order.Number != "SK-1001" {
		t.Fatalf("linked to Bob's order, Ada got %+v", r)
	}
}

func TestOrderStatusGuest(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	oid := s.order(t, "SK-1010", "", "guest@example.com", "confirmed", "shipped", day, "UPS", "1Z999")
	guest := support.Turn{Locale: "en"}

	rs := s.chat(t, guest, "where is my order?", "it's 1010", "wrong@example.com")
	if rs[0].Order != nil || !strings.Contains(rs[0].Text, "order number") {
		t.Errorf("no number: %+v, want a question for the number", rs[0])
	}
	if rs[1].Order != nil || !strings.Contains(rs[1].Text, "e-mail") || !strings.Contains(rs[1].Text, "SK-1010") {
		t.Errorf("number only: %+v, want a question for the e-mail", rs[1])
	}
	if rs[2].Order != nil || !strings.Contains(rs[2].Text, "can't find") {
		t.Errorf("wrong e-mail: %+v, want not found", rs[2])
	}

	// Both in one message, any case: found.
	r := s.last(t, guest, "SK-1010, e-mail GUEST@example.com")
	if r.Order == nil || r.Order.ID != oid || r.Order.Tracking[0].Number != "1Z999" {
		t.Fatalf("number and e-mail: %+v", r)
	}
	// The e-mail given when the conversation started counts.
	withEmail := support.Turn{Locale: "fr", Email: "guest@example.com"}
	r = s.last(t, withEmail, "suivi de commande sk-1010")
	if r.Order == nil || r.Order.ID != oid {
		t.Fatalf("Turn.Email + number: %+v", r)
	}
	// E-mail first, then the number.
	rs = s.chat(t, guest, "where is my parcel? my email is guest@example.com", "SK-1010")
	if rs[1].Order == nil || rs[1].Order.ID != oid {
		t.Fatalf("e-mail then number: %+v", rs[1])
	}
	// A linked order still needs the e-mail.
	linked := support.Turn{Locale: "en", OrderID: oid}
	rs = s.chat(t, linked, "where is my order?")
	if rs[0].Order != nil {
		t.Fatalf("linked order shown without an e-mail: %+v", rs[0])
	}
	linked.Email = "guest@example.com"
	if r := s.last(t, linked, "where is my order?"); r.Order == nil || r.Order.ID != oid {
		t.Fatalf("linked order with the e-mail: %+v", r)
	}
}

func TestOrderStatusAsksWhichOrder(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.order(t, "SK-1020", s.ada.ID, "ada@example.com", "completed", "delivered", 90*day)
	first := s.order(t, "SK-1021", s.ada.ID, "ada@example.com", "confirmed", "unfulfilled", 3*day)
	s.order(t, "SK-1022", s.ada.ID, "ada@example.com", "confirmed", "shipped", day, "DHL", "D1")
	s.order(t, "SK-1030", s.bob.ID, "bob@example.com", "confirmed", "shipped", day)
	turn := support.Turn{Locale: "en", CustomerID: s.ada.ID}

	rs := s.chat(t, turn, "where is my order", "SK-1021")
	if rs[0].Order != nil || !strings.Contains(rs[0].Text, "SK-1022, SK-1021") || strings.Contains(rs[0].Text, "SK-1020") {
		t.Errorf("several open orders: %+v, want a question listing SK-1022 and SK-1021 only", rs[0])
	}
	if rs[1].Order == nil || rs[1].Order.ID != first {
		t.Errorf("answer to which order: %+v", rs[1])
	}
	// Or by its place in the list.
	rs = s.chat(t, turn, "where is my order", "the second one")
	if rs[1].Order == nil || rs[1].Order.ID != first {
		t.Errorf("answer 'the second one': %+v", rs[1])
	}
	frTurn := turn
	frTurn.Locale = "fr"
	rs = s.chat(t, frTurn, "où est ma commande ?", "la deuxième")
	if rs[1].Order == nil || rs[1].Order.ID != first {
		t.Errorf("answer 'la deuxième': %+v", rs[1])
	}
	// Answering with someone else's number is not found, not Bob's order.
	rs = s.chat(t, turn, "where is my order", "1030")
	if rs[1].Order != nil || !strings.Contains(rs[1].Text, "can't find") {
		t.Errorf("answer with Bob's number: %+v", rs[1])
	}
	// One open order among old ones: that one, no question.
	s2 := newShop(t)
	s2.order(t, "SK-1040", s2.ada.ID, "ada@example.com", "completed", "delivered", 60*day)
	open := s2.order(t, "SK-1041", s2.ada.ID, "ada@example.com", "confirmed", "unfulfilled", 20*day)
	if r := s2.last(t, turn2(s2), "where is my order"); r.Order == nil || r.Order.ID != open {
		t.Errorf("one open order: %+v", r)
	}
	// Only old finished orders: the latest.
	s3 := newShop(t)
	s3.order(t, "SK-1050", s3.ada.ID, "ada@example.com", "completed", "delivered", 60*day)
	latest := s3.order(t, "SK-1051", s3.ada.ID, "ada@example.com", "completed", "delivered", 30*day)
	if r := s3.last(t, turn2(s3), "where is my order"); r.Order == nil || r.Order.ID != latest {
		t.Errorf("latest finished order: %+v", r)
	}
	// No orders at all.
	if r := s3.last(t, support.Turn{Locale: "en", CustomerID: s3.bob.ID}, "where is my order"); r.Order != nil ||
		!strings.Contains(r.Text, "any order") {
		t.Errorf("no orders: %+v", r)
	}
}

func turn2(s *shop) support.Turn { return support.Turn{Locale: "en", CustomerID: s.ada.ID} }

func TestQuizSuggestsInStockMatchingProducts(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	turn := support.Turn{Locale: "en", CustomerID: s.ada.ID}
	rs := s.chat(t, turn, "Can you recommend something for me?", "dry", "hydration", "vegan please")
	for i, want := range []string{"skin type", "main concern", "preference"} {
		if !strings.Contains(rs[i].Text, want) || rs[i].Intent != "advice" || len(rs[i].Suggestions) != 0 {
			t.Errorf("turn %d: %+v, want the question about %s", i, rs[i], want)
		}
	}
	got := rs[3].Suggestions
	if len(got) != 3 {
		t.Fatalf("suggestions = %+v, want 3", got)
	}
	// Dry, vegan, in stock and published: four products qualify, all made
	// for hydration. The out-of-stock mask, the draft night cream and the
	// non-vegan balm would match the skin type but never appear.
	allowed := []string{"Rose Water Mist", "Hydrating Toner", "Barrier Repair Moisturiser", "Cream Cleanser with Oat"}
	for _, sg := range got {
		p := s.products[sg.Title]
		if !slices.Contains(allowed, sg.Title) || sg.ProductID != p.ID || sg.Handle != p.Handle {
			t.Errorf("suggestion %+v is not one of %v (with its id and handle)", sg, allowed)
		}
	}
	if !strings.Contains(rs[3].Text, got[0].Title) || !strings.Contains(rs[3].Text, "saved") {
		t.Errorf("final text = %q", rs[3].Text)
	}
	if st := decodeState(rs[3].State); st.Quiz != nil || st.Pending != "" {
		t.Errorf("state after the quiz = %+v, want cleared", st)
	}
	prof, err := s.cus.SkinProfile(t.Context(), s.ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&customers.SkinProfile{SkinType: "dry", Concern: "hydration", Preferences: []string{"vegan"}}, prof); d != "" {
		t.Errorf("saved profile (-want +got)\n%s", d)
	}
}

func TestQuizFrenchRanksConcernFirst(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	guest := support.Turn{Locale: "fr"}
	// The first message already gives the skin type; answers in French
	// with accents, the preferences as a phrase.
	rs := s.chat(t, guest, "J'ai la peau sèche, que me conseillez-vous ?", "plutôt des rougeurs", "sans parfum")
	if !strings.Contains(rs[0].Text, "préoccupation") {
		t.Errorf("first question = %q, want the concern (skin type already given)", rs[0].Text)
	}
	// Dry and fragrance-free: the oat cleanser (oat: redness) ranks before
	// the barrier cream, which does not address redness.
	var titles []string
	for _, sg := range rs[2].Suggestions {
		titles = append(titles, sg.Title)
	}
	if d := cmp.Diff([]string{"Crème nettoyante à l'avoine", "Crème réparatrice barrière"}, titles); d != "" {
		t.Errorf("suggestions (-want +got)\n%s", d)
	}
	if strings.Contains(rs[2].Text, "profil") {
		t.Errorf("a guest's answers were said to be saved: %q", rs[2].Text)
	}
}

func TestQuizUnreadableAnswers(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	turn := support.Turn{Locale: "en", CustomerID: s.bob.ID}
	rs := s.chat(t, turn, "help me choose a moisturiser", "purple", "dry")
	if !strings.Contains(rs[1].Text, "didn't catch") || rs[1].Handoff {
		t.Errorf("unreadable answer: %+v", rs[1])
	}
	if !strings.Contains(rs[2].Text, "main concern") {
		t.Errorf("after a retry: %+v", rs[2])
	}
	// An order question leaves the quiz.
	r := s.last(t, turn, "help me choose a moisturiser", "where is my order?")
	if r.Intent != "order_status" {
		t.Errorf("order question during the quiz: %+v", r)
	}
	// No product for oily skin that is fragrance-free: said so, no guess.
	r = s.last(t, turn, "quiz", "oily", "acne", "fragrance-free")
	if len(r.Suggestions) != 0 || !strings.Contains(r.Text, "couldn't find") {
		t.Errorf("no match: %+v", r)
	}
}

func TestHandoff(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	turn := support.Turn{Locale: "en", CustomerID: s.ada.ID}
	for _, text := range []string{"agent", "I want to talk to a human", "This is ridiculous", "WHERE IS MY ORDER!!!"} {
		r := s.last(t, turn, text)
		if !r.Handoff || r.Intent != "handoff" || !strings.Contains(r.Text, "person") {
			t.Errorf("%q: %+v, want a handoff", text, r)
		}
	}
	fr := support.Turn{Locale: "fr"}
	for _, text := range []string{"je veux parler à quelqu'un", "un conseiller svp", "c'est inadmissible"} {
		if r := s.last(t, fr, text); !r.Handoff || !strings.Contains(r.Text, "personne") {
			t.Errorf("%q: %+v, want a handoff in French", text, r)
		}
	}
	// During the quiz too.
	if r := s.last(t, turn, "recommend me a serum", "human please"); !r.Handoff {
		t.Errorf("handoff during the quiz: %+v", r)
	}
}

func TestHandoffAfterTwoMisses(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	turn := support.Turn{Locale: "en"}
	rs := s.chat(t, turn, "what's the weather like?", "who won the match yesterday")
	if rs[0].Handoff || rs[0].Intent != "unknown" || !strings.Contains(rs[0].Text, "rephrase") {
		t.Errorf("first miss: %+v", rs[0])
	}
	if !rs[1].Handoff || rs[1].Intent != "handoff" {
		t.Errorf("second miss in a row: %+v, want a handoff", rs[1])
	}
	// A miss, an answer, a miss: not two in a row.
	rs = s.chat(t, turn, "asdf", "how long does shipping take?", "qwerty")
	if rs[1].Intent != "faq" || rs[2].Handoff {
		t.Errorf("miss, answer, miss: %+v", rs)
	}
	// A near miss of the FAQ counts as a miss.
	rs = s.chat(t, turn, "can you ship me a birthday cake for my grandmother", "tell me something about cats")
	if !rs[1].Handoff {
		t.Errorf("two near misses: %+v", rs)
	}
}

func TestFAQAndSmallTalk(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	r := s.last(t, support.Turn{Locale: "en"}, "How long does shipping take?")
	if r.Intent != "faq" || !strings.Contains(r.Text, "2 to 4 working days") {
		t.Errorf("faq: %+v", r)
	}
	r = s.last(t, support.Turn{Locale: "fr-FR"}, "politique de retour ?")
	if r.Intent != "faq" || !strings.Contains(r.Text, "30 jours") {
		t.Errorf("faq fr: %+v", r)
	}
	if r := s.last(t, support.Turn{Locale: "fr"}, "Bonjour"); r.Intent != "greeting" || !strings.HasPrefix(r.Text, "Bonjour") {
		t.Errorf("greeting: %+v", r)
	}
	if r := s.last(t, support.Turn{Locale: "en"}, "thanks!"); r.Intent != "thanks" {
		t.Errorf("thanks: %+v", r)
	}
	// Unreadable state starts afresh rather than failing.
	r, err := s.bot.Respond(t.Context(), support.Turn{Locale: "en", Text: "hello", State: json.RawMessage(`{"quiz":`)})
	if err != nil || r.Intent != "greeting" {
		t.Errorf("bad state: %+v, %v", r, err)
	}
}

func TestEveryMessageIsTranslated(t *testing.T) {
	for key := range messages["en"] {
		if messages["fr"][key] == "" {
			t.Errorf("message %q has no French", key)
		}
	}
	for key := range messages["fr"] {
		if messages["en"][key] == "" {
			t.Errorf("message %q has no English", key)
		}
	}
	for key := range labels["en"] {
		if labels["fr"][key] == "" {
			t.Errorf("label %q has no French", key)
		}
	}
}

// TestQuizOverTheDemoShop runs the quiz over the demo catalog as the demo
// loads it (attributes, translations, stock through the inventory): every
// skin type and concern gets in-stock published suggestions.
func TestQuizOverTheDemoShop(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := t.Context()
	cat := catalog.NewService(d)
	if _, err := demo.Load(ctx, demo.Services{DB: d, Catalog: cat, Checkout: checkout.NewService(d),
		Staff: staff.NewService(d, nil, nil, nil), Customers: customers.NewService(d, nil, nil, nil),
		Inventory: inventory.NewService(d, cat)}); err != nil {
		t.Fatal(err)
	}
	b := NewFromDB(d)
	for _, skin := range []string{"dry", "oily", "combination", "sensitive", "normal"} {
		for _, concern := range []string{"hydration", "acne", "redness", "ageing", "dullness"} {
			st := json.RawMessage(`{}`)
			var r support.BotReply
			for _, text := range []string{"recommend me something", skin, concern, "none"} {
				var err error
				if r, err = b.Respond(ctx, support.Turn{Locale: "en", Text: text, State: st}); err != nil {
					t.Fatal(err)
				}
				st = r.State
			}
			if len(r.Suggestions) == 0 {
				t.Errorf("%s/%s: no suggestion: %q", skin, concern, r.Text)
			}
			for _, sg := range r.Suggestions {
				var ok bool
				err := d.Conn(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM products p JOIN variants v ON v.product_id = p.id
					WHERE p.id = ? AND p.status = 'published' AND v.available > 0)`, sg.ProductID).Scan(&ok).Error
				if err != nil || !ok {
					t.Errorf("%s/%s: suggested %+v is not published and in stock (%v)", skin, concern, sg, err)
				}
			}
		}
	}
}
