package catalog

import (
	"math"
	"strconv"
	"strings"

	"storekeep/internal/platform/db"
)

// filterAttributes adds attr.KEY=VALUE filters. A product matches a value when
// the attribute equals it (as text, as a number when the value parses as one,
// as a boolean for "true"/"false") or, for a list attribute, contains it.
// Several values of one key match any of them; several keys must all match.
func (s *Service) filterAttributes(c *checker, l *listSQL, attrs map[string][]string) {
	if len(attrs) > maxAttrFilters {
		c.add("attr", "at most %d attributes can be filtered on", maxAttrFilters)
		return
	}
	for _, k := range sortedKeys(attrs) {
		vals := attrs[k]
		f := "attr." + k
		if !attrKeyPattern.MatchString(k) {
			c.add(f, "must name an attribute: lower-case letters, digits and underscores")
			continue
		}
		if len(vals) == 0 || len(vals) > maxFilterValues {
			c.add(f, "must be given from 1 to %d times", maxFilterValues)
			continue
		}
		if s.db.Dialect() == db.Postgres {
			cond, args := attrFilterPostgres(k, vals)
			l.and(cond, args...)
		} else {
			cond, args := attrFilterSQLite(k, vals)
			l.and(cond, args...)
		}
	}
}

// attrFilterPostgres matches with jsonb containment, which the GIN index on
// attributes serves: {"k": v} for scalars and {"k": [v]} for lists.
func attrFilterPostgres(key string, vals []string) (string, []any) {
	var conds []string
	var args []any
	add := func(v any) {
		conds = append(conds, "p.attributes @> ?::jsonb")
		args = append(args, mustJSON(map[string]any{key: v}))
	}
	for _, v := range vals {
		add(v)
		add([]string{v})
		if v == "true" || v == "false" {
			add(v == "true")
		}
		if n, ok := attrNumber(v); ok {
			add(n)
		}
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// attrFilterSQLite walks the attribute with json_each, which yields the value
// itself for a scalar and each element for a list.
func attrFilterSQLite(key string, vals []string) (string, []any) {
	conds := []string{"(ja.type = 'text' AND ja.value IN ?)"}
	args := []any{vals}
	var nums []float64
	for _, v := range vals {
		switch v {
		case "true", "false":
			conds = append(conds, "ja.type = '"+v+"'")
		}
		if n, ok := attrNumber(v); ok {
			nums = append(nums, n)
		}
	}
	if len(nums) > 0 {
		conds = append(conds, "(ja.type IN ('integer', 'real') AND ja.value IN ?)")
		args = append(args, nums)
	}
	// key matches ^[a-z][a-z0-9_]*$, so the quoted JSON path needs no escaping.
	return "EXISTS (SELECT 1 FROM json_each(p.attributes, ?) ja WHERE " + strings.Join(conds, " OR ") + ")",
		append([]any{`$."` + key + `"`}, args...)
}

// attrNumber reads a filter value as a finite number, if it is one.
func attrNumber(v string) (float64, bool) {
	n, err := strconv.ParseFloat(v, 64)
	return n, err == nil && !math.IsNaN(n) && !math.IsInf(n, 0)
}
