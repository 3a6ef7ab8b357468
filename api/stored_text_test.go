package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"storekeep/api/apitest"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/text"
)

// storedControlCharacters scans every text value of every table (and the
// strings inside values that are JSON documents, such as addresses and
// attributes) for characters the free-text rule refuses, NUL first.
// Binary columns are skipped.
func storedControlCharacters(t *testing.T, h *apitest.Harness) []string {
	t.Helper()
	conn := h.DB.Conn(t.Context())
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if dbtest.Postgres() {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`
	}
	if err := conn.Raw(q).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tbl := range tables {
		rows, err := conn.Raw(`SELECT * FROM "` + tbl + `"`).Rows()
		if err != nil {
			t.Fatalf("scan %s: %v", tbl, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				s, ok := v.(string) // []byte is a blob (full-text index pages): not text
				if !ok {
					continue
				}
				if p := storedProblem(s); p != text.OK {
					out = append(out, fmt.Sprintf("%s.%s holds %q: %s", tbl, cols[i], s, p.Message()))
				}
			}
		}
		_ = rows.Close()
	}
	return out
}

// storedProblem checks a stored string and, when it is a JSON document,
// the strings and keys inside it (where a NUL hides as \u0000).
func storedProblem(s string) text.Problem {
	if p := text.Check(s, text.Free); p != text.OK {
		return p
	}
	var doc any
	if !strings.ContainsAny(s, "{[\"") || json.Unmarshal([]byte(s), &doc) != nil {
		return text.OK
	}
	var walk func(v any) text.Problem
	walk = func(v any) text.Problem {
		switch x := v.(type) {
		case string:
			return text.Check(x, text.Free)
		case []any:
			for _, e := range x {
				if p := walk(e); p != text.OK {
					return p
				}
			}
		case map[string]any:
			for k, e := range x {
				if p := text.Check(k, text.Free); p != text.OK {
					return p
				}
				if p := walk(e); p != text.OK {
					return p
				}
			}
		}
		return text.OK
	}
	return walk(doc)
}
