package api_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/customers"
	"storekeep/internal/platform/money"
)

// A customer who crosses a segment's thresholds becomes a member through the
// recompute job, and a promotion restricted to the segment then applies.
func TestSegmentMembershipFollowsOrders(t *testing.T) {
	t.Parallel()
	s := newShop(t, 50, 50)
	rules := []any{
		map[string]any{"field": "total_spent", "op": "gte", "value": eur(3000)},
		map[string]any{"field": "order_count", "op": "gte", "value": 2},
		map[string]any{"field": "country", "op": "in", "value": []string{"FR", "BE"}},
	}
	tok, cusID := s.h.CustomerToken(t)
	buyer := &shopper{s: s, token: tok}
	buyer.do(http.MethodPost, "/v1/store/customers/me/addresses", paris).Expect(t, http.StatusCreated)

	var pv customers.Preview
	s.admin(http.MethodPost, "/v1/admin/customer-groups/preview", map[string]any{"rules": rules}).
		Expect(t, http.StatusOK).JSON(t, &pv)
	if pv.Size != 0 || len(pv.Sample) != 0 {
		t.Fatalf("preview before any order = %+v", pv)
	}
	var g customers.Group
	s.admin(http.MethodPost, "/v1/admin/customer-groups", map[string]any{"name": "Regulars", "rules": rules}).
		Expect(t, http.StatusCreated).JSON(t, &g)
	if len(g.Rules) != 3 || g.Rules[0].Field != "total_spent" {
		t.Fatalf("created %+v", g)
	}
	s.admin(http.MethodPost, "/v1/admin/promotions", map[string]any{"code": "REGULAR20", "type": "percentage",
		"percentage": 2000, "customer_group_ids": []string{g.ID}}).Expect(t, http.StatusCreated)
	// Its members are the rules' to keep.
	s.admin(http.MethodPut, "/v1/admin/customer-groups/"+g.ID+"/customers/"+cusID, nil).
		ExpectProblem(t, http.StatusConflict, "group_rule_based")

	detail := func() customers.Detail {
		t.Helper()
		var d customers.Detail
		s.admin(http.MethodGet, "/v1/admin/customers/"+cusID, nil).Expect(t, http.StatusOK).JSON(t, &d)
		return d
	}

	// One order of 16.90 (12.00 + 4.90 shipping): below both thresholds.
	buyer.buy("first", "")
	s.drain()
	if d := detail(); len(d.Segments) != 0 || !cmp.Equal(d.LifetimeValue, []money.Amount{{Minor: 1690, Currency: "EUR"}}) {
		t.Fatalf("after one order: segments %+v, lifetime value %+v", d.Segments, d.LifetimeValue)
	}
	buyer.newCart()
	buyer.add(s.small, 1)
	buyer.applyCode("REGULAR20").ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_not_applicable")

	// The second order crosses both: 33.80 spent in 2 orders.
	buyer.buy("second", "")
	s.drain()
	d := detail()
	if len(d.Segments) != 1 || d.Segments[0].ID != g.ID || len(d.Groups) != 0 ||
		!cmp.Equal(d.LifetimeValue, []money.Amount{{Minor: 3380, Currency: "EUR"}}) {
		t.Fatalf("after two orders: groups %+v, segments %+v, lifetime value %+v", d.Groups, d.Segments, d.LifetimeValue)
	}
	s.admin(http.MethodPost, "/v1/admin/customer-groups/preview", map[string]any{"rules": rules}).
		Expect(t, http.StatusOK).JSON(t, &pv)
	if pv.Size != 1 || !cmp.Equal(pv.Sample, []string{cusID}) {
		t.Fatalf("preview after two orders = %+v", pv)
	}
	buyer.newCart()
	buyer.add(s.small, 1)
	buyer.applyCode("REGULAR20").Expect(t, http.StatusOK).JSON(t, &buyer.cart)
	if got := codes(buyer.cart); !cmp.Equal(got, []string{"REGULAR20"}) {
		t.Fatalf("codes on the cart = %v", got)
	}

	// Raising the bar takes the customer out again (the group's recompute job).
	s.admin(http.MethodPatch, "/v1/admin/customer-groups/"+g.ID, map[string]any{"rules": []any{
		map[string]any{"field": "total_spent", "op": "gte", "value": eur(100000)}}}).Expect(t, http.StatusOK)
	s.drain()
	if d := detail(); len(d.Segments) != 0 {
		t.Fatalf("after raising the threshold: segments %+v", d.Segments)
	}
}

