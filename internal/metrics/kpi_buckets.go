package metrics

import (
	"sort"
	"time"
)

// kpiSpan is one period [start, end).
type kpiSpan struct{ start, end time.Time }

// kpiBuckets splits [from, to) at the day, week (Monday) or month
// boundaries of loc; the first and last bucket may be partial.
func kpiBuckets(from, to time.Time, interval string, loc *time.Location) []kpiSpan {
	var out []kpiSpan
	for s := from; s.Before(to); {
		e := nextBoundary(s, interval, loc)
		if e.After(to) {
			e = to
		}
		out = append(out, kpiSpan{s.UTC(), e.UTC()})
		s = e
	}
	return out
}

// nextBoundary is the first day, week or month start in loc after t.
func nextBoundary(t time.Time, interval string, loc *time.Location) time.Time {
	l := t.In(loc)
	y, m, d := l.Date()
	switch interval {
	case IntervalMonth:
		return time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
	case IntervalWeek:
		// Days until the next Monday (1..7).
		n := (8 - int(l.Weekday())) % 7
		if n == 0 {
			n = 7
		}
		return time.Date(y, m, d+n, 0, 0, 0, 0, loc)
	default:
		return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
}

// kpiIndex finds the bucket holding t (-1 when outside every bucket).
func kpiIndex(spans []kpiSpan, t time.Time) int {
	i := sort.Search(len(spans), func(i int) bool { return spans[i].end.After(t) })
	if i == len(spans) || t.Before(spans[i].start) {
		return -1
	}
	return i
}
