package page

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/errs"
)

func TestParseLimit(t *testing.T) {
	tests := []struct {
		name  string
		limit string
		want  int
		err   bool
	}{
		{"default", "", DefaultLimit, false},
		{"given", "5", 5, false},
		{"clamped", "100000", MaxLimit, false},
		{"zero", "0", 0, true},
		{"negative", "-1", 0, true},
		{"junk", "ten", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.limit, "")
			if tt.err {
				if !errors.Is(err, errs.ErrValidation) {
					t.Fatalf("err = %v, want validation_failed", err)
				}
				return
			}
			if err != nil || r.Limit != tt.want {
				t.Fatalf("Parse(%q) = %d, %v; want %d", tt.limit, r.Limit, err, tt.want)
			}
		})
	}
}

func TestCursorRoundTripAndRejectsJunk(t *testing.T) {
	c := Cursor{Key: "2026-11-27T10:00:00Z", ID: "prod_x"}
	r, err := Parse("", c.Encode())
	if err != nil || r.Cursor != c {
		t.Fatalf("round trip = %+v, %v", r.Cursor, err)
	}
	for _, bad := range []string{"%%%", "bm90IGpzb24", Cursor{Key: "k"}.Encode(),
		Cursor{ID: "prod_\x00"}.Encode(), Cursor{Key: "a\nb", ID: "prod_x"}.Encode(), Cursor{ID: "prod_\u202e"}.Encode()} {
		if _, err := Parse("", bad); !errors.Is(err, ErrBadCursor) {
			t.Errorf("Parse cursor %q: err = %v", bad, err)
		}
	}
}

func TestBuildSetsNextCursorOnlyWhenMore(t *testing.T) {
	key := func(s string) Cursor { return Cursor{ID: s} }
	l := Build([]string{"a", "b", "c"}, 2, key)
	if d := cmp.Diff([]string{"a", "b"}, l.Data); d != "" || l.NextCursor == nil {
		t.Fatalf("Build with more rows: %v next=%v", l.Data, l.NextCursor)
	}
	if r, _ := Parse("", *l.NextCursor); r.Cursor.ID != "b" {
		t.Errorf("next cursor points at %q, want b", r.Cursor.ID)
	}
	l = Build([]string{"a"}, 2, key)
	if l.NextCursor != nil {
		t.Error("last page has a next cursor")
	}
	if l = Build[string](nil, 2, key); l.Data == nil {
		t.Error("empty page must encode data as [] not null")
	}
}

// FuzzParse: no input panics, and anything accepted has a limit in range.
func FuzzParse(f *testing.F) {
	f.Add("20", "")
	f.Add("x", Cursor{ID: "a"}.Encode())
	f.Fuzz(func(t *testing.T, limit, cursor string) {
		r, err := Parse(limit, cursor)
		if err == nil && (r.Limit < 1 || r.Limit > MaxLimit) {
			t.Fatalf("limit %d out of range", r.Limit)
		}
	})
}
