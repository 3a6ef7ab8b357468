package demo

import (
	"context"
	"fmt"

	"storekeep/internal/automations"
	"storekeep/internal/platform/auth"
)

// Demo automations (docs/automations.md): the post-purchase code and the
// abandoned-cart reminder. Both go through the service's validation like a
// rule created over the API. They only react to events recorded after they
// exist, and every action they take is a row plus a durable job: without
// SMTP the e-mails are recorded, not sent, so they are safe to leave active
// on a demo database.
func demoAutomations(cleansers string) []automations.AutomationInput {
	pct, days := int64(1500), int64(30)
	return []automations.AutomationInput{
		{Name: "First order delivered: 15 % off the next cleanser, valid 30 days", Trigger: "order.delivered",
			Conditions: []automations.Condition{{Field: "customer.order_count", Op: "eq", Value: float64(1)}},
			// The e-mail follows from the code: discount.issued sends discount_issued.
			Actions: []automations.Action{{Type: automations.ActionIssueDiscount, Percentage: &pct,
				ExpiresInDays: &days, CategoryIDs: []string{cleansers}}}},
		{Name: "Cart abandoned for an hour: reminder e-mail", Trigger: "cart.abandoned",
			// cart.abandoned is recorded once a cart with items and an e-mail
			// has been idle STOREKEEP_CART_ABANDONED_AFTER (1 h by default).
			Actions: []automations.Action{{Type: automations.ActionSendEmail, Template: "cart_reminder"}}},
	}
}

// loadAutomations creates the demo rules; cleansers is the cleansers
// category's id.
func loadAutomations(ctx context.Context, svc *automations.Service, system auth.Actor, cleansers string) (int, error) {
	n := 0
	for _, in := range demoAutomations(cleansers) {
		if _, err := svc.Create(ctx, system, in); err != nil {
			return n, fmt.Errorf("automation %q: %w", in.Name, err)
		}
		n++
	}
	return n, nil
}
