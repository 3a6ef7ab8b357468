package main

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/dbtest"
)

// TestSeedDemoPlacesPastOrders seeds the whole demo shop the way
// `storekeep seed --demo` does and checks the past orders it placed through
// the API: one per state the back office should have something to show.
func TestSeedDemoPlacesPastOrders(t *testing.T) {
	d := dbtest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	secret := []byte(strings.Repeat("k", 32))
	var out bytes.Buffer
	if err := seedDemo(t.Context(), d, log, &out, apiOptions(config{TestPayments: true}, d, log, secret)); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Status, FulfillmentStatus string
		N                         int
	}
	if err := d.Conn(t.Context()).Raw(`SELECT status, fulfillment_status, COUNT(*) AS n FROM orders
		GROUP BY status, fulfillment_status ORDER BY status, fulfillment_status`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	want := []struct {
		Status, FulfillmentStatus string
		N                         int
	}{
		{"canceled", "unfulfilled", 1},
		{"completed", "delivered", 2},
		{"confirmed", "shipped", 1},
		{"confirmed", "unfulfilled", 1},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("demo orders by state (-want +got)\n%s", diff)
	}
	var welcome int64
	if err := d.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM order_discounts WHERE code = 'WELCOME15'`).Scan(&welcome).Error; err != nil || welcome != 1 {
		t.Errorf("orders with WELCOME15 = %d, %v", welcome, err)
	}
	for _, login := range []string{"camille@skincare.test", "support@skincare.test"} {
		if !strings.Contains(out.String(), login) {
			t.Errorf("login %s not printed:\n%s", login, out.String())
		}
	}
	// Support: FAQs in both languages, canned replies, a closed rated
	// conversation and one waiting for an agent.
	var support []struct {
		Status string
		Rating *int
	}
	if err := d.Conn(t.Context()).Raw(`SELECT status, rating FROM support_conversations ORDER BY id`).
		Scan(&support).Error; err != nil {
		t.Fatal(err)
	}
	if len(support) != 2 || support[0].Status != "closed" || support[0].Rating == nil || *support[0].Rating != 5 ||
		support[1].Status != "open" {
		t.Errorf("demo conversations = %+v", support)
	}
	var faqs []struct {
		Locale string
		N      int
	}
	if err := d.Conn(t.Context()).Raw(`SELECT locale, COUNT(*) AS n FROM support_faqs GROUP BY locale ORDER BY locale`).
		Scan(&faqs).Error; err != nil || len(faqs) != 2 || faqs[0].N < 4 || faqs[1].N < 4 {
		t.Errorf("demo FAQs by locale = %+v, %v", faqs, err)
	}
	var canned int64
	if err := d.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM support_canned_replies`).Scan(&canned).Error; err != nil || canned < 3 {
		t.Errorf("canned replies = %d, %v", canned, err)
	}
}
