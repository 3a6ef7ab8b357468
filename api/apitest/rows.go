package apitest

import "testing"

// RowCounts returns the number of rows in each table, so a test can assert
// that a rejected request wrote nothing: compare before and after with cmp.Diff.
func (h *Harness) RowCounts(t testing.TB, tables ...string) map[string]int64 {
	t.Helper()
	out := make(map[string]int64, len(tables))
	for _, tbl := range tables {
		var n int64
		if err := h.DB.Conn(t.Context()).Table(tbl).Count(&n).Error; err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	return out
}
