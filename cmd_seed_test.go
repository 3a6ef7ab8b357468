package main

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/page"
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
	// The metrics history's orders (ids syn_...) are checked below.
	if err := d.Conn(t.Context()).Raw(`SELECT status, fulfillment_status, COUNT(*) AS n FROM orders
		WHERE id NOT LIKE 'syn_%' GROUP BY status, fulfillment_status ORDER BY status, fulfillment_status`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	want := []struct {
		Status, FulfillmentStatus string
		N                         int
	}{
		{"canceled", "unfulfilled", 1},
		{"completed", "delivered", 5}, // two of them at the Paris pop-up
		{"confirmed", "shipped", 1},
		{"confirmed", "unfulfilled", 1},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("demo orders by state (-want +got)\n%s", diff)
	}
	// The pop-up's two counter sales record its channel, are paid by hand
	// (cash, terminal) and one of them is the kit sold only there, which
	// no other channel lists.
	var popup []struct {
		Provider, Kits string
	}
	if err := d.Conn(t.Context()).Raw(`SELECT p.provider, (SELECT COUNT(*) FROM order_items i JOIN variants v ON v.id = i.variant_id
		WHERE i.order_id = o.id AND v.sku = 'KIT-POPUP-PARIS') AS kits
		FROM orders o JOIN sales_channels c ON c.id = o.sales_channel_id JOIN payments p ON p.order_id = o.id
		WHERE c.name = 'Paris pop-up' AND o.id NOT LIKE 'syn_%' ORDER BY o.created_at`).Scan(&popup).Error; err != nil {
		t.Fatal(err)
	}
	if len(popup) != 2 || popup[0].Provider != "manual" || popup[1].Provider != "manual" || popup[0].Kits != "1" {
		t.Errorf("pop-up sales = %+v, want two manual payments, the first with the kit", popup)
	}
	var kitChannels []string
	if err := d.Conn(t.Context()).Raw(`SELECT s.sales_channel_id FROM product_sales_channels s JOIN products p ON p.id = s.product_id
		WHERE p.handle = 'paris-pop-up-discovery-kit'`).Scan(&kitChannels).Error; err != nil || len(kitChannels) != 1 {
		t.Errorf("the kit's channels = %v, %v; want the pop-up only", kitChannels, err)
	}
	var reviews []struct {
		Status string
		N      int
	}
	if err := d.Conn(t.Context()).Raw(`SELECT status, COUNT(DISTINCT product_id) AS n FROM reviews GROUP BY status`).
		Scan(&reviews).Error; err != nil || len(reviews) != 1 || reviews[0].Status != "approved" || reviews[0].N != 3 {
		t.Errorf("demo reviews = %+v, %v", reviews, err)
	}
	var pairs int64
	if err := d.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM co_purchases WHERE orders > 0`).Scan(&pairs).Error; err != nil || pairs < 4 {
		t.Errorf("demo co-purchase pairs = %d, %v", pairs, err)
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
	checkDemoChannels(t, d, out.String())
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
	checkDemoMetrics(t, d)
	var camille []struct {
		Balance int64
		Tier    string
	}
	if err := d.Conn(t.Context()).Raw(`SELECT balance, tier FROM loyalty_accounts`).Scan(&camille).Error; err != nil ||
		len(camille) != 1 || camille[0].Tier != "silver" || camille[0].Balance <= 250 {
		t.Errorf("loyalty accounts = %+v, %v; want Camille at silver with her welcome and earned points", camille, err)
	}
	var canned int64
	if err := d.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM support_canned_replies`).Scan(&canned).Error; err != nil || canned < 3 {
		t.Errorf("canned replies = %d, %v", canned, err)
	}
}

