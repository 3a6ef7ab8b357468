package automations

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"storekeep/internal/platform/cmpop"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// kind is the type of a condition field's value.
type kind int

const (
	kindCount  kind = iota // a whole number
	kindMoney              // Money, compared in its own currency
	kindLocale             // a language tag
	kindIDs                // a list of ids
)

// fieldSpec says what a condition field is and what it needs.
type fieldSpec struct {
	kind  kind
	scope scope  // the least a trigger must give (customer or order)
	ids   string // the id prefix of an ids field
}

// fields are the condition fields (docs/automations.md, "Conditions").
var fields = map[string]fieldSpec{
	"customer.order_count": {kind: kindCount, scope: scopeCustomer},
	"customer.total_spent": {kind: kindMoney, scope: scopeCustomer},
	"customer.group_ids":   {kind: kindIDs, scope: scopeCustomer, ids: "cgrp"},
	"customer.locale":      {kind: kindLocale, scope: scopeCustomer},
	"order.total":          {kind: kindMoney, scope: scopeOrder},
	"order.product_ids":    {kind: kindIDs, scope: scopeOrder, ids: "prod"},
	"order.category_ids":   {kind: kindIDs, scope: scopeOrder, ids: "cat"},
}

// ops are the operators each kind of field takes.
var ops = map[kind][]string{
	kindCount:  {"eq", "ne", "gt", "gte", "lt", "lte", "in"},
	kindMoney:  {"eq", "ne", "gt", "gte", "lt", "lte"},
	kindLocale: {"eq", "ne", "in"},
	kindIDs:    {"contains", "in"},
}

// maxListValues bounds the list of an "in" condition.
const maxListValues = 100

var localePattern = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})*$`)

// operand is a condition's value, parsed for its field and operator: n for
// a count, ns for a list of counts, m for Money, s for one string (a locale
// or an id), ss for a list of them.
type operand struct {
	n  int64
	ns []int64
	m  money.Amount
	s  string
	ss []string
}

// parseOperand reads v, the JSON value of a condition on spec with op, or
// says what it should have been.
func parseOperand(spec fieldSpec, op string, v any) (operand, string) {
	var o operand
	list := op == "in"
	switch spec.kind {
	case kindCount:
		if list {
			items, ok := v.([]any)
			if !ok || len(items) == 0 || len(items) > maxListValues {
				return o, fmt.Sprintf("must be a list of 1 to %d whole numbers", maxListValues)
			}
			for _, it := range items {
				n, ok := count(it)
				if !ok {
					return o, "must list whole numbers of 0 or more"
				}
				o.ns = append(o.ns, n)
			}
			return o, ""
		}
		n, ok := count(v)
		if !ok {
			return o, "must be a whole number of 0 or more"
		}
		o.n = n
	case kindMoney:
		m, ok := moneyValue(v)
		if !ok {
			return o, `must be Money: {"amount": <minor units, 0 or more>, "currency": "EUR"}`
		}
		o.m = m
	case kindLocale:
		return strings1(v, list, "a language tag such as en or fr", func(s string) (string, bool) {
			s = strings.ToLower(strings.TrimSpace(s))
			return s, localePattern.MatchString(s)
		})
	case kindIDs:
		return strings1(v, list, "a "+spec.ids+"_ id", func(s string) (string, bool) {
			s = strings.TrimSpace(s)
			return s, id.Valid(spec.ids, s)
		})
	}
	return o, ""
}

// strings1 reads one string, or a list of them when list, each checked by
// norm; what says what one is.
func strings1(v any, list bool, what string, norm func(string) (string, bool)) (operand, string) {
	var o operand
	if !list {
		s, ok := v.(string)
		if ok {
			s, ok = norm(s)
		}
		if !ok {
			return o, "must be " + what
		}
		o.s = s
		return o, ""
	}
	items, ok := v.([]any)
	if !ok || len(items) == 0 || len(items) > maxListValues {
		return o, fmt.Sprintf("must be a list of 1 to %d values, each %s", maxListValues, what)
	}
	for _, it := range items {
		s, ok := it.(string)
		if ok {
			s, ok = norm(s)
		}
		if !ok {
			return o, "must list values that are each " + what
		}
		o.ss = append(o.ss, s)
	}
	return o, ""
}

// count reads a JSON number that is a whole number from 0 to 2^53.
func count(v any) (int64, bool) {
	f, ok := v.(float64)
	if !ok || f < 0 || f != math.Trunc(f) || f > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// moneyValue reads {"amount": n, "currency": "EUR"} with nothing else.
func moneyValue(v any) (money.Amount, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 2 {
		return money.Amount{}, false
	}
	n, ok := count(m["amount"])
	cur, ok2 := m["currency"].(string)
	if !ok || !ok2 || !money.ValidCurrency(cur) {
		return money.Amount{}, false
	}
	return money.Amount{Minor: n, Currency: cur}, true
}

// value is a fact as a condition sees it: one of the operand's shapes.
type value struct {
	n  int64
	m  money.Amount // for a Money field, already in the operand's currency when it can be
	s  string
	ss []string
}

// holds judges the condition c (field spec, op, operand o) on the fact v
// and says why it does not hold.
func holds(field string, spec fieldSpec, op string, o operand, v value) (bool, string) {
	switch spec.kind {
	case kindCount:
		if op == "in" {
			if slices.Contains(o.ns, v.n) {
				return true, ""
			}
			return false, fmt.Sprintf("%s is %d, not in %v", field, v.n, o.ns)
		}
		if cmpop.Ints(op, v.n, o.n) {
			return true, ""
		}
		return false, fmt.Sprintf("%s is %d, not %s %d", field, v.n, op, o.n)
	case kindMoney:
		if v.m.Currency != o.m.Currency {
			return false, fmt.Sprintf("%s is in %s, the condition in %s", field, v.m.Currency, o.m.Currency)
		}
		if cmpop.Ints(op, v.m.Minor, o.m.Minor) {
			return true, ""
		}
		return false, fmt.Sprintf("%s is %s, not %s %s", field, v.m, op, o.m)
	case kindLocale:
		ok := false
		switch op {
		case "eq":
			ok = v.s == o.s
		case "ne":
			ok = v.s != o.s
		case "in":
			ok = slices.Contains(o.ss, v.s)
		}
		if ok {
			return true, ""
		}
		if op == "in" {
			return false, fmt.Sprintf("%s is %q, not in %v", field, v.s, o.ss)
		}
		return false, fmt.Sprintf("%s is %q, not %s %q", field, v.s, op, o.s)
	case kindIDs:
		if op == "contains" {
			if slices.Contains(v.ss, o.s) {
				return true, ""
			}
			return false, fmt.Sprintf("%s does not contain %s", field, o.s)
		}
		if slices.ContainsFunc(v.ss, func(x string) bool { return slices.Contains(o.ss, x) }) {
			return true, ""
		}
		return false, fmt.Sprintf("%s has none of %v", field, o.ss)
	}
	return false, field + " cannot be judged"
}
