package metrics

import (
	"math"
	"testing"
)

// The expected p-values are computed by hand from the formula in zTest's
// comment: pooled p, se, z, then 2(1 - Phi(|z|)).
func TestZTest(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name           string
		c1, n1, c2, n2 int64
		lift, p        *float64
		significant    bool
	}{
		// p = 230/2000 = 0.115; se = sqrt(0.115 * 0.885 * 0.002) = 0.0142671;
		// z = 0.03 / 0.0142671 = 2.10274; p = 0.0354885.
		{"13% against 10%", 100, 1000, 130, 1000, f(0.3), f(0.0354885), true},
		// p = 0.025; se = sqrt(0.025 * 0.975 * 0.02) = 0.0220794; z = 2.26455;
		// p = 0.0235401. The control converted no one: no lift.
		{"control at zero", 0, 100, 5, 100, nil, f(0.0235401), true},
		// Equal rates: z = 0, p = 1.
		{"equal rates", 40, 400, 30, 300, f(0), f(1), false},
		// p = 3/7; se = sqrt(3/7 * 4/7 * (1/4 + 1/3)) = 0.377964; z = -0.440959;
		// p = 0.659243.
		{"tiny sample", 2, 4, 1, 3, f(-1.0 / 3), f(0.659243), false},
		{"nobody converts", 0, 50, 0, 50, nil, nil, false},
		{"no sessions", 0, 0, 3, 10, nil, nil, false},
	}
	near := func(a, b *float64) bool {
		if a == nil || b == nil {
			return a == nil && b == nil
		}
		return math.Abs(*a-*b) < 1e-6
	}
	for _, tc := range tests {
		got := zTest(tc.c1, tc.n1, tc.c2, tc.n2)
		if !near(got.Lift, tc.lift) || !near(got.PValue, tc.p) || got.Significant != tc.significant {
			t.Errorf("%s: lift %v p %v significant %v", tc.name, deref(got.Lift), deref(got.PValue), got.Significant)
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
