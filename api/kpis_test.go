package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"storekeep/api/apitest"
	"storekeep/internal/platform/auth"
)

// seedKPIOrders writes two guest orders and two sessions straight into the
// tables: day 1 (2 March UTC) a page view in s1 and an EUR 10.00 order of
// s1; day 2 a page and a product view in s2 and a USD 7.00 order.
func seedKPIOrders(t *testing.T, h *apitest.Harness) {
	t.Helper()
	exec := func(q string, args ...any) {
		t.Helper()
		if err := h.DB.Conn(t.Context()).Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	order := func(id, currency string, total int64, session string, at time.Time) {
		exec(`INSERT INTO orders (id, number, cart_id, email, currency, status, payment_status, fulfillment_status,
			shipping_address, billing_address, subtotal, discount_total, shipping_total, shipping_discount, shipping_tax,
			tax_total, total, tax_inclusive, session_id, created_at, updated_at)
			VALUES (?, ?, ?, 'g@example.com', ?, 'confirmed', 'captured', 'unfulfilled', '{}', '{}', ?, 0, 0, 0, 0, 0, ?, ?, ?, ?, ?)`,
			id, "K-"+id, "cart-"+id, currency, total, total, false, session, at, at)
	}
	event := func(typ, session string, at time.Time) {
		exec(`INSERT INTO metric_events (type, anonymous_id, session_id, occurred_at, received_at) VALUES (?, ?, ?, ?, ?)`,
			typ, "anon-"+session, session, at, at)
	}
	d1 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	d2 := d1.AddDate(0, 0, 1)
	event("page_view", "s1", d1.Add(9*time.Hour))
	order("kpi-e1", "EUR", 1000, "s1", d1.Add(10*time.Hour))
	event("page_view", "s2", d2.Add(9*time.Hour))
	event("product_view", "s2", d2.Add(9*time.Hour+time.Minute))
	order("kpi-u1", "USD", 700, "", d2.Add(10*time.Hour))
}

// TestKPIRoute: the report as JSON and as CSV, over HTTP.
func TestKPIRoute(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	seedKPIOrders(t, h)
	tok := h.StaffToken(t, auth.RoleManager)
	const path = "/v1/admin/metrics/kpis?from=2026-03-02&to=2026-03-04&interval=day"
	var rep struct {
		Summary struct {
			Sessions       int
			ConversionRate *float64 `json:"conversion_rate"`
			BounceRate     *float64 `json:"bounce_rate"`
			Orders         int
			Revenue        []struct {
				Amount   int64
				Currency string
			}
			CSAT *float64 `json:"csat"`
		}
		Series []struct{ Start, End time.Time }
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: tok}).Expect(t, http.StatusOK).JSON(t, &rep)
	s := rep.Summary
	// s1 converted (its order), s2 did not; neither bounced (s1 has an
	// order, s2 a product view).
	if s.Sessions != 2 || s.ConversionRate == nil || *s.ConversionRate != 0.5 || s.BounceRate == nil || *s.BounceRate != 0 ||
		s.Orders != 2 || len(s.Revenue) != 2 || s.Revenue[0].Amount != 1000 || s.Revenue[1].Currency != "USD" || s.CSAT != nil {
		t.Errorf("summary = %+v", s)
	}
	if len(rep.Series) != 2 || !rep.Series[1].End.Equal(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("series = %+v", rep.Series)
	}

	res := h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: tok, Header: map[string]string{"Accept": "text/csv"}}).
		Expect(t, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q", ct)
	}
	// One row per day and currency; null cells are empty; Money in minor units.
	want := "start,end,currency,sessions,conversion_rate,bounce_rate,unique_users,orders,canceled_orders,revenue," +
		"average_order_value,refunds,new_customers,marketing_spend,customer_acquisition_cost,customer_retention_rate," +
		"customer_lifetime_value,carts,cart_abandonment_rate,inventory_turnover,inventory_turnover_basis," +
		"first_response_seconds,resolution_seconds,bot_containment_rate,csat\n" +
		"2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,EUR,1,1,0,1,1,0,1000,1000,0,0,0,,,,0,,,units,,,,\n" +
		"2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,USD,1,1,0,1,1,0,0,,0,0,0,,,,0,,,units,,,,\n" +
		"2026-03-03T00:00:00Z,2026-03-04T00:00:00Z,EUR,1,0,0,1,1,0,0,,0,0,0,,,,0,,,units,,,,\n" +
		"2026-03-03T00:00:00Z,2026-03-04T00:00:00Z,USD,1,0,0,1,1,0,700,700,0,0,0,,,,0,,,units,,,,\n"
	if string(res.Body) != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", res.Body, want)
	}
	// With ?currency= the CSV has one row per bucket.
	res = h.Do(apitest.Request{Method: http.MethodGet, Path: path + "&currency=USD", Token: tok,
		Header: map[string]string{"Accept": "text/csv"}}).Expect(t, http.StatusOK)
	if n := strings.Count(string(res.Body), "\n"); n != 3 {
		t.Errorf("CSV for one currency has %d lines:\n%s", n, res.Body)
	}

	var fun struct {
		Steps []struct {
			Step     string
			Sessions int
			Drop     int
		}
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/metrics/funnel?from=2026-03-02&to=2026-03-04", Token: tok}).
		Expect(t, http.StatusOK).JSON(t, &fun)
	// s1 and s2; s2 viewed a product, s1 has an order (every step).
	got := []int{}
	for _, st := range fun.Steps {
		got = append(got, st.Sessions)
	}
	if len(got) != 5 || got[0] != 2 || got[1] != 2 || got[2] != 1 || got[3] != 1 || got[4] != 1 {
		t.Errorf("funnel = %+v", fun.Steps)
	}
}

// TestKPIRouteRolesAndBadInput: managers and admins only; bad input is
// 422 naming the field.
func TestKPIRouteRolesAndBadInput(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	for _, path := range []string{"/v1/admin/metrics/kpis", "/v1/admin/metrics/funnel"} {
		h.Do(apitest.Request{Method: http.MethodGet, Path: path}).ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
		for _, role := range []string{auth.RoleSupport, auth.RoleWarehouse} {
			h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: h.StaffToken(t, role)}).
				ExpectProblem(t, http.StatusForbidden, "forbidden")
		}
		for _, role := range []string{auth.RoleManager, auth.RoleAdmin} {
			h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: h.StaffToken(t, role)}).Expect(t, http.StatusOK)
		}
	}
	tok := h.StaffToken(t, auth.RoleManager)
	for _, c := range []struct{ path, field string }{
		{"/v1/admin/metrics/kpis?from=2026-03-05&to=2026-03-04", "from"},
		{"/v1/admin/metrics/kpis?from=2024-03-01&to=2026-03-04", "to"},
		{"/v1/admin/metrics/kpis?interval=year", "interval"},
		{"/v1/admin/metrics/kpis?currency=ZZZ", "currency"},
		{"/v1/admin/metrics/kpis?time_zone=Mars/Olympus", "time_zone"},
		{"/v1/admin/metrics/kpis?from=yesterday", "from"},
		{"/v1/admin/metrics/funnel?from=2026-03-05&to=2026-03-04", "from"},
		{"/v1/admin/metrics/funnel?time_zone=Local", "time_zone"},
	} {
		p := h.Do(apitest.Request{Method: http.MethodGet, Path: c.path, Token: tok,
			Header: map[string]string{"Accept": "text/csv"}}).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != c.field {
			t.Errorf("%s: errors = %+v, want field %s", c.path, p.Errors, c.field)
		}
	}
}
