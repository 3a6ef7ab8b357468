package automations

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

func ptr[T any](v T) *T { return &v }

func TestCheckRule(t *testing.T) {
	t.Parallel()
	issue := Action{Type: ActionIssueDiscount, Percentage: ptr[int64](1500), ExpiresInDays: ptr[int64](30)}
	rule := func(trigger string, conds []Condition, acts ...Action) Automation {
		return Automation{Name: "r", Trigger: trigger, Conditions: conds, Actions: acts}
	}
	c := func(field, op string, v any) []Condition { return []Condition{{Field: field, Op: op, Value: v}} }
	eur := map[string]any{"amount": float64(5000), "currency": "EUR"}
	tests := []struct {
		name   string
		rule   Automation
		code   string
		fields []string
	}{
		{"first order delivered", rule("order.delivered", c("customer.order_count", "eq", float64(1)), issue), "", nil},
		{"order count in a list", rule("order.paid", c("customer.order_count", "in", []any{float64(1), float64(2)}), issue), "", nil},
		{"total spent", rule("customer.created", c("customer.total_spent", "gte", eur), issue), "", nil},
		{"locale", rule("cart.abandoned", c("customer.locale", "in", []any{"fr", "en-GB"}),
			Action{Type: ActionSendEmail, Template: "cart_reminder"}), "", nil},
		{"group", rule("order.created", c("customer.group_ids", "contains", "cgrp_06h1wbq28dxanf5st2bqp8yfxm"), issue), "", nil},
		{"webhook on a stock event", rule("inventory.low_stock", nil, Action{Type: ActionCallWebhook, WebhookID: "wh_1"}), "", nil},
		{"fixed amount", rule("order.delivered", nil, Action{Type: ActionIssueDiscount,
			Amount: &money.Amount{Minor: 500, Currency: "EUR"}, ExpiresInDays: ptr[int64](7)}), "", nil},
		{"money op in", rule("order.delivered", c("order.total", "in", eur), issue), "validation_failed", []string{"conditions[0].op"}},
		{"locale gt", rule("order.delivered", c("customer.locale", "gt", "fr"), issue), "validation_failed", []string{"conditions[0].op"}},
		{"negative count", rule("order.delivered", c("customer.order_count", "eq", float64(-1)), issue),
			"validation_failed", []string{"conditions[0].value"}},
		{"money with an extra key", rule("order.delivered", c("order.total", "gte",
			map[string]any{"amount": float64(1), "currency": "EUR", "x": 1}), issue), "validation_failed", []string{"conditions[0].value"}},
		{"unknown currency", rule("order.delivered", c("order.total", "gte",
			map[string]any{"amount": float64(1), "currency": "XXX"}), issue), "validation_failed", []string{"conditions[0].value"}},
		{"empty in list", rule("order.delivered", c("order.product_ids", "in", []any{}), issue),
			"validation_failed", []string{"conditions[0].value"}},
		{"group condition on a product event", rule("product.created", c("customer.group_ids", "contains",
			"cgrp_06h1wbq28dxanf5st2bqp8yfxm"), Action{Type: ActionCallWebhook, WebhookID: "wh_1"}),
			"validation_failed", []string{"conditions[0].field"}},
		{"no name", Automation{Trigger: "order.paid", Actions: []Action{issue}}, "validation_failed", []string{"name"}},
		{"bad group id", rule("order.paid", nil, Action{Type: ActionAddToGroup, GroupID: "group-1"}),
			"validation_failed", []string{"actions[0].group_id"}},
		{"bad restriction ids", rule("order.paid", nil, Action{Type: ActionIssueDiscount, Percentage: ptr[int64](10),
			ExpiresInDays: ptr[int64](1), ProductIDs: []string{"cat_06h1wbq28dxanf5st2bqp8yfxm"}}),
			"validation_failed", []string{"actions[0].product_ids[0]"}},
		{"webhook id with a slash", rule("order.paid", nil, Action{Type: ActionCallWebhook, WebhookID: "../x"}),
			"validation_failed", []string{"actions[0].webhook_id"}},
		{"unknown action", rule("order.paid", nil, Action{Type: "launch_rocket"}), "validation_failed", []string{"actions[0].type"}},
		{"bad points are reported first", rule("order.paid", nil, Action{Type: ActionAwardPoints}),
			"validation_failed", []string{"actions[0].points"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkRule(tt.rule)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("checkRule = %v, want nil", err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Code != tt.code || e.Kind != errs.Unprocessable {
				t.Fatalf("checkRule = %v, want %s (422)", err, tt.code)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			if d := cmp.Diff(tt.fields, got); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
		})
	}
}
