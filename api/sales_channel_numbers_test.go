package api_test

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"storekeep/api/apitest"
	"storekeep/internal/platform/id"
)

// channelNumbersFixture: a shop with the default web channel and a pop-up
// (pos) channel fulfilled from its own warehouse, with orders, carts and
// storefront events on both (docs/sales-channels.md, "Numbers per
// channel"). Orders and carts go in through SQL with their
// sales_channel_id; events go through POST /v1/store/events, with the
// pop-up's publishable key or none.
type channelNumbersFixture struct {
	s        *shop
	popup    salesChannel
	popupKey string
	popupWH  string
	from, to time.Time
}

func newChannelNumbersFixture(t *testing.T) *channelNumbersFixture {
	t.Helper()
	s := newShop(t, 5, 3)
	h := s.h
	f := &channelNumbersFixture{s: s}
	var wh struct {
		ID string `json:"id"`
	}
	s.admin(http.MethodPost, "/v1/admin/warehouses", map[string]any{"code": "POPUP-" + s.small[len(s.small)-6:],
		"name": "Pop-up stand", "country_code": "FR"}).Expect(t, http.StatusCreated).JSON(t, &wh)
	f.popupWH = wh.ID
	s.admin(http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": s.small,
		"warehouse_id": wh.ID, "delta": 2, "reason": "opening stock"}).Expect(t, http.StatusCreated)
	var key publishableKey
	f.popup, key = newChannel(t, h, s.manager, "pos", wh.ID)
	f.popupKey = key.Key
	_, customer := h.CustomerToken(t)

	exec := func(q string, args ...any) {
		t.Helper()
		if err := h.DB.Conn(t.Context()).Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	base := time.Now().UTC().Truncate(time.Hour).Add(-2 * time.Hour)
	f.from, f.to = base.Add(-24*time.Hour), base.Add(24*time.Hour)
	order := func(id, channel, currency, status string, total int64, cust *string, session string, qty, canceled int64) {
		exec(`INSERT INTO orders (id, number, cart_id, customer_id, email, currency, status, payment_status, fulfillment_status,
			shipping_address, billing_address, subtotal, discount_total, shipping_total, shipping_discount, shipping_tax,
			tax_total, total, tax_inclusive, session_id, sales_channel_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'g@example.com', ?, ?, 'captured', 'unfulfilled', '{}', '{}', ?, 0, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?)`,
			id, "N-"+id, "cart-"+id, cust, currency, status, total, total, false, session, channel, base, base)
		exec(`INSERT INTO order_items (id, order_id, position, variant_id, product_id, sku, title, quantity, unit_price,
			subtotal, discount_total, tax_total, total, canceled_quantity)
			VALUES (?, ?, 1, ?, 'prod_x', 'SKU', 'Gel', ?, 0, ?, 0, 0, ?, ?)`,
			"item-"+id, id, s.small, qty, total, total, canceled)
	}
	web, pos := defaultChannelID, f.popup.ID
	order("w1", web, "EUR", "confirmed", 1000, &customer, "s-w1", 2, 0)
	order("w2", web, "EUR", "canceled", 3000, nil, "", 5, 5)
	order("w3", web, "USD", "confirmed", 500, nil, "s-p2", 1, 0) // a web order of a pop-up session
	order("p1", pos, "EUR", "confirmed", 2000, nil, "s-p1", 1, 0)
	order("p2", pos, "EUR", "confirmed", 4000, &customer, "", 3, 1)
	exec(`INSERT INTO order_refunds (id, order_id, payment_id, currency, amount, idempotency_key, created_at)
		VALUES ('ref-p2', 'p2', 'pay_x', 'EUR', 500, 'k', ?)`, base)
	cart := func(id, channel string, items int) {
		exec(`INSERT INTO carts (id, currency, sales_channel_id, created_at, updated_at) VALUES (?, 'EUR', ?, ?, ?)`,
			id, channel, base, base)
		if items > 0 {
			exec(`INSERT INTO cart_items (id, cart_id, variant_id, quantity, unit_price, created_at, updated_at)
				VALUES (?, ?, ?, 1, 1200, ?, ?)`, "ci-"+id, id, s.small, base, base)
		}
	}
	cart("cart-w9", web, 1)
	cart("cart-p1", pos, 1) // became order p1
	cart("cart-p9", pos, 1)
	cart("cart-p8", pos, 0) // no item: not counted
	// A pop-up guest cart the cleanup deleted.
	exec(`INSERT INTO cart_purge_counts (created_hour, currency, carts, carts_with_items, items_subtotal) VALUES (?, 'EUR', 1, 1, 1200)`, base)
	exec(`INSERT INTO cart_purge_channel_counts (created_hour, sales_channel_id, carts_with_items) VALUES (?, ?, 1)`, base, pos)

	events := func(key string, evs ...[3]string) {
		t.Helper()
		var list []map[string]any
		for i, e := range evs {
			list = append(list, map[string]any{"type": e[0], "session_id": e[1], "anonymous_id": e[2],
				"occurred_at": base.Add(-time.Hour + time.Duration(i)*time.Minute).Format(time.RFC3339)})
		}
		hdr := map[string]string{}
		if key != "" {
			hdr["X-Publishable-Key"] = key
		}
		var res struct{ Accepted int }
		h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/events", Body: map[string]any{"events": list},
			Header: hdr}).Expect(t, http.StatusAccepted).JSON(t, &res)
		if res.Accepted != len(evs) {
			t.Fatalf("accepted %d of %d events", res.Accepted, len(evs))
		}
	}
	events("", [3]string{"page_view", "s-w1", "a1"}, [3]string{"product_view", "s-w1", "a1"},
		[3]string{"page_view", "s-w2", "a2"})
	events(f.popupKey, [3]string{"page_view", "s-p1", "a3"}, [3]string{"add_to_cart", "s-p1", "a3"},
		[3]string{"page_view", "s-p2", "a4"})
	return f
}

