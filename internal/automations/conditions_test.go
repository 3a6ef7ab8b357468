package automations

import (
	"testing"

	"storekeep/internal/platform/money"
)

func TestHolds(t *testing.T) {
	t.Parallel()
	eur := func(v int64) money.Amount { return money.Amount{Minor: v, Currency: "EUR"} }
	tests := []struct {
		name   string
		field  string
		op     string
		value  any
		fact   value
		want   bool
		reason string
	}{
		{"count eq", "customer.order_count", "eq", float64(1), value{n: 1}, true, ""},
		{"count eq fails", "customer.order_count", "eq", float64(1), value{n: 2}, false, "customer.order_count is 2, not eq 1"},
		{"count gte", "customer.order_count", "gte", float64(3), value{n: 3}, true, ""},
		{"count lt", "customer.order_count", "lt", float64(3), value{n: 3}, false, "customer.order_count is 3, not lt 3"},
		{"count in", "customer.order_count", "in", []any{float64(1), float64(5)}, value{n: 5}, true, ""},
		{"count ne", "customer.order_count", "ne", float64(0), value{n: 0}, false, "customer.order_count is 0, not ne 0"},
		{"money gte", "order.total", "gte", map[string]any{"amount": float64(5000), "currency": "EUR"},
			value{m: eur(5000)}, true, ""},
		{"money in another currency", "order.total", "gte", map[string]any{"amount": float64(5000), "currency": "USD"},
			value{m: eur(9000)}, false, "order.total is in EUR, the condition in USD"},
		{"money lte fails", "customer.total_spent", "lte", map[string]any{"amount": float64(100), "currency": "EUR"},
			value{m: eur(101)}, false, "customer.total_spent is 1.01 EUR, not lte 1.00 EUR"},
		{"locale eq any case", "customer.locale", "eq", "FR", value{s: "fr"}, true, ""},
		{"locale ne", "customer.locale", "ne", "fr", value{s: "en"}, true, ""},
		{"locale in", "customer.locale", "in", []any{"de", "fr"}, value{s: "en"}, false, `customer.locale is "en", not in [de fr]`},
		{"ids contains", "order.product_ids", "contains", "prod_06h1wbq28dxanf5st2bqp8yfxm",
			value{ss: []string{"prod_06h1wbq28dxanf5st2bqp8yfxm"}}, true, ""},
		{"ids contains fails", "order.category_ids", "contains", "cat_06h1wbq28dxanf5st2bqp8yfxm",
			value{}, false, "order.category_ids does not contain cat_06h1wbq28dxanf5st2bqp8yfxm"},
		{"ids in: any shared", "customer.group_ids", "in",
			[]any{"cgrp_06h1wbq28dxanf5st2bqp8yfxa", "cgrp_06h1wbq28dxanf5st2bqp8yfxm"},
			value{ss: []string{"cgrp_06h1wbq28dxanf5st2bqp8yfxm"}}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := fields[tt.field]
			o, problem := parseOperand(spec, tt.op, tt.value)
			if problem != "" {
				t.Fatalf("parseOperand: %s", problem)
			}
			ok, reason := holds(tt.field, spec, tt.op, o, tt.fact)
			if ok != tt.want || reason != tt.reason {
				t.Errorf("holds = %v %q, want %v %q", ok, reason, tt.want, tt.reason)
			}
		})
	}
}

func TestNewCode(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		c := newCode()
		if len(c) != len("THANKS-XXXX-XXXX") || c[:7] != "THANKS-" || c[11] != '-' {
			t.Fatalf("code %q", c)
		}
		if seen[c] {
			t.Fatalf("code %q made twice in 1000", c)
		}
		seen[c] = true
	}
}
