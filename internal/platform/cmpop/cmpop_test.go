package cmpop

import "testing"

func TestInts(t *testing.T) {
	for _, c := range []struct {
		op   string
		a, b int64
		want bool
	}{
		{"eq", 2, 2, true}, {"eq", 2, 3, false}, {"ne", 2, 3, true}, {"ne", 2, 2, false},
		{"gt", 3, 2, true}, {"gt", 2, 2, false}, {"gte", 2, 2, true}, {"gte", 1, 2, false},
		{"lt", 1, 2, true}, {"lt", 2, 2, false}, {"lte", 2, 2, true}, {"lte", 3, 2, false},
		{"in", 2, 2, false}, {"", 2, 2, false},
	} {
		if got := Ints(c.op, c.a, c.b); got != c.want {
			t.Errorf("Ints(%q, %d, %d) = %v, want %v", c.op, c.a, c.b, got, c.want)
		}
	}
}