type kpiSummary struct {
	Sessions            int
	ConversionRate      *float64 `json:"conversion_rate"`
	BounceRate          *float64 `json:"bounce_rate"`
	UniqueUsers         int      `json:"unique_users"`
	Orders              int
	CanceledOrders      int `json:"canceled_orders"`
	Revenue             []amount
	AverageOrderValue   []amount `json:"average_order_value"`
	Refunds             []amount
	NewCustomers        int      `json:"new_customers"`
	Carts               int      `json:"carts"`
	CartAbandonmentRate *float64 `json:"cart_abandonment_rate"`
	LowStockCount       int      `json:"low_stock_count"`
	TopProducts         []struct {
		Units int64
	} `json:"top_products"`
}

type amount struct {
	Amount   int64
	Currency string
}

func moneyString(l []amount) string {
	var parts []string
	for _, m := range l {
		parts = append(parts, fmt.Sprintf("%d %s", m.Amount, m.Currency))
	}
	return strings.Join(parts, ", ")
}

func rate(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%.4f", *v)
}

func (f *channelNumbersFixture) kpis(t *testing.T, salesChannel string) kpiSummary {
	t.Helper()
	q := url.Values{"from": {f.from.Format(time.RFC3339)}, "to": {f.to.Format(time.RFC3339)}}
	if salesChannel != "" {
		q.Set("sales_channel", salesChannel)
	}
	var rep struct{ Summary kpiSummary }
	f.s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/metrics/kpis?" + q.Encode(), Token: f.s.manager}).
		Expect(t, http.StatusOK).JSON(t, &rep)
	return rep.Summary
}

// summaryLine is the figures a test compares, as one line.
func summaryLine(s kpiSummary) string {
	units := int64(0)
	for _, p := range s.TopProducts {
		units += p.Units
	}
	return fmt.Sprintf("sessions=%d conv=%s bounce=%s users=%d orders=%d canceled=%d revenue=[%s] aov=[%s] refunds=[%s] new=%d carts=%d abandon=%s low=%d units=%d",
		s.Sessions, rate(s.ConversionRate), rate(s.BounceRate), s.UniqueUsers, s.Orders, s.CanceledOrders,
		moneyString(s.Revenue), moneyString(s.AverageOrderValue), moneyString(s.Refunds), s.NewCustomers, s.Carts,
		rate(s.CartAbandonmentRate), s.LowStockCount, units)
}

