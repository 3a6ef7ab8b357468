package bot

import (
	"encoding/json"
	"testing"
	"time"

	"storekeep/internal/catalog"
	"storekeep/internal/customers"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/support"
)

// now is the fixture's clock: orders are placed relative to it.
var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// shop is a database with two customers, their orders, the test FAQ and a
// small catalog, and a bot over it.
type shop struct {
	d        *db.DB
	bot      *Bot
	cus      *customers.Service
	ada, bob customers.Customer
	products map[string]catalog.Product // by title
}

func newShop(t *testing.T, opts ...Option) *shop {
	t.Helper()
	d := dbtest.New(t)
	s := &shop{d: d, cus: customers.NewService(d, nil, nil, nil), products: map[string]catalog.Product{}}
	ctx := t.Context()
	var err error
	if s.ada, err = s.cus.Create(ctx, customers.CreateInput{Email: "ada@example.com", Password: "correct-horse-battery",
		FirstName: "Ada", LastName: "Lovelace"}); err != nil {
		t.Fatal(err)
	}
	if s.bob, err = s.cus.Create(ctx, customers.CreateInput{Email: "bob@example.com", Password: "correct-horse-battery",
		FirstName: "Bob", LastName: "Builder"}); err != nil {
		t.Fatal(err)
	}
	for _, fs := range testFAQs() {
		for _, f := range fs {
			kw, _ := json.Marshal(f.Keywords)
			exec(t, d, `INSERT INTO support_faqs (id, question, answer, keywords, locale, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, f.Question, f.Answer, string(kw), f.Locale, now, now)
		}
	}
	exec(t, d, `INSERT INTO warehouses (id, code, name, country_code, created_at, updated_at)
		VALUES ('wh_test', 'PAR', 'Paris', 'FR', ?, ?)`, now, now)
	s.seedCatalog(t)
	s.bot = NewFromDB(d, append([]Option{WithClock(func() time.Time { return now })}, opts...)...)
	return s
}

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if err := d.Conn(t.Context()).Exec(q, args...).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// order inserts an order (customerID "" for a guest) placed age before now,
// with one shipment per tracking number (carrier, number pairs).
func (s *shop) order(t *testing.T, number, customerID, email, status, fulfillment string, age time.Duration, tracking ...string) string {
	t.Helper()
	oid := id.New("order")
	var cus any
	if customerID != "" {
		cus = customerID
	}
	at := now.Add(-age)
	exec(t, s.d, `INSERT INTO orders (id, number, cart_id, customer_id, email, currency, status, payment_status,
		fulfillment_status, shipping_address, billing_address, subtotal, discount_total, shipping_total,
		shipping_discount, shipping_tax, tax_total, total, tax_inclusive, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'EUR', ?, 'authorized', ?, '{}', '{}', 1000, 0, 0, 0, 0, 0, 1000, TRUE, ?, ?)`,
		oid, number, id.New("cart"), cus, email, status, fulfillment, at, at)
	for i := 0; i+1 < len(tracking); i += 2 {
		exec(t, s.d, `INSERT INTO fulfillments (id, order_id, warehouse_id, status, carrier, tracking_number,
			created_at, updated_at) VALUES (?, ?, 'wh_test', 'shipped', ?, ?, ?, ?)`,
			id.New("ful"), oid, tracking[i], tracking[i+1], at, at)
	}
	return oid
}

// testProduct is a catalog product for the quiz, with its stock.
type testProduct struct {
	title, titleFR string
	skin           []string
	vegan          bool
	ingredients    []string
	tags           []string
	draft          bool
	available      int
}

var testCatalog = []testProduct{
	{"Cream Cleanser with Oat", "Crème nettoyante à l'avoine", []string{"dry", "sensitive"}, true,
		[]string{"colloidal oat", "ceramides"}, []string{"fragrance-free"}, false, 10},
	{"Barrier Repair Moisturiser", "Crème réparatrice barrière", []string{"dry", "sensitive"}, true,
		[]string{"ceramides", "niacinamide"}, []string{"fragrance-free"}, false, 5},
	{"Hydrating Toner", "Lotion hydratante", []string{"dry", "normal", "sensitive"}, true,
		[]string{"hyaluronic acid", "panthenol"}, nil, false, 7},
	{"Cleansing Balm", "Baume démaquillant", []string{"dry", "normal"}, false,
		[]string{"sunflower oil", "beeswax"}, nil, false, 3},
	{"Overnight Sleeping Mask", "Masque de nuit", []string{"dry", "normal", "sensitive"}, true,
		[]string{"squalane", "allantoin"}, nil, false, 0}, // out of stock
	{"Rich Night Cream", "Crème de nuit riche", []string{"dry"}, true,
		[]string{"squalane", "shea butter"}, nil, true, 9}, // draft
	{"Rose Water Mist", "Brume à l'eau de rose", []string{"normal", "dry"}, true,
		[]string{"rose water", "glycerin"}, nil, false, 4},
	{"Kaolin Clay Mask", "Masque à l'argile kaolin", []string{"oily", "combination"}, true,
		[]string{"kaolin", "bentonite"}, nil, false, 6},
}

func (s *shop) seedCatalog(t *testing.T) {
	t.Helper()
	cat := catalog.NewService(s.d)
	admin := auth.Actor{Kind: auth.Staff, ID: "stf_test", Role: auth.RoleAdmin}
	for i, tp := range testCatalog {
		status := "published"
		if tp.draft {
			status = "draft"
		}
		sku := "SKU-" + string(rune('A'+i))
		p, err := cat.CreateProduct(t.Context(), admin, catalog.ProductInput{
			Title: tp.title, Status: status, Tags: tp.tags,
			Attributes:   map[string]any{"skin_types": tp.skin, "vegan": tp.vegan, "key_ingredients": tp.ingredients},
			Translations: map[string]catalog.TranslationInput{"fr": {Title: tp.titleFR}},
			Variants:     []catalog.VariantInput{{SKU: sku, Prices: []money.Amount{{Minor: 1500, Currency: "EUR"}}}},
		})
		if err != nil {
			t.Fatalf("create %s: %v", tp.title, err)
		}
		exec(t, s.d, `UPDATE variants SET available = ? WHERE sku = ?`, tp.available, sku)
		s.products[tp.title] = p
	}
}

// chat sends texts one after the other in one conversation, carrying the
// bot's state, and returns every reply.
func (s *shop) chat(t *testing.T, base support.Turn, texts ...string) []support.BotReply {
	t.Helper()
	var out []support.BotReply
	st := base.State
	for _, text := range texts {
		tn := base
		tn.Text, tn.State = text, st
		r, err := s.bot.Respond(t.Context(), tn)
		if err != nil {
			t.Fatalf("Respond(%q): %v", text, err)
		}
		if !json.Valid(r.State) {
			t.Fatalf("Respond(%q) state %q is not JSON", text, r.State)
		}
		out = append(out, r)
		st = r.State
	}
	return out
}

// last is the last reply of a chat.
func (s *shop) last(t *testing.T, base support.Turn, texts ...string) support.BotReply {
	t.Helper()
	rs := s.chat(t, base, texts...)
	return rs[len(rs)-1]
}