// checkDemoMetrics checks the demo's metrics history is there: a KPI report
// over the last 90 days with sessions, orders, a conversion rate in (0, 1),
// spend and an acquisition cost, and the stopped experiment's results with
// sessions in both arms.
func checkDemoMetrics(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := t.Context()
	to := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	rep, err := metrics.NewKPIs(d, nil).Report(ctx, metrics.KPIQuery{From: to.AddDate(0, 0, -90), To: to, Interval: "day"})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Summary
	if s.Sessions == 0 || s.Orders == 0 || s.ConversionRate == nil || *s.ConversionRate <= 0 || *s.ConversionRate >= 1 ||
		len(s.MarketingSpend) == 0 || len(s.CustomerAcquisitionCost) == 0 {
		t.Errorf("KPI summary over 90 days: sessions %d, orders %d, conversion %v, spend %v, CAC %v", s.Sessions,
			s.Orders, s.ConversionRate, s.MarketingSpend, s.CustomerAcquisitionCost)
	}
	tr := metrics.NewTracker(d)
	admin := auth.Actor{Kind: auth.Staff, ID: "test", Role: auth.RoleAdmin}
	list, err := tr.ListExperiments(ctx, admin, metrics.StatusStopped, page.Request{Limit: 10})
	if err != nil || len(list.Data) != 1 {
		t.Fatalf("stopped experiments = %+v, %v", list.Data, err)
	}
	res, err := tr.Results(ctx, admin, list.Data[0].ID)
	if err != nil || len(res.Arms) != 2 || res.Arms[0].Sessions == 0 || res.Arms[1].Sessions == 0 || res.Lift == nil {
		t.Errorf("experiment results = %+v, %v", res, err)
	}
}

// checkDemoChannels: the web store fulfilled from both demo warehouses, the
// mobile app and the Paris pop-up (one warehouse, the EU region), each of
// the last two with a live publishable key printed at start, and the
// metrics history spread over the three.
func checkDemoChannels(t *testing.T, d *db.DB, out string) {
	t.Helper()
	ctx := t.Context()
	var chans []struct {
		ID, Name, Kind string
		RegionID       *string
		Warehouses     int
		Key            *string
	}
	if err := d.Conn(ctx).Raw(`SELECT c.id, c.name, c.kind, c.region_id,
		(SELECT COUNT(*) FROM sales_channel_warehouses w WHERE w.sales_channel_id = c.id) AS warehouses,
		(SELECT MIN(k.key) FROM publishable_keys k WHERE k.sales_channel_id = c.id AND k.revoked_at IS NULL) AS key
		FROM sales_channels c ORDER BY c.is_default DESC, c.name`).Scan(&chans).Error; err != nil {
		t.Fatal(err)
	}
	if len(chans) != 3 || chans[0].Name != "Web store" || chans[0].Warehouses != 2 ||
		chans[1].Name != "Mobile app" || chans[1].Kind != "mobile" || chans[1].Warehouses != 2 || chans[1].Key == nil ||
		chans[2].Name != "Paris pop-up" || chans[2].Kind != "pos" || chans[2].Warehouses != 1 || chans[2].Key == nil ||
		chans[2].RegionID == nil {
		t.Fatalf("demo channels = %+v", chans)
	}
	for _, c := range chans[1:] {
		if !strings.Contains(out, *c.Key) {
			t.Errorf("key of %s not printed:\n%s", c.Name, out)
		}
	}
	// The metrics history: orders and events on each channel (none of the
	// pop-up's events: it has no storefront).
	var spread []struct {
		SalesChannelID string
		Orders, Events int
	}
	if err := d.Conn(ctx).Raw(`SELECT c.id AS sales_channel_id,
		(SELECT COUNT(*) FROM orders o WHERE o.sales_channel_id = c.id AND o.id LIKE 'syn_%') AS orders,
		(SELECT COUNT(*) FROM metric_events e WHERE e.sales_channel_id = c.id) AS events
		FROM sales_channels c ORDER BY c.is_default DESC, c.name`).Scan(&spread).Error; err != nil {
		t.Fatal(err)
	}
	if len(spread) != 3 || spread[0].Orders < spread[1].Orders || spread[1].Orders == 0 || spread[1].Events == 0 ||
		spread[2].Orders == 0 || spread[2].Events != 0 {
		t.Errorf("metrics history per channel (web, mobile, pop-up) = %+v", spread)
	}
	rep, err := metrics.NewKPIs(d, nil).Report(ctx, metrics.KPIQuery{From: time.Now().AddDate(0, 0, -90),
		To: time.Now(), SalesChannel: chans[1].ID})
	if err != nil || rep.Summary.Sessions == 0 || rep.Summary.Orders == 0 || rep.Summary.ConversionRate == nil {
		t.Errorf("mobile app KPIs = %+v, %v", rep.Summary.Figures, err)
	}
}
