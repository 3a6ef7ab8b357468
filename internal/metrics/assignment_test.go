package metrics_test

import (
	"fmt"
	"math"
	"testing"

	"storekeep/internal/metrics"
)

// Over 10 000 anonymous ids each arm gets its weight's share within 2
// percentage points (the standard deviation of a share near 0.5 over
// 10 000 draws is 0.5 points; the ids are fixed, so the test is
// deterministic), and an id's arm never changes.
func TestPickArmRespectsWeightsAndSticks(t *testing.T) {
	arms := []metrics.Arm{{Key: "control", Weight: 20}, {Key: "b", Weight: 30}, {Key: "c", Weight: 50}}
	const n = 10000
	count := map[string]int{}
	for i := range n {
		anon := fmt.Sprintf("anon-%d", i)
		arm := metrics.PickArm("hero-banner", anon, arms)
		count[arm]++
		if again := metrics.PickArm("hero-banner", anon, arms); again != arm {
			t.Fatalf("%s got %s then %s", anon, arm, again)
		}
	}
	for _, a := range arms {
		share := float64(count[a.Key]) / n
		if want := float64(a.Weight) / 100; math.Abs(share-want) > 0.02 {
			t.Errorf("arm %s: share %.4f, want %.2f ± 0.02", a.Key, share, want)
		}
	}
	// Two experiments split shoppers independently: about half land in the
	// same-named arm of both 50/50 tests, not all of them.
	half := []metrics.Arm{{Key: "x", Weight: 1}, {Key: "y", Weight: 1}}
	same := 0
	for i := range n {
		anon := fmt.Sprintf("anon-%d", i)
		if metrics.PickArm("one", anon, half) == metrics.PickArm("two", anon, half) {
			same++
		}
	}
	if share := float64(same) / n; math.Abs(share-0.5) > 0.02 {
		t.Errorf("%.4f of shoppers share an arm across two experiments, want about 0.5", share)
	}
}
