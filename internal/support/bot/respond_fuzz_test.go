package bot

import (
	"context"
	"encoding/json"
	"testing"

	"storekeep/internal/catalog"
	"storekeep/internal/customers"
	"storekeep/internal/orders"
	"storekeep/internal/support"
)

// memDeps answers the bot's reads from memory: the fuzz test below runs
// the bot's state machine millions of times, which a database would not
// allow. The database-backed behaviour is tested in bot_test.go.
type memDeps struct{}

var memOrder = orders.Facts{ID: "order_x", Number: "SK-1001", Status: "confirmed", FulfillmentStatus: "shipped",
	Shipments: []orders.Shipment{{Status: "shipped", Carrier: "DHL", TrackingNumber: "D1"}}}

func (memDeps) CustomerFacts(context.Context, string, int) ([]orders.Facts, error) {
	return []orders.Facts{memOrder, memOrder}, nil
}
func (memDeps) CustomerFactsByNumber(_ context.Context, _, n string) (orders.Facts, error) {
	if n == memOrder.Number {
		return memOrder, nil
	}
	return orders.Facts{}, orders.ErrOrderNotFound
}
func (memDeps) CustomerFactsByID(context.Context, string, string) (orders.Facts, error) {
	return orders.Facts{}, orders.ErrOrderNotFound
}
func (memDeps) GuestFactsByNumber(context.Context, string, string) (orders.Facts, error) {
	return orders.Facts{}, orders.ErrOrderNotFound
}
func (memDeps) GuestFactsByID(context.Context, string, string) (orders.Facts, error) {
	return orders.Facts{}, orders.ErrOrderNotFound
}
func (memDeps) FAQs(_ context.Context, locale string) ([]FAQ, error) { return testFAQs()[locale], nil }
func (memDeps) AdviceCandidates(context.Context, string) ([]catalog.AdviceProduct, error) {
	return []catalog.AdviceProduct{{ID: "prod_1", Handle: "h", Title: "T",
		Attributes: map[string]any{"skin_types": []any{"dry"}, "vegan": true}}}, nil
}
func (memDeps) SaveSkinProfile(context.Context, string, customers.SkinProfile) error { return nil }

// FuzzRespond: any message with any stored state gets a reply with a JSON
// state and never panics; two messages in a row keep working from it.
func FuzzRespond(f *testing.F) {
	for _, seed := range [][3]string{
		{"where is my order", `{}`, "en"},
		{"the second one", `{"pending":"order_choice","choices":["SK-1","SK-2"]}`, "en"},
		{"dry", `{"pending":"quiz","quiz":{}}`, "fr"},
		{"none", `{"pending":"quiz","quiz":{"skin_type":"dry","concern":"acne"}}`, "en"},
		{"a@b.co", `{"pending":"order_email","number":"SK-1"}`, "en"},
		{"x", `{"misses":1}`, "fr"},
		{"\x00", `{"quiz":null,"choices":[1]}`, ""},
	} {
		f.Add(seed[0], seed[1], seed[2], true)
	}
	m := memDeps{}
	b := New(Deps{Orders: m, FAQs: m, Products: m, Profiles: m})
	f.Fuzz(func(t *testing.T, text, st, locale string, signedIn bool) {
		tn := support.Turn{Text: text, State: json.RawMessage(st), Locale: locale}
		if signedIn {
			tn.CustomerID = "cus_x"
		}
		for range 2 {
			r, err := b.Respond(context.Background(), tn)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(r.State) || r.Text == "" || r.Intent == "" || len(r.Suggestions) > maxSuggestions {
				t.Fatalf("reply %+v", r)
			}
			tn.State = r.State
		}
	})
}
