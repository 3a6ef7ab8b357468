package inventory

import (
	"math"
	"math/big"
	"time"
)

// Forecast parameters. They are constants rather than settings because the
// reorder job and the forecast route must agree on them, and a change is a
// decision worth a code review.
const (
	// ForecastDays is how many UTC days of sales history the forecast reads
	// (eight weeks: long enough to smooth weekly patterns, short enough to
	// follow a trend).
	ForecastDays = 56
	// SmoothingAlpha is the weight simple exponential smoothing gives the
	// newest day. 0.3 reacts to a change in demand within about a week
	// (the weight of a day halves every ~2 days) without chasing single
	// spikes; a lower alpha would lag a product going viral.
	SmoothingAlpha = 0.3
)

// SmoothDemand returns the simple exponential smoothing of daily (oldest
// first): level₀ = daily[0], levelₜ = α·dailyₜ + (1-α)·levelₜ₋₁. The final
// level is the forecast of average daily demand. An empty series, a
// non-positive result or an alpha outside (0, 1] gives 0 (no demand).
func SmoothDemand(daily []int64, alpha float64) float64 {
	if len(daily) == 0 || !(alpha > 0 && alpha <= 1) {
		return 0
	}
	level := float64(daily[0])
	for _, x := range daily[1:] {
		level = alpha*float64(x) + (1-alpha)*level
	}
	if level <= 0 || math.IsNaN(level) {
		return 0
	}
	return level
}

// DaysOfCover is how many days available stock lasts at demand per day; nil
// when there is no demand (stock lasts forever, which JSON shows as null).
func DaysOfCover(available int64, demand float64) *float64 {
	if demand <= 0 {
		return nil
	}
	d := math.Max(0, float64(available)) / demand
	d = math.Round(d*10) / 10 // one decimal: a forecast has no more precision
	return &d
}

// LeadTimeDemand is the demand expected while an order is on its way:
// demand per day times the lead time, rounded up (a fraction of a unit still
// has to be bought), saturated at math.MaxInt64.
func LeadTimeDemand(demand float64, leadTimeDays int) int64 {
	if demand <= 0 || leadTimeDays <= 0 {
		return 0
	}
	v := math.Ceil(demand * float64(leadTimeDays))
	if v >= math.MaxInt64 || math.IsInf(v, 1) {
		return math.MaxInt64
	}
	return int64(v)
}

// Sizing is what the suggested reorder quantity depends on. Every quantity is
// in units of the variant.
type Sizing struct {
	ReorderPoint   int64
	SafetyStock    int64
	LeadTimeDemand int64 // see LeadTimeDemand
	Available      int64 // on hand minus reserved
	OnOrder        int64 // ordered from suppliers and not yet received
	MOQ            int64 // minimum order quantity; < 1 counts as 1
}

// ReorderQuantity returns
//
//	max(0, reorder_point + safety_stock + lead_time_demand - available - on_order)
//
// rounded up to a multiple of the MOQ. Negative inputs count as 0. The result
// is always >= 0 and a multiple of the MOQ, even for absurd inputs: a need
// that does not fit in an int64 gives the largest multiple of the MOQ that
// does.
func ReorderQuantity(in Sizing) int64 {
	moq := max(in.MOQ, 1)
	// Exact arithmetic: with saturating int64 steps a huge target minus a
	// little stock would stop looking saturated and come out wrong.
	need := new(big.Int)
	for _, v := range []int64{in.ReorderPoint, in.SafetyStock, in.LeadTimeDemand} {
		need.Add(need, big.NewInt(max(v, 0)))
	}
	for _, v := range []int64{in.Available, in.OnOrder} {
		need.Sub(need, big.NewInt(max(v, 0)))
	}
	if need.Sign() <= 0 {
		return 0
	}
	if !need.IsInt64() {
		return roundUpTo(math.MaxInt64, moq)
	}
	return roundUpTo(need.Int64(), moq)
}

// roundUpTo rounds q > 0 up to a multiple of m >= 1, or down to the largest
// multiple that fits in an int64 when rounding up would overflow.
func roundUpTo(q, m int64) int64 {
	r := q % m
	if r == 0 {
		return q
	}
	if q > math.MaxInt64-(m-r) {
		return (math.MaxInt64 / m) * m
	}
	return q + (m - r)
}

// satAdd adds non-negative a and b, saturating at math.MaxInt64.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// dailySeries buckets sales (quantity sold at a time) into days UTC days
// ending with the day of now, oldest first, zero-filled. Sales outside the
// window are ignored.
func dailySeries(sales []soldUnits, now time.Time, days int) []int64 {
	out := make([]int64, days)
	today := now.UTC().Truncate(24 * time.Hour)
	start := today.AddDate(0, 0, -(days - 1))
	for _, s := range sales {
		d := int(s.At.UTC().Sub(start) / (24 * time.Hour))
		if s.At.Before(start) || d >= days {
			continue
		}
		out[d] = satAdd(out[d], max(s.Quantity, 0))
	}
	return out
}

// soldUnits is units sold (a positive quantity) at a time.
type soldUnits struct {
	At       time.Time
	Quantity int64
}
