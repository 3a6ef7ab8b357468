package customers

import (
	"encoding/json"
	"time"

	"storekeep/internal/platform/errs"
)

// Limits on group fields.
const (
	// MaxGroupNameLen is the longest group name, in characters.
	MaxGroupNameLen = 100
	// MaxGroupDescriptionLen is the longest group description.
	MaxGroupDescriptionLen = 1000
)

// Group is a customer group, a segment that promotions can be restricted to
// (e.g. "VIP", "Wholesale"). Names are unique regardless of case. A group
// without rules is manual (staff and automations add members); a group with
// rules is rule-based: its members are the customers every rule holds for,
// kept by a job.
type Group struct {
	ID          string `json:"id" binding:"required" example:"cgrp_06h1wbq28dxanf5st2bqp8yfxm"`
	Name        string `json:"name" binding:"required" example:"VIP"`
	Description string `json:"description" binding:"required" example:"Customers with over 500 EUR spent"`
	// Rules, combined with AND; empty for a manual group.
	Rules []Rule `json:"rules" binding:"required" gorm:"-"`
	// RulesJSON is the rules column (nil for a manual group).
	RulesJSON *string   `json:"-" gorm:"column:rules"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name CustomerGroup

// TableName maps Group to its table.
func (Group) TableName() string { return "customer_groups" }

func (g *Group) normalise() {
	g.CreatedAt, g.UpdatedAt = g.CreatedAt.UTC(), g.UpdatedAt.UTC()
	g.Rules = []Rule{}
	if g.RulesJSON != nil {
		_ = json.Unmarshal([]byte(*g.RulesJSON), &g.Rules) // written by encodeRules
	}
}

// RuleBased says whether the group's members are kept by its rules.
func (g Group) RuleBased() bool { return g.RulesJSON != nil }

// member is a row of customer_group_members.
type member struct {
	GroupID    string
	CustomerID string
	CreatedAt  time.Time
}

// TableName maps member to its table.
func (member) TableName() string { return "customer_group_members" }

// GroupInput creates a group.
type GroupInput struct {
	Name        string `json:"name" binding:"required" minLength:"1" maxLength:"100" example:"VIP"`
	Description string `json:"description,omitempty" text:"free" maxLength:"1000" example:"Customers with over 500 EUR spent"`
	// Rules make a rule-based group (a segment); without them the group is
	// manual.
	Rules []Rule `json:"rules,omitempty" maxItems:"20"`
} // @name CustomerGroupInput

// GroupPatch changes some fields of a group; nil fields are unchanged.
type GroupPatch struct {
	Name        *string `json:"name,omitempty" minLength:"1" maxLength:"100" example:"VIP"`
	Description *string `json:"description,omitempty" text:"free" maxLength:"1000" example:"Customers with over 500 EUR spent"`
	// Rules, when given, replace the group's rules; an empty list makes the
	// group manual again (its current members stay).
	Rules *[]Rule `json:"rules,omitempty" maxItems:"20"`
} // @name CustomerGroupPatch

// PreviewInput is a rule set to size before saving it.
type PreviewInput struct {
	Rules []Rule `json:"rules" binding:"required" minItems:"1" maxItems:"20"`
} // @name CustomerGroupPreviewInput

// Preview is how many customers a rule set selects now.
type Preview struct {
	// Size counts the active customers every rule holds for.
	Size int64 `json:"size" binding:"required" example:"42"`
	// Sample is up to 10 of them (customer ids), newest first.
	Sample []string `json:"sample" binding:"required" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
} // @name CustomerGroupPreview

// Group errors.
var (
	// ErrGroupNotFound is the 404 for an unknown group id.
	ErrGroupNotFound = errs.New(errs.NotFound, "not_found", "the customer group does not exist")
	// ErrGroupNameTaken is the 409 for a second group with the same name.
	ErrGroupNameTaken = errs.New(errs.Conflict, "group_name_taken", "a customer group with this name already exists")
	// ErrGroupInUse is the 409 for deleting a group something else (a
	// promotion) still refers to.
	// ErrRuleBasedGroup is the 409 for adding or removing a member of a
	// rule-based group by hand: its rules decide.
	ErrRuleBasedGroup = errs.New(errs.Conflict, "group_rule_based", "the group's members are kept by its rules")
	ErrGroupInUse     = errs.New(errs.Conflict, "group_in_use", "the customer group is still referred to (e.g. by a promotion)")
	// ErrForbidden is the 403 for a staff role that may not do this.
	ErrForbidden = errs.New(errs.Forbidden, "forbidden", "your role does not allow this")
)
