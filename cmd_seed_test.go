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
	if !strings.Contains(out.String(), "camille@skincare.test") {
		t.Errorf("logins not printed:\n%s", out.String())
	}
}