// TestKPIsPerSalesChannel: every KPI of one channel equals a hand count of
// that channel's orders, carts and events; the shop's report is their sum.
func TestKPIsPerSalesChannel(t *testing.T) {
	t.Parallel()
	f := newChannelNumbersFixture(t)
	s := f.s
	// Low stock: the pop-up's level (2 <= 5) and a Paris level (3 <= 10).
	s.admin(http.MethodPatch, "/v1/admin/inventory/levels/"+s.small+"/"+f.popupWH, map[string]any{"reorder_point": 5}).
		Expect(t, http.StatusOK)
	s.admin(http.MethodPatch, "/v1/admin/inventory/levels/"+s.large+"/"+s.warehouse, map[string]any{"reorder_point": 10}).
		Expect(t, http.StatusOK)

	for _, c := range []struct{ name, channel, want string }{
		// Web: s-w1 converted (w1), s-w2 bounced; w2 canceled; c1's first web order; one web cart, abandoned.
		{"web", defaultChannelID, "sessions=2 conv=0.5000 bounce=0.5000 users=2 orders=2 canceled=1 revenue=[1000 EUR, 500 USD] " +
			"aov=[1000 EUR, 500 USD] refunds=[] new=1 carts=1 abandon=1.0000 low=2 units=3"},
		// Pop-up: s-p1 converted (p1); s-p2's order is a web order, so it bounced; c1 is new on the pop-up;
		// carts p1 (ordered), p9 and the deleted one; only the pop-up warehouse's low level.
		{"popup", f.popup.ID, "sessions=2 conv=0.5000 bounce=0.5000 users=2 orders=2 canceled=0 revenue=[6000 EUR] " +
			"aov=[3000 EUR] refunds=[500 EUR] new=1 carts=3 abandon=0.6667 low=1 units=3"},
		// The shop: every session (s-p2 converted through the web order), order and cart.
		{"shop", "", "sessions=4 conv=0.7500 bounce=0.2500 users=4 orders=4 canceled=1 revenue=[7000 EUR, 500 USD] " +
			"aov=[2333 EUR, 500 USD] refunds=[500 EUR] new=1 carts=4 abandon=0.7500 low=2 units=6"},
	} {
		if got := summaryLine(f.kpis(t, c.channel)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}

	// CSV per channel: the pop-up's orders, one row per bucket (one currency).
	q := url.Values{"from": {f.from.Format(time.RFC3339)}, "to": {f.to.Format(time.RFC3339)}, "sales_channel": {f.popup.ID}}
	res := s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/metrics/kpis?" + q.Encode(), Token: s.manager,
		Header: map[string]string{"Accept": "text/csv"}}).Expect(t, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("CSV %q: %v", res.Body, err)
	}
	orders, revenue := 0, 0
	for _, r := range rows[1:] {
		o, err1 := strconv.Atoi(cmp.Or(r[7], "0")) // an empty cell is no figure
		rv, err2 := strconv.Atoi(cmp.Or(r[9], "0"))
		if err1 != nil || err2 != nil {
			t.Fatalf("CSV row %q: orders or revenue is not a number", r)
		}
		orders, revenue = orders+o, revenue+rv
		if r[2] != "EUR" {
			t.Errorf("CSV row currency %q, want EUR", r[2])
		}
	}
	if orders != 2 || revenue != 6000 {
		t.Errorf("CSV orders %d revenue %d, want 2 and 6000:\n%s", orders, revenue, res.Body)
	}

	// The funnel of the pop-up: s-p1 ordered (every step), s-p2 a page view.
	var fun struct {
		Steps []struct{ Sessions int }
	}
	s.h.Do(apitest.Request{Method: http.MethodGet, Token: s.manager, Path: "/v1/admin/metrics/funnel?" + url.Values{
		"from": {f.from.Format(time.RFC3339)}, "to": {f.to.Format(time.RFC3339)}, "sales_channel": {f.popup.ID}}.Encode()}).
		Expect(t, http.StatusOK).JSON(t, &fun)
	if got := fmt.Sprint(fun.Steps); got != "[{2} {1} {1} {1} {1}]" {
		t.Errorf("pop-up funnel = %s", got)
	}

	// An unknown channel is a bad filter: 422 naming it.
	for _, path := range []string{"/v1/admin/metrics/kpis?sales_channel=sc_nope", "/v1/admin/metrics/funnel?sales_channel=sc_nope"} {
		p := s.h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: s.manager}).
			ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != "sales_channel" {
			t.Errorf("%s: errors = %+v", path, p.Errors)
		}
	}
}

