// Package cmpop applies the comparison operators that staff write in rules
// (segment rules, automation conditions): eq, ne, gt, gte, lt, lte.
package cmpop

// Ints reports whether "a op b" holds; an unknown op never holds.
func Ints(op string, a, b int64) bool {
	switch op {
	case "eq":
		return a == b
	case "ne":
		return a != b
	case "gt":
		return a > b
	case "gte":
		return a >= b
	case "lt":
		return a < b
	case "lte":
		return a <= b
	}
	return false
}
