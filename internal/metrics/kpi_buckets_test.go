package metrics

import (
	"testing"
	"time"
)

// TestKPIBuckets: day, week and month boundaries in a time zone, across a
// daylight saving change, with partial first and last buckets.
func TestKPIBuckets(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, ny) }
	cases := []struct {
		interval string
		from, to time.Time
		want     []time.Time // bucket starts, then the end
	}{
		// 8 March 2026 is 23 hours long in New York.
		{"day", at(3, 7, 12), at(3, 9, 6), []time.Time{at(3, 7, 12), at(3, 8, 0), at(3, 9, 0), at(3, 9, 6)}},
		// 4 March 2026 is a Wednesday; weeks start on Monday.
		{"week", at(3, 4, 0), at(3, 17, 0), []time.Time{at(3, 4, 0), at(3, 9, 0), at(3, 16, 0), at(3, 17, 0)}},
		{"week", at(3, 9, 0), at(3, 16, 0), []time.Time{at(3, 9, 0), at(3, 16, 0)}},
		{"month", at(1, 31, 23), at(3, 2, 0), []time.Time{at(1, 31, 23), at(2, 1, 0), at(3, 1, 0), at(3, 2, 0)}},
	}
	for _, c := range cases {
		got := kpiBuckets(c.from, c.to, c.interval, ny)
		if len(got) != len(c.want)-1 {
			t.Fatalf("%s %v: %d buckets, want %d: %v", c.interval, c.from, len(got), len(c.want)-1, got)
		}
		for i, s := range got {
			if !s.start.Equal(c.want[i]) || !s.end.Equal(c.want[i+1]) {
				t.Errorf("%s bucket %d = [%v, %v), want [%v, %v)", c.interval, i, s.start, s.end, c.want[i], c.want[i+1])
			}
			if s.start.Location() != time.UTC {
				t.Errorf("bucket %d start not in UTC", i)
			}
		}
		if i := kpiIndex(got, c.to); i != -1 {
			t.Errorf("to is in bucket %d", i)
		}
		if i := kpiIndex(got, c.from); i != 0 {
			t.Errorf("from is in bucket %d", i)
		}
		if i := kpiIndex(got, c.from.Add(-time.Nanosecond)); i != -1 {
			t.Errorf("before from is in bucket %d", i)
		}
	}
	if got := kpiBuckets(at(3, 8, 0), at(3, 9, 0), "day", ny); len(got) != 1 || got[0].end.Sub(got[0].start) != 23*time.Hour {
		t.Errorf("the short day: %v", got)
	}
}
