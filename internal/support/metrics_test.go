package support_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/support"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func ptr(f float64) *float64 { return &f }

// TestMetricsDefinitions drives four conversations over two UTC days on a
// fixed clock and checks every figure against the definitions by hand.
func TestMetricsDefinitions(t *testing.T) {
	t.Parallel()
	clk := &clock{}
	e := newEnv(t, support.WithClock(clk.now))
	ctx := t.Context()
	d1 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	d2, d3 := d1.AddDate(0, 0, 1), d1.AddDate(0, 0, 2)
	at := func(day time.Time, h, m int) {
		clk.t = day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	start := func() string {
		t.Helper()
		c, _, _, err := e.svc.Start(ctx, support.StartInput{Message: "hi", CustomerID: e.cus.ID})
		must(err)
		return c.ID
	}
	reply := func(id string, internal bool) {
		t.Helper()
		_, err := e.svc.PostAgent(ctx, "stf_x", id, "hello", internal)
		must(err)
	}
	closeConv := func(id string) {
		t.Helper()
		_, err := e.svc.Close(ctx, id)
		must(err)
	}
	rate := func(id string, score int) {
		t.Helper()
		_, err := e.svc.Rate(ctx, support.Access{CustomerID: e.cus.ID}, id, score, "")
		must(err)
	}

	at(d1, 9, 0)
	a := start()
	at(d1, 9, 2)
	reply(a, false) // first response 120 s
	at(d1, 10, 0)
	closeConv(a) // resolution 3600 s
	at(d1, 11, 0)
	b := start()
	at(d1, 11, 10)
	reply(b, true) // a note is not an answer
	at(d1, 11, 30)
	closeConv(b) // 1800 s, contained
	at(d2, 8, 0)
	rate(a, 5)
	at(d2, 9, 0)
	c := start()
	at(d2, 9, 10)
	reply(c, false) // 600 s
	at(d2, 12, 0)
	closeConv(c) // 10800 s
	at(d2, 13, 0)
	rate(c, 3)
	at(d2, 23, 0)
	start()

	m, err := e.svc.Metrics(ctx, d1, d3)
	must(err)
	want := support.Metrics{From: d1, To: d3,
		Summary: support.Stats{ConversationsStarted: 4, ConversationsClosed: 3, FirstResponseSeconds: ptr(360),
			ResolutionSeconds: ptr(3600), BotContainmentRate: ptr(1.0 / 3), CSAT: ptr(4), Ratings: 2},
		Series: []support.DayStats{
			{Start: d1, Stats: support.Stats{ConversationsStarted: 2, ConversationsClosed: 2, FirstResponseSeconds: ptr(120),
				ResolutionSeconds: ptr(2700), BotContainmentRate: ptr(0.5)}},
			{Start: d2, Stats: support.Stats{ConversationsStarted: 2, ConversationsClosed: 1, FirstResponseSeconds: ptr(600),
				ResolutionSeconds: ptr(10800), BotContainmentRate: ptr(0), CSAT: ptr(4), Ratings: 2}},
		}}
	if d := cmp.Diff(want, m); d != "" {
		t.Errorf("metrics (-want +got):\n%s", d)
	}

	// A period that starts mid-day, and one with nothing in it.
	m, err = e.svc.Metrics(ctx, d1.Add(10*time.Hour+30*time.Minute), d2)
	must(err)
	if len(m.Series) != 1 || !m.Series[0].Start.Equal(d1.Add(10*time.Hour+30*time.Minute)) ||
		m.Summary.ConversationsStarted != 1 || m.Summary.FirstResponseSeconds != nil || *m.Summary.BotContainmentRate != 1 {
		t.Errorf("partial day: %+v", m)
	}
	m, err = e.svc.Metrics(ctx, d3, d3.AddDate(0, 0, 3))
	must(err)
	empty := support.Stats{}
	if len(m.Series) != 3 || m.Summary != empty || m.Series[2].Stats != empty {
		t.Errorf("empty period: %+v", m)
	}
	for _, p := range [][2]time.Time{{d2, d1}, {d1, d1}, {d1, d1.AddDate(0, 0, 400)}} {
		if _, err := e.svc.Metrics(ctx, p[0], p[1]); code(err) != "validation_failed" {
			t.Errorf("period %v: %v", p, err)
		}
	}
}