func TestSegmentRulesBadInput(t *testing.T) {
	t.Parallel()
	s := newShop(t, 1, 1)
	support := s.h.StaffToken(t, "support")
	bad := []struct {
		name  string
		rules any
		field string
	}{
		{"unknown field", []any{map[string]any{"field": "age", "op": "gte", "value": 30}}, "rules[0].field"},
		{"op of another kind", []any{map[string]any{"field": "total_spent", "op": "in", "value": eur(1)}}, "rules[0].op"},
		{"money as a number", []any{map[string]any{"field": "total_spent", "op": "gte", "value": 100}}, "rules[0].value"},
		{"negative count", []any{map[string]any{"field": "order_count", "op": "gte", "value": -1}}, "rules[0].value"},
		{"fractional days", []any{map[string]any{"field": "last_order_at", "op": "within_days", "value": 1.5}}, "rules[0].value"},
		{"bad date", []any{map[string]any{"field": "last_order_at", "op": "before", "value": "yesterday"}}, "rules[0].value"},
		{"empty in list", []any{map[string]any{"field": "skin_type", "op": "in", "value": []string{}}}, "rules[0].value"},
		{"second rule bad", []any{map[string]any{"field": "skin_type", "op": "eq", "value": "dry"},
			map[string]any{"field": "country", "op": "eq", "value": ""}}, "rules[1].value"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			for path, body := range map[string]any{
				"/v1/admin/customer-groups":         map[string]any{"name": "X", "rules": b.rules},
				"/v1/admin/customer-groups/preview": map[string]any{"rules": b.rules},
			} {
				p := s.admin(http.MethodPost, path, body).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
				if len(p.Errors) != 1 || p.Errors[0].Field != b.field {
					t.Errorf("%s: errors %+v, want %s", path, p.Errors, b.field)
				}
			}
		})
	}
	s.admin(http.MethodPost, "/v1/admin/customer-groups/preview", map[string]any{"rules": []any{}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/customer-groups/preview", Token: support,
		Body: map[string]any{"rules": []any{map[string]any{"field": "skin_type", "op": "eq", "value": "dry"}}}}).
		Expect(t, http.StatusOK)
	if n := s.h.RowCounts(t, "customer_groups")["customer_groups"]; n != 0 {
		t.Fatalf("%d groups after rejected requests", n)
	}
}

// A profile change that records no event (a new address) queues the
// customer's recompute too; archiving takes the customer out.
func TestSegmentFollowsProfileChanges(t *testing.T) {
	t.Parallel()
	s := newShop(t, 1, 1)
	tok, cusID := s.h.CustomerToken(t)
	var g customers.Group
	s.admin(http.MethodPost, "/v1/admin/customer-groups", map[string]any{"name": "Belgium",
		"rules": []any{map[string]any{"field": "country", "op": "eq", "value": "be"}}}).
		Expect(t, http.StatusCreated).JSON(t, &g)
	s.drain()
	segments := func() []customers.Group {
		t.Helper()
		var d customers.Detail
		s.admin(http.MethodGet, "/v1/admin/customers/"+cusID, nil).Expect(t, http.StatusOK).JSON(t, &d)
		return d.Segments
	}
	if got := segments(); len(got) != 0 {
		t.Fatalf("segments before any address: %+v", got)
	}
	brussels := map[string]any{"first_name": "Camille", "last_name": "Martin", "line1": "1 Grand-Place",
		"city": "Bruxelles", "postal_code": "1000", "country_code": "BE"}
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/customers/me/addresses", Token: tok, Body: brussels}).
		Expect(t, http.StatusCreated)
	s.drain()
	if got := segments(); len(got) != 1 || got[0].ID != g.ID {
		t.Fatalf("segments after a Belgian address: %+v", got)
	}
	// Listing by group works for segments as for manual groups.
	var l struct {
		Data []customers.Profile `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/customers?group_id="+g.ID, nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != cusID {
		t.Fatalf("members listed: %+v", l.Data)
	}
	s.admin(http.MethodDelete, "/v1/admin/customers/"+cusID, nil).Expect(t, http.StatusNoContent)
	s.drain()
	if got := segments(); len(got) != 0 {
		t.Fatalf("segments after archiving: %+v", got)
	}
}