type channelStats struct {
	SalesChannelID    string `json:"sales_channel_id"`
	Kind              string
	Orders            int
	CanceledOrders    int `json:"canceled_orders"`
	Units             int64
	Revenue           []amount
	AverageOrderValue []amount `json:"average_order_value"`
	Refunds           []amount
}

func statsLine(c channelStats) string {
	return fmt.Sprintf("%s orders=%d canceled=%d units=%d revenue=[%s] aov=[%s] refunds=[%s]", c.Kind, c.Orders,
		c.CanceledOrders, c.Units, moneyString(c.Revenue), moneyString(c.AverageOrderValue), moneyString(c.Refunds))
}

// TestSalesChannelStats: orders, units, revenue and refunds side by side
// per channel and for one channel; stock per channel.
func TestSalesChannelStats(t *testing.T) {
	t.Parallel()
	f := newChannelNumbersFixture(t)
	s := f.s
	period := url.Values{"from": {f.from.Format(time.RFC3339)}, "to": {f.to.Format(time.RFC3339)}}.Encode()
	var all struct{ Data []channelStats }
	s.admin(http.MethodGet, "/v1/admin/metrics/sales-channels?"+period, nil).Expect(t, http.StatusOK).JSON(t, &all)
	want := []string{
		"web orders=2 canceled=1 units=3 revenue=[1000 EUR, 500 USD] aov=[1000 EUR, 500 USD] refunds=[]",
		"pos orders=2 canceled=0 units=3 revenue=[6000 EUR] aov=[3000 EUR] refunds=[500 EUR]",
	}
	if len(all.Data) != 2 || all.Data[0].SalesChannelID != defaultChannelID || all.Data[1].SalesChannelID != f.popup.ID {
		t.Fatalf("channels = %+v", all.Data)
	}
	for i, w := range want {
		if got := statsLine(all.Data[i]); got != w {
			t.Errorf("channel %d:\n got %s\nwant %s", i, got, w)
		}
	}
	var one channelStats
	s.admin(http.MethodGet, "/v1/admin/sales-channels/"+f.popup.ID+"/stats?"+period, nil).Expect(t, http.StatusOK).JSON(t, &one)
	if got := statsLine(one); got != want[1] {
		t.Errorf("pop-up stats = %s", got)
	}
	// One currency.
	s.admin(http.MethodGet, "/v1/admin/sales-channels/"+defaultChannelID+"/stats?currency=USD&"+period, nil).
		Expect(t, http.StatusOK).JSON(t, &one)
	if got := statsLine(one); got != "web orders=1 canceled=0 units=1 revenue=[500 USD] aov=[500 USD] refunds=[]" {
		t.Errorf("web stats in USD = %s", got)
	}
	// Unknown channel: 404; bad input: 422; not for support staff.
	s.admin(http.MethodGet, "/v1/admin/sales-channels/sc_nope/stats", nil).
		ExpectProblem(t, http.StatusNotFound, "sales_channel_not_found")
	s.admin(http.MethodGet, "/v1/admin/metrics/sales-channels?currency=XXX", nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	s.admin(http.MethodGet, "/v1/admin/metrics/sales-channels?from=2026-05-02&to=2026-05-01", nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/metrics/sales-channels", Token: s.h.StaffToken(t, "support")}).
		Expect(t, http.StatusForbidden)

	// Stock per channel: the levels of its warehouses ...
	var levels struct {
		Data []struct {
			VariantID   string `json:"variant_id"`
			WarehouseID string `json:"warehouse_id"`
			Available   int64
		}
	}
	s.admin(http.MethodGet, "/v1/admin/inventory/levels?sales_channel_id="+f.popup.ID, nil).Expect(t, http.StatusOK).JSON(t, &levels)
	if len(levels.Data) != 1 || levels.Data[0].WarehouseID != f.popupWH || levels.Data[0].Available != 2 {
		t.Errorf("pop-up levels = %+v", levels.Data)
	}
	s.admin(http.MethodGet, "/v1/admin/inventory/levels?sales_channel_id="+defaultChannelID, nil).Expect(t, http.StatusOK).JSON(t, &levels)
	if len(levels.Data) != 3 {
		t.Errorf("web levels = %+v, want both warehouses' 3", levels.Data)
	}
	s.admin(http.MethodGet, "/v1/admin/inventory/levels?sales_channel_id=sc_nope", nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	// ... and what it can sell of each variant.
	var stock struct {
		WarehouseIDs []string `json:"warehouse_ids"`
		Data         []struct {
			VariantID string `json:"variant_id"`
			Available int64
		}
	}
	s.admin(http.MethodGet, "/v1/admin/sales-channels/"+f.popup.ID+"/availability?variant_id="+s.small+","+s.large, nil).
		Expect(t, http.StatusOK).JSON(t, &stock)
	if fmt.Sprint(stock.WarehouseIDs) != "["+f.popupWH+"]" || len(stock.Data) != 2 || stock.Data[0].Available != 2 ||
		stock.Data[1].Available != 0 {
		t.Errorf("pop-up availability = %+v", stock)
	}
	s.admin(http.MethodGet, "/v1/admin/sales-channels/"+defaultChannelID+"/availability?variant_id="+s.small, nil).
		Expect(t, http.StatusOK).JSON(t, &stock)
	if len(stock.Data) != 1 || stock.Data[0].Available != 7 {
		t.Errorf("web availability = %+v, want 5 + 2", stock)
	}
	s.admin(http.MethodGet, "/v1/admin/sales-channels/sc_nope/availability?variant_id="+s.small, nil).
		ExpectProblem(t, http.StatusNotFound, "sales_channel_not_found")
	many := make([]string, 101)
	for i := range many {
		many[i] = id.New("var")
	}
	for _, bad := range []string{"", "?variant_id=nope", "?variant_id=" + strings.Join(many, ",")} {
		s.admin(http.MethodGet, "/v1/admin/sales-channels/"+f.popup.ID+"/availability"+bad, nil).
			ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	}
}

// TestPurgedCartsCountPerChannel: the cleanup job counts the guest carts
// with items it deletes per sales channel too, so a channel's abandonment
// rate still sees them; a second run counts nothing twice.
func TestPurgedCartsCountPerChannel(t *testing.T) {
	t.Parallel()
	s := newShop(t, 100, 100)
	popup, _ := newChannel(t, s.h, s.manager, "pos", s.warehouse)
	old := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	idle := func(p *shopper, channel string, created time.Time) {
		t.Helper()
		if err := s.h.DB.Conn(t.Context()).Exec(`UPDATE carts SET created_at = ?, updated_at = ?, sales_channel_id = ? WHERE id = ?`,
			created, created.Add(5*time.Minute), channel, p.cart.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	idle(s.guestWith(s.small, 1), popup.ID, old.Add(10*time.Minute))
	idle(s.guestWith(s.large, 2), popup.ID, old.Add(20*time.Minute))
	idle(s.guestWith(s.small, 1), defaultChannelID, old.Add(30*time.Minute))
	empty := s.guest()
	empty.newCart()
	idle(empty, popup.ID, old.Add(40*time.Minute)) // no item: not counted

	type row struct {
		CreatedHour    time.Time
		SalesChannelID string
		CartsWithItems int64
	}
	check := func() {
		t.Helper()
		var got []row
		if err := s.h.DB.Conn(t.Context()).Raw(`SELECT created_hour, sales_channel_id, carts_with_items
			FROM cart_purge_channel_counts ORDER BY created_hour, sales_channel_id`).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		for i := range got {
			got[i].CreatedHour = got[i].CreatedHour.UTC()
		}
		want := []row{{old, defaultChannelID, 1}, {old, popup.ID, 2}}
		if popup.ID < defaultChannelID {
			want[0], want[1] = want[1], want[0]
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("cart_purge_channel_counts = %v, want %v", got, want)
		}
	}
	runPurge(t, s, 1)
	check()
	runPurge(t, s, 2)
	check()
}
