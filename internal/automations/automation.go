package automations

import (
	"time"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// Automation is a rule: when an event of type Trigger is recorded, wait
// DelaySeconds, then, if every condition holds, perform the actions in order.
type Automation struct {
	ID   string `json:"id" binding:"required" example:"auto_06h1wbq28dxanf5st2bqp8yfxm"`
	Name string `json:"name" binding:"required" example:"First order delivered: 15 % off the next cleanser"`
	// Trigger is the event type that starts a run (docs/automations.md lists them).
	Trigger string `json:"trigger" binding:"required" enums:"order.created,order.paid,order.canceled,order.fulfilled,order.shipped,order.delivered,refund.created,return.requested,return.received,customer.created,cart.abandoned,discount.issued,loyalty.tier_changed,support.conversation.opened,support.message.created,support.conversation.closed,inventory.low_stock,purchase_order.created,product.created,product.updated" example:"order.delivered"`
	// DelaySeconds is how long after the event occurred the run happens.
	DelaySeconds int64 `json:"delay_seconds" binding:"required" example:"0"`
	// Conditions must all hold, judged on fresh data when the run happens.
	Conditions []Condition `json:"conditions" binding:"required"`
	// Actions are performed in order; each one's outcome is in the run log.
	Actions   []Action  `json:"actions" binding:"required"`
	Active    bool      `json:"active" binding:"required" example:"true"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Automation

// Condition compares one fact about the event's customer or order with a
// value. The value's type depends on the field and the operator
// (docs/automations.md): a whole number, Money, a string or a list.
type Condition struct {
	Field string `json:"field" binding:"required" enums:"customer.order_count,customer.total_spent,customer.group_ids,customer.locale,order.total,order.product_ids,order.category_ids" example:"customer.order_count"`
	Op    string `json:"op" binding:"required" enums:"eq,ne,gt,gte,lt,lte,in,contains" example:"eq"`
	Value any    `json:"value" binding:"required"`
} // @name AutomationCondition

// Action types.
const (
	ActionIssueDiscount = "issue_discount"
	ActionSendEmail     = "send_email"
	ActionAddToGroup    = "add_to_group"
	ActionAwardPoints   = "award_points"
	ActionCallWebhook   = "call_webhook"
)

// Action is one thing a rule does. Type says which fields apply:
// issue_discount (percentage or amount, expires_in_days, product_ids,
// category_ids), send_email (template), add_to_group (group_id),
// award_points (points) and call_webhook (webhook_id).
type Action struct {
	Type string `json:"type" binding:"required" enums:"issue_discount,send_email,add_to_group,award_points,call_webhook" example:"issue_discount"`
	// Percentage is the discount in basis points (1500 = 15 %), issue_discount only.
	Percentage *int64 `json:"percentage,omitempty" minimum:"1" maximum:"10000" example:"1500"`
	// Amount is a fixed discount (instead of percentage), issue_discount only.
	Amount *money.Amount `json:"amount,omitempty"`
	// ExpiresInDays is how long an issued code is valid (1-365 days).
	ExpiresInDays *int64 `json:"expires_in_days,omitempty" minimum:"1" maximum:"365" example:"30"`
	// ProductIDs and CategoryIDs restrict an issued code to those lines.
	ProductIDs  []string `json:"product_ids,omitempty"`
	CategoryIDs []string `json:"category_ids,omitempty"`
	// Template is the e-mail template send_email sends.
	Template string `json:"template,omitempty" enums:"order_confirmation,order_shipped,refund_issued,support_reply,discount_issued,loyalty_tier_changed,cart_reminder" example:"cart_reminder"`
	// GroupID is the customer group add_to_group adds the customer to.
	GroupID string `json:"group_id,omitempty" example:"cgrp_06h1wbq28dxanf5st2bqp8yfxm"`
	// Points are the loyalty points award_points awards.
	Points *int64 `json:"points,omitempty" minimum:"1" example:"100"`
	// WebhookID is the webhook endpoint call_webhook delivers the event to.
	WebhookID string `json:"webhook_id,omitempty" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
} // @name AutomationAction

// AutomationInput creates a rule.
type AutomationInput struct {
	Name    string `json:"name" binding:"required" maxLength:"200" example:"First order delivered: 15 % off the next cleanser"`
	Trigger string `json:"trigger" binding:"required" enums:"order.created,order.paid,order.canceled,order.fulfilled,order.shipped,order.delivered,refund.created,return.requested,return.received,customer.created,cart.abandoned,discount.issued,loyalty.tier_changed,support.conversation.opened,support.message.created,support.conversation.closed,inventory.low_stock,purchase_order.created,product.created,product.updated" example:"order.delivered"`
	// DelaySeconds (default 0, at most a year) delays each run after its event.
	DelaySeconds int64       `json:"delay_seconds,omitempty" minimum:"0" maximum:"31536000" example:"0"`
	Conditions   []Condition `json:"conditions,omitempty"`
	Actions      []Action    `json:"actions" binding:"required"`
	// Active defaults to true.
	Active *bool `json:"active,omitempty" example:"true"`
} // @name AutomationInput

// AutomationPatch changes some fields of a rule; absent fields are
// unchanged and a list, when given, replaces the stored one. Runs already
// scheduled use the rule as it is when they happen (its delay excepted).
type AutomationPatch struct {
	Name         *string     `json:"name,omitempty" maxLength:"200" example:"Thank-you code"`
	Trigger      *string     `json:"trigger,omitempty" enums:"order.created,order.paid,order.canceled,order.fulfilled,order.shipped,order.delivered,refund.created,return.requested,return.received,customer.created,cart.abandoned,discount.issued,loyalty.tier_changed,support.conversation.opened,support.message.created,support.conversation.closed,inventory.low_stock,purchase_order.created,product.created,product.updated" example:"order.delivered"`
	DelaySeconds *int64      `json:"delay_seconds,omitempty" minimum:"0" maximum:"31536000" example:"259200"`
	Conditions   []Condition `json:"conditions,omitempty"`
	Actions      []Action    `json:"actions,omitempty"`
	Active       *bool       `json:"active,omitempty" example:"false"`
} // @name AutomationPatch

// Run statuses.
const (
	RunScheduled = "scheduled"
	RunSkipped   = "skipped"
	RunSucceeded = "succeeded"
	RunFailed    = "failed"
)

// Run is one rule's run for one triggering event.
type Run struct {
	ID           string `json:"id" binding:"required" example:"arun_06h1wbq28dxanf5st2bqp8yfxm"`
	AutomationID string `json:"automation_id" binding:"required" example:"auto_06h1wbq28dxanf5st2bqp8yfxm"`
	EventID      string `json:"event_id" binding:"required" example:"evt_06h1wbq28dxanf5st2bqp8yfxm"`
	EventType    string `json:"event_type" binding:"required" example:"order.delivered"`
	// Status is scheduled until the run happens, then skipped (a condition
	// was false, or the rule was deactivated or deleted meanwhile),
	// succeeded (every action did) or failed (some action did not).
	Status string `json:"status" binding:"required" enums:"scheduled,skipped,succeeded,failed" example:"succeeded"`
	// Reason says why a run was skipped or failed.
	Reason *string `json:"reason,omitempty" example:"customer.order_count is 2, not eq 1"`
	// Actions are the outcome of each action, in the rule's order ([] until the run happens).
	Actions []RunAction `json:"actions" binding:"required"`
	// Attempts counts how many times the run's job ran (a failed attempt
	// leaves nothing behind and is retried).
	Attempts    int64      `json:"attempts" binding:"required" example:"1"`
	ScheduledAt time.Time  `json:"scheduled_at" binding:"required" format:"date-time" example:"2025-02-03T10:00:00Z"`
	FinishedAt  *time.Time `json:"finished_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-02-03T10:00:01Z"`
	CreatedAt   time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name AutomationRun

// RunAction is the outcome of one action of a run.
type RunAction struct {
	Type   string `json:"type" binding:"required" example:"issue_discount"`
	Status string `json:"status" binding:"required" enums:"succeeded,failed" example:"succeeded"`
	// Result says what was done ("issued THANKS-7KQ2-M4XD") or why it failed.
	Result string `json:"result,omitempty" example:"issued THANKS-7KQ2-M4XD"`
} // @name AutomationRunAction

// Errors of automations. Codes are part of the API contract.
var (
	// ErrNotFound is the 404 for an unknown or deleted automation.
	ErrNotFound = errs.New(errs.NotFound, "not_found", "the automation does not exist")
)
