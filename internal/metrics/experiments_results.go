package metrics

import (
	"context"
	"fmt"
	"sort"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/money"
)

// Thresholds under which results carry a note that the sample is too small
// to call.
const (
	MinSessionsPerArm    = 100
	MinConversionsPerArm = 10
)

// ArmResult is one arm's figures.
type ArmResult struct {
	Key    string `json:"key" binding:"required" example:"green"`
	Weight int    `json:"weight" binding:"required" example:"50"`
	// Sessions is the number of distinct sessions with an
	// experiment_exposure event for this experiment and arm.
	Sessions int64 `json:"sessions" binding:"required" example:"1000"`
	// Conversions is how many of those sessions have an order with their
	// session id.
	Conversions int64 `json:"conversions" binding:"required" example:"130"`
	// ConversionRate is conversions / sessions; null without sessions.
	ConversionRate *float64 `json:"conversion_rate" format:"double" binding:"required" extensions:"x-nullable" example:"0.13"`
	// AverageOrderValue is, per currency, the mean total of those sessions'
	// non-canceled orders.
	AverageOrderValue []money.Amount `json:"average_order_value" binding:"required"`
	// Comparison with the control (the first arm); absent on the control.
	VsControl *Comparison `json:"vs_control,omitempty"`
} // @name ExperimentArmResult

// ExperimentResults are an experiment's figures per arm.
type ExperimentResults struct {
	Experiment Experiment  `json:"experiment" binding:"required"`
	Arms       []ArmResult `json:"arms" binding:"required"`
	// Lift, PValue and Significant compare the second arm with the control
	// (the answer of a two-arm test; each arm's vs_control has them all).
	Lift        *float64 `json:"lift" format:"double" binding:"required" extensions:"x-nullable" example:"0.3"`
	PValue      *float64 `json:"p_value" format:"double" binding:"required" extensions:"x-nullable" example:"0.0355"`
	Significant bool     `json:"significant" binding:"required" example:"true"`
	// Note says why the figures cannot be trusted yet, if so.
	Note string `json:"note,omitempty" example:"too few sessions to call: each arm needs at least 100 sessions and 10 conversions"`
} // @name ExperimentResults

// Results computes an experiment's figures. Exposure events may name the
// experiment by id or key. A session exposed to two arms (a storefront that
// ignored its assignment) counts in both.
func (s *Tracker) Results(ctx context.Context, actor auth.Actor, expID string) (ExperimentResults, error) {
	if err := canManage(actor); err != nil {
		return ExperimentResults{}, err
	}
	e, err := s.experiment(ctx, "id", expID)
	if err != nil {
		return ExperimentResults{}, err
	}
	exposed := `SELECT DISTINCT arm, session_id FROM metric_events
WHERE type = 'experiment_exposure' AND experiment_id IN (?, ?)`
	var counts []struct {
		Arm         string
		Sessions    int64
		Conversions int64
	}
	err = s.db.Conn(ctx).Raw(`SELECT x.arm AS arm, COUNT(*) AS sessions,
  SUM(CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.session_id = x.session_id) THEN 1 ELSE 0 END) AS conversions
FROM (`+exposed+`) x GROUP BY x.arm`, e.ID, e.Key).Scan(&counts).Error
	if err != nil {
		return ExperimentResults{}, fmt.Errorf("experiment sessions: %w", err)
	}
	var values []struct {
		Arm      string
		Currency string
		Total    int64
		Orders   int64
	}
	err = s.db.Conn(ctx).Raw(`SELECT x.arm AS arm, o.currency AS currency, SUM(o.total) AS total, COUNT(*) AS orders
FROM (`+exposed+`) x JOIN orders o ON o.session_id = x.session_id
WHERE o.status <> 'canceled' GROUP BY x.arm, o.currency`, e.ID, e.Key).Scan(&values).Error
	if err != nil {
		return ExperimentResults{}, fmt.Errorf("experiment order values: %w", err)
	}
	byArm := map[string]*ArmResult{}
	out := ExperimentResults{Experiment: e, Arms: make([]ArmResult, len(e.Arms))}
	for i, a := range e.Arms {
		out.Arms[i] = ArmResult{Key: a.Key, Weight: a.Weight, AverageOrderValue: []money.Amount{}}
		byArm[a.Key] = &out.Arms[i]
	}
	for _, c := range counts {
		if r := byArm[c.Arm]; r != nil { // exposures to unknown arms are ignored
			r.Sessions, r.Conversions = c.Sessions, c.Conversions
			rate := float64(c.Conversions) / float64(c.Sessions)
			r.ConversionRate = &rate
		}
	}
	sort.Slice(values, func(i, j int) bool { return values[i].Currency < values[j].Currency })
	for _, v := range values {
		if r := byArm[v.Arm]; r != nil && v.Orders > 0 {
			avg, err := money.Amount{Minor: v.Total, Currency: v.Currency}.Fraction(1, v.Orders)
			if err != nil {
				return ExperimentResults{}, fmt.Errorf("average order value: %w", err)
			}
			r.AverageOrderValue = append(r.AverageOrderValue, avg)
		}
	}
	ctl := out.Arms[0]
	small := false
	for i := range out.Arms {
		a := &out.Arms[i]
		if a.Sessions < MinSessionsPerArm || a.Conversions < MinConversionsPerArm {
			small = true
		}
		if i > 0 {
			c := zTest(ctl.Conversions, ctl.Sessions, a.Conversions, a.Sessions)
			a.VsControl = &c
		}
	}
	if len(out.Arms) > 1 {
		c := out.Arms[1].VsControl
		out.Lift, out.PValue, out.Significant = c.Lift, c.PValue, c.Significant
	}
	if small {
		out.Note = fmt.Sprintf("too few sessions to call: each arm needs at least %d sessions and %d conversions",
			MinSessionsPerArm, MinConversionsPerArm)
	}
	return out, nil
}
