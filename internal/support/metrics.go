package support

import (
	"context"
	"fmt"
	"slices"
	"time"

	"storekeep/internal/platform/errs"
)

// Stats are the support figures of one period (docs/support.md, "Metrics").
// A figure without a denominator is nil (JSON null).
type Stats struct {
	// ConversationsStarted counts conversations started in the period.
	ConversationsStarted int `json:"conversations_started" binding:"required" example:"42"`
	// ConversationsClosed counts conversations closed in the period.
	ConversationsClosed int `json:"conversations_closed" binding:"required" example:"40"`
	// FirstResponseSeconds is the median, over conversations whose first
	// agent reply (not an internal note) came in the period, of the time
	// from the customer's first message to that reply.
	FirstResponseSeconds *float64 `json:"first_response_seconds" binding:"required" extensions:"x-nullable" example:"95" format:"double"`
	// ResolutionSeconds is the median, over conversations closed in the
	// period, of the time from the start of the conversation to its close.
	ResolutionSeconds *float64 `json:"resolution_seconds" binding:"required" extensions:"x-nullable" example:"1800" format:"double"`
	// BotContainmentRate is the share of conversations closed in the period
	// that no agent answered (internal notes do not count as answers).
	BotContainmentRate *float64 `json:"bot_containment_rate" binding:"required" extensions:"x-nullable" example:"0.35" format:"double"`
	// CSAT is the mean rating (1 to 5) of conversations rated in the period.
	CSAT *float64 `json:"csat" binding:"required" extensions:"x-nullable" example:"4.6" format:"double"`
	// Ratings counts the ratings CSAT averages.
	Ratings int `json:"ratings" binding:"required" example:"12"`
} // @name SupportStats

// DayStats are one UTC day's figures.
type DayStats struct {
	// Start is the day's first instant (UTC midnight, or from for a first
	// partial day).
	Start time.Time `json:"start" binding:"required" format:"date-time"`
	Stats
} // @name SupportDayStats

// Metrics are the support figures of [from, to): the whole period and each
// UTC day of it.
type Metrics struct {
	From    time.Time  `json:"from" binding:"required" format:"date-time"`
	To      time.Time  `json:"to" binding:"required" format:"date-time"`
	Summary Stats      `json:"summary" binding:"required"`
	Series  []DayStats `json:"series" binding:"required"`
} // @name SupportMetrics

// MaxMetricsDays is the longest period Metrics reports on.
const MaxMetricsDays = 366

// samples are the raw facts of a period: one time per fact, with its value.
type sample struct {
	at    time.Time
	value float64
}

// Metrics computes the support figures of [from, to) (see Stats for each
// definition). The KPI report reuses it.
func (s *Service) Metrics(ctx context.Context, from, to time.Time) (Metrics, error) {
	from, to = from.UTC(), to.UTC()
	if !from.Before(to) {
		return Metrics{}, errs.Invalidf("to", "must be after from")
	}
	if to.Sub(from) > MaxMetricsDays*24*time.Hour {
		return Metrics{}, errs.Invalidf("to", "the period is at most %d days", MaxMetricsDays)
	}
	started, err := s.times(ctx, `SELECT created_at AS at, 0 AS value FROM support_conversations
		WHERE created_at >= ? AND created_at < ?`, from, to)
	if err != nil {
		return Metrics{}, err
	}
	firsts, err := s.durations(ctx, `SELECT first_agent_reply_at AS at, first_customer_message_at AS since
		FROM support_conversations WHERE first_agent_reply_at >= ? AND first_agent_reply_at < ?
		AND first_customer_message_at IS NOT NULL`, from, to)
	if err != nil {
		return Metrics{}, err
	}
	closed, err := s.durations(ctx, `SELECT closed_at AS at, created_at AS since FROM support_conversations
		WHERE closed_at >= ? AND closed_at < ?`, from, to)
	if err != nil {
		return Metrics{}, err
	}
	contained, err := s.times(ctx, `SELECT c.closed_at AS at, 0 AS value FROM support_conversations c
		WHERE c.closed_at >= ? AND c.closed_at < ? AND NOT EXISTS (SELECT 1 FROM support_messages m
		WHERE m.conversation_id = c.id AND m.author = 'agent' AND m.internal = ?)`, from, to, false)
	if err != nil {
		return Metrics{}, err
	}
	ratings, err := s.times(ctx, `SELECT rated_at AS at, rating AS value FROM support_conversations
		WHERE rated_at >= ? AND rated_at < ? AND rating IS NOT NULL`, from, to)
	if err != nil {
		return Metrics{}, err
	}
	stats := func(lo, hi time.Time) Stats {
		in := func(xs []sample) []float64 {
			var out []float64
			for _, x := range xs {
				if !x.at.Before(lo) && x.at.Before(hi) {
					out = append(out, x.value)
				}
			}
			return out
		}
		cl := in(closed)
		st := Stats{ConversationsStarted: len(in(started)), ConversationsClosed: len(cl),
			FirstResponseSeconds: median(in(firsts)), ResolutionSeconds: median(cl)}
		if len(cl) > 0 {
			r := float64(len(in(contained))) / float64(len(cl))
			st.BotContainmentRate = &r
		}
		rs := in(ratings)
		st.Ratings = len(rs)
		st.CSAT = mean(rs)
		return st
	}
	m := Metrics{From: from, To: to, Summary: stats(from, to), Series: []DayStats{}}
	for day := from; day.Before(to); {
		next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, time.UTC)
		if next.After(to) {
			next = to
		}
		m.Series = append(m.Series, DayStats{Start: day, Stats: stats(day, next)})
		day = next
	}
	return m, nil
}

// times runs a query of (at, value) rows.
func (s *Service) times(ctx context.Context, q string, args ...any) ([]sample, error) {
	var rows []struct {
		At    time.Time
		Value float64
	}
	if err := s.db.Conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("support metrics: %w", err)
	}
	out := make([]sample, len(rows))
	for i, r := range rows {
		out[i] = sample{at: r.At.UTC(), value: r.Value}
	}
	return out, nil
}

// durations runs a query of (at, since) rows: the value is at - since in seconds.
func (s *Service) durations(ctx context.Context, q string, args ...any) ([]sample, error) {
	var rows []struct {
		At    time.Time
		Since time.Time
	}
	if err := s.db.Conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("support metrics: %w", err)
	}
	out := make([]sample, len(rows))
	for i, r := range rows {
		out[i] = sample{at: r.At.UTC(), value: r.At.Sub(r.Since).Seconds()}
	}
	return out, nil
}

// median is the middle value (the mean of the two middle ones for an even
// count); nil for none.
func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	return &m
}

func mean(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	m := sum / float64(len(xs))
	return &m
}
