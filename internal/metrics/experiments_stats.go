package metrics

import "math"

// Comparison is an arm against the control: the relative lift of its
// conversion rate and a two-sided two-proportion z-test.
type Comparison struct {
	// Lift is (rate - control rate) / control rate; null when the control
	// converted no one.
	Lift *float64 `json:"lift" format:"double" binding:"required" extensions:"x-nullable" example:"0.3"`
	// PValue is the two-sided p-value of the pooled two-proportion z-test;
	// null when it is undefined (an arm without sessions, or nobody or
	// everybody converting in both).
	PValue *float64 `json:"p_value" format:"double" binding:"required" extensions:"x-nullable" example:"0.0355"`
	// Significant is p_value < 0.05.
	Significant bool `json:"significant" binding:"required" example:"true"`
} // @name ExperimentComparison

// zTest compares conversions c2 of n2 sessions against the control's c1 of
// n1: pooled proportion p = (c1+c2)/(n1+n2), standard error
// sqrt(p(1-p)(1/n1+1/n2)), z = (c2/n2 - c1/n1) / se, and the two-sided
// p-value 2(1 - Phi(|z|)) = erfc(|z| / sqrt 2).
func zTest(c1, n1, c2, n2 int64) Comparison {
	var out Comparison
	if n1 == 0 || n2 == 0 {
		return out
	}
	p1, p2 := float64(c1)/float64(n1), float64(c2)/float64(n2)
	if p1 > 0 {
		l := (p2 - p1) / p1
		out.Lift = &l
	}
	p := float64(c1+c2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return out
	}
	z := (p2 - p1) / se
	pv := math.Erfc(math.Abs(z) / math.Sqrt2)
	out.PValue = &pv
	out.Significant = pv < 0.05
	return out
}
