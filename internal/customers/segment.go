package customers

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"storekeep/internal/platform/cmpop"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// MaxRules bounds the rules of one group.
const MaxRules = 20

// maxRuleValues bounds the list of an "in" rule.
const maxRuleValues = 100

// Rule is one condition on a customer; a rule-based group's members are the
// customers every rule of the group holds for. The value's type depends on
// the field and the operator (docs/customers.md, "Segments"): Money for
// total_spent, a whole number for order_count (and for last_order_at with
// within_days or older_than_days), a date-time for last_order_at with
// before or after, a string or a list of strings for the others.
type Rule struct {
	Field string `json:"field" binding:"required" enums:"total_spent,order_count,last_order_at,acquisition_channel,skin_type,country" example:"total_spent"`
	Op    string `json:"op" binding:"required" enums:"eq,ne,gt,gte,lt,lte,in,within_days,older_than_days,before,after" example:"gte"`
	Value any    `json:"value" binding:"required"`
} // @name CustomerGroupRule

// ruleKind is the type of a rule field's value.
type ruleKind int

const (
	ruleMoney  ruleKind = iota // Money, compared in its own currency
	ruleCount                  // a whole number
	ruleTime                   // the last order's time
	ruleString                 // a case-insensitive string
)

var ruleFields = map[string]ruleKind{
	"total_spent":         ruleMoney,
	"order_count":         ruleCount,
	"last_order_at":       ruleTime,
	"acquisition_channel": ruleString,
	"skin_type":           ruleString,
	"country":             ruleString,
}

var ruleOps = map[ruleKind][]string{
	ruleMoney:  {"eq", "ne", "gt", "gte", "lt", "lte"},
	ruleCount:  {"eq", "ne", "gt", "gte", "lt", "lte"},
	ruleTime:   {"within_days", "older_than_days", "before", "after"},
	ruleString: {"eq", "ne", "in"},
}

// rule is a Rule parsed for evaluation.
type rule struct {
	field string
	op    string
	n     int64
	m     money.Amount
	t     time.Time
	ss    []string
}

// facts is what the rules look at about one customer.
type facts struct {
	orderCount  int64
	spent       []money.Amount
	lastOrderAt *time.Time
	channel     string
	skinType    string
	country     string
}

// parseRules checks rules and returns them parsed, or a 422 naming each bad
// field as rules[i].field|op|value.
func parseRules(rs []Rule) ([]rule, error) {
	if len(rs) > MaxRules {
		return nil, errs.Invalidf("rules", "must have at most %d rules", MaxRules)
	}
	var fe []errs.FieldError
	out := make([]rule, 0, len(rs))
	for i, r := range rs {
		at := func(f, msg string) {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("rules[%d].%s", i, f), Message: msg})
		}
		k, ok := ruleFields[r.Field]
		if !ok {
			at("field", "must be one of total_spent, order_count, last_order_at, acquisition_channel, skin_type, country")
			continue
		}
		if !slices.Contains(ruleOps[k], r.Op) {
			at("op", "must be one of "+strings.Join(ruleOps[k], ", ")+" for "+r.Field)
			continue
		}
		p := rule{field: r.Field, op: r.Op}
		switch {
		case k == ruleMoney:
			m, ok := ruleMoneyValue(r.Value)
			if !ok {
				at("value", `must be Money: {"amount": <minor units, 0 or more>, "currency": "EUR"}`)
				continue
			}
			p.m = m
		case k == ruleCount, r.Op == "within_days", r.Op == "older_than_days":
			n, ok := ruleCountValue(r.Value)
			if !ok {
				at("value", "must be a whole number of 0 or more")
				continue
			}
			p.n = n
		case k == ruleTime:
			s, _ := r.Value.(string)
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				at("value", "must be a date-time such as 2025-01-31T00:00:00Z")
				continue
			}
			p.t = t.UTC()
		default:
			ss, ok := ruleStrings(r.Value, r.Op == "in")
			if !ok {
				if r.Op == "in" {
					at("value", fmt.Sprintf("must be a list of 1 to %d non-empty strings", maxRuleValues))
				} else {
					at("value", "must be a non-empty string of at most 100 characters")
				}
				continue
			}
			p.ss = ss
		}
		out = append(out, p)
	}
	if len(fe) > 0 {
		return nil, errs.ErrValidation.WithFields(fe...)
	}
	return out, nil
}

func ruleMoneyValue(v any) (money.Amount, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 2 {
		return money.Amount{}, false
	}
	n, ok := ruleCountValue(m["amount"])
	cur, ok2 := m["currency"].(string)
	if !ok || !ok2 || len(cur) != 3 || strings.ToUpper(cur) != cur {
		return money.Amount{}, false
	}
	return money.Amount{Minor: n, Currency: cur}, true
}

func ruleCountValue(v any) (int64, bool) {
	f, ok := v.(float64)
	if !ok || f < 0 || f != math.Trunc(f) || f > 1e15 {
		return 0, false
	}
	return int64(f), true
}

func ruleStrings(v any, list bool) ([]string, bool) {
	one := func(x any) (string, bool) {
		s, ok := x.(string)
		s = strings.ToLower(strings.TrimSpace(s))
		return s, ok && s != "" && len(s) <= 100
	}
	if !list {
		s, ok := one(v)
		return []string{s}, ok
	}
	items, ok := v.([]any)
	if !ok || len(items) == 0 || len(items) > maxRuleValues {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := one(it)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// matches says whether every rule holds for f at now. An empty rule list
// matches no one: it is a manual group, not a segment of everyone.
func matches(rs []rule, f facts, now time.Time) bool {
	if len(rs) == 0 {
		return false
	}
	for _, r := range rs {
		if !r.holds(f, now) {
			return false
		}
	}
	return true
}

func (r rule) holds(f facts, now time.Time) bool {
	switch r.field {
	case "total_spent":
		var spent int64
		for _, a := range f.spent {
			if a.Currency == r.m.Currency {
				spent = a.Minor
			}
		}
		return cmpop.Ints(r.op, spent, r.m.Minor)
	case "order_count":
		return cmpop.Ints(r.op, f.orderCount, r.n)
	case "last_order_at":
		if f.lastOrderAt == nil {
			return false // no order: neither recent nor lapsed
		}
		at := *f.lastOrderAt
		switch r.op {
		case "within_days":
			return !at.Before(now.AddDate(0, 0, -int(r.n)))
		case "older_than_days":
			return at.Before(now.AddDate(0, 0, -int(r.n)))
		case "before":
			return at.Before(r.t)
		default: // after
			return at.After(r.t)
		}
	}
	var v string
	switch r.field {
	case "acquisition_channel":
		v = f.channel
	case "skin_type":
		v = f.skinType
	default:
		v = f.country
	}
	switch r.op {
	case "eq":
		return v == r.ss[0]
	case "ne":
		return v != r.ss[0]
	default:
		return slices.Contains(r.ss, v)
	}
}

// encodeRules is the rules column of a group: nil (manual) without rules.
func encodeRules(rs []Rule) (*string, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(rs)
	if err != nil {
		return nil, fmt.Errorf("encode rules: %w", err)
	}
	s := string(b)
	return &s, nil
}
