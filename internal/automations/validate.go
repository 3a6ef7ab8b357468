package automations

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/text"
)

// Limits on rules.
const (
	MaxNameLen       = 200
	MaxDelaySeconds  = 365 * 24 * 3600
	MaxConditions    = 20
	MaxActions       = 10
	MaxExpiresInDays = 365
	// MaxRestrictionIDs bounds an issued code's product and category lists.
	MaxRestrictionIDs = 100
	maxWebhookIDLen   = 100
)

// checks collects field errors, named by JSON path.
type checks struct{ fe []errs.FieldError }

func (c *checks) add(field, format string, args ...any) {
	c.fe = append(c.fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c *checks) err() error {
	if len(c.fe) == 0 {
		return nil
	}
	return errs.ErrValidation.WithFields(c.fe...)
}

// checkRule validates a whole rule: 422 validation_failed naming every bad
// field (conditions[1].op, actions[0].percentage).
func checkRule(a Automation) error {
	c := &checks{}
	switch n := utf8.RuneCountInString(a.Name); {
	case n == 0:
		c.add("name", "is required")
	case n > MaxNameLen:
		c.add("name", "must be at most %d characters", MaxNameLen)
	}
	sc, known := triggers[a.Trigger]
	if !known {
		c.add("trigger", "must be one of the event types %s", strings.Join(Triggers(), ", "))
	}
	if a.DelaySeconds < 0 || a.DelaySeconds > MaxDelaySeconds {
		c.add("delay_seconds", "must be from 0 to %d (a year)", MaxDelaySeconds)
	}
	if len(a.Conditions) > MaxConditions {
		c.add("conditions", "must have at most %d conditions", MaxConditions)
	}
	for i, cd := range a.Conditions {
		checkCondition(c, fmt.Sprintf("conditions[%d]", i), cd, sc, known)
	}
	switch {
	case len(a.Actions) == 0:
		c.add("actions", "must have at least one action")
	case len(a.Actions) > MaxActions:
		c.add("actions", "must have at most %d actions", MaxActions)
	}
	for i, ac := range a.Actions {
		checkAction(c, fmt.Sprintf("actions[%d]", i), ac, a.Trigger, sc, known)
	}
	return c.err()
}

func checkCondition(c *checks, at string, cd Condition, sc scope, known bool) {
	spec, ok := fields[cd.Field]
	if !ok {
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		slices.Sort(names)
		c.add(at+".field", "must be one of %s", strings.Join(names, ", "))
		return
	}
	if known && sc < spec.scope {
		c.add(at+".field", "needs a trigger %s", scopeNeed(spec.scope))
	}
	if !slices.Contains(ops[spec.kind], cd.Op) {
		c.add(at+".op", "%s takes %s", cd.Field, strings.Join(ops[spec.kind], ", "))
		return
	}
	if _, problem := parseOperand(spec, cd.Op, cd.Value); problem != "" {
		c.add(at+".value", "%s", problem)
	}
}

// scopeNeed says which triggers give what a field or action needs.
func scopeNeed(s scope) string {
	if s == scopeOrder {
		return "about an order (order.*, refund.created, return.*)"
	}
	return "about a customer or an order (not inventory, purchasing or catalog events)"
}

// actionFields are the fields each action type takes besides type.
var actionFields = map[string][]string{
	ActionIssueDiscount: {"percentage", "amount", "expires_in_days", "product_ids", "category_ids"},
	ActionSendEmail:     {"template"},
	ActionAddToGroup:    {"group_id"},
	ActionAwardPoints:   {"points"},
	ActionCallWebhook:   {"webhook_id"},
}

func checkAction(c *checks, at string, a Action, trigger string, sc scope, known bool) {
	allowed, ok := actionFields[a.Type]
	if !ok {
		c.add(at+".type", "must be issue_discount, send_email, add_to_group, award_points or call_webhook")
		return
	}
	for _, f := range a.setFields() {
		if !slices.Contains(allowed, f) {
			c.add(at+"."+f, "is not a field of %s", a.Type)
		}
	}
	if a.Type != ActionCallWebhook && known && sc < scopeCustomer {
		c.add(at+".type", "%s needs a trigger %s", a.Type, scopeNeed(scopeCustomer))
	}
	switch a.Type {
	case ActionIssueDiscount:
		if trigger == "discount.issued" {
			c.add(at+".type", "a rule on discount.issued cannot issue discounts (it would trigger itself)")
		}
		checkDiscount(c, at+".", a.discount())
	case ActionSendEmail:
		if !slices.Contains(templates, a.Template) {
			c.add(at+".template", "must be one of %s", strings.Join(templates, ", "))
		}
	case ActionAddToGroup:
		if !id.Valid("cgrp", a.GroupID) {
			c.add(at+".group_id", "must be a cgrp_ id")
		}
	case ActionAwardPoints:
		if a.Points == nil || *a.Points < 1 || *a.Points > maxAwardPoints {
			c.add(at+".points", "must be from 1 to %d", maxAwardPoints)
		}
	case ActionCallWebhook:
		if a.WebhookID == "" || len(a.WebhookID) > maxWebhookIDLen || !text.Valid(a.WebhookID, text.Line) ||
			strings.ContainsAny(a.WebhookID, " /") {
			c.add(at+".webhook_id", "must be a webhook id")
		}
	}
}

// setFields names the fields of a that are set (type excepted).
func (a Action) setFields() []string {
	var out []string
	add := func(set bool, f string) {
		if set {
			out = append(out, f)
		}
	}
	add(a.Percentage != nil, "percentage")
	add(a.Amount != nil, "amount")
	add(a.ExpiresInDays != nil, "expires_in_days")
	add(a.ProductIDs != nil, "product_ids")
	add(a.CategoryIDs != nil, "category_ids")
	add(a.Template != "", "template")
	add(a.GroupID != "", "group_id")
	add(a.Points != nil, "points")
	add(a.WebhookID != "", "webhook_id")
	return out
}

// checkDiscount validates the shape of an issued code; prefix is "" for
// the staff route's body and "actions[i]." for a rule's action.
func checkDiscount(c *checks, prefix string, d DiscountInput) {
	switch {
	case d.Percentage == nil && d.Amount == nil:
		c.add(prefix+"percentage", "give a percentage (basis points) or an amount")
	case d.Percentage != nil && d.Amount != nil:
		c.add(prefix+"amount", "give a percentage or an amount, not both")
	case d.Percentage != nil && (*d.Percentage < 1 || *d.Percentage > 10000):
		c.add(prefix+"percentage", "must be from 1 to 10000 basis points (1500 = 15 %%)")
	case d.Amount != nil:
		if d.Amount.Minor < 1 {
			c.add(prefix+"amount.amount", "must be 1 or more")
		}
		if !money.ValidCurrency(d.Amount.Currency) {
			c.add(prefix+"amount.currency", "must be an ISO 4217 currency code such as EUR")
		}
	}
	if d.ExpiresInDays == nil || *d.ExpiresInDays < 1 || *d.ExpiresInDays > MaxExpiresInDays {
		c.add(prefix+"expires_in_days", "must be from 1 to %d", MaxExpiresInDays)
	}
	checkIDs(c, prefix+"product_ids", "prod", d.ProductIDs)
	checkIDs(c, prefix+"category_ids", "cat", d.CategoryIDs)
}

func checkIDs(c *checks, field, prefix string, ids []string) {
	if len(ids) > MaxRestrictionIDs {
		c.add(field, "must list at most %d ids", MaxRestrictionIDs)
		return
	}
	for i, v := range ids {
		if !id.Valid(prefix, v) {
			c.add(fmt.Sprintf("%s[%d]", field, i), "must be a %s_ id", prefix)
		}
	}
}
