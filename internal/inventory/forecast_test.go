package inventory

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSmoothDemand(t *testing.T) {
	tests := []struct {
		name  string
		daily []int64
		alpha float64
		want  float64
	}{
		{"empty", nil, 0.3, 0},
		{"one day", []int64{7}, 0.3, 7},
		{"constant", []int64{4, 4, 4, 4}, 0.3, 4},
		// 10 -> 0.3*0 + 0.7*10 = 7 -> 0.3*20 + 0.7*7 = 10.9
		{"by hand", []int64{10, 0, 20}, 0.3, 10.9},
		{"alpha one is the last day", []int64{1, 2, 9}, 1, 9},
		{"all zero", []int64{0, 0, 0}, 0.3, 0},
		{"alpha zero is rejected", []int64{5}, 0, 0},
		{"alpha above one is rejected", []int64{5}, 1.5, 0},
		{"recent days weigh more", []int64{0, 0, 0, 10}, 0.3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SmoothDemand(tt.daily, tt.alpha)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Fatalf("SmoothDemand(%v, %v) = %v, want %v", tt.daily, tt.alpha, got, tt.want)
			}
		})
	}
}

func TestDaysOfCover(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name      string
		available int64
		demand    float64
		want      *float64
	}{
		{"no demand is null", 10, 0, nil},
		{"whole days", 30, 3, f(10)},
		{"rounded to one decimal", 10, 3, f(3.3)},
		{"nothing available", 0, 2, f(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, DaysOfCover(tt.available, tt.demand)); d != "" {
				t.Fatalf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestLeadTimeDemand(t *testing.T) {
	tests := []struct {
		name   string
		demand float64
		days   int
		want   int64
	}{
		{"no demand", 0, 10, 0},
		{"no lead time", 3, 0, 0},
		{"rounded up", 1.05, 10, 11},
		{"exact", 2, 10, 20},
		{"saturates", math.MaxFloat64, 10, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LeadTimeDemand(tt.demand, tt.days); got != tt.want {
				t.Fatalf("LeadTimeDemand(%v, %d) = %d, want %d", tt.demand, tt.days, got, tt.want)
			}
		})
	}
}

func TestReorderQuantity(t *testing.T) {
	tests := []struct {
		name string
		in   Sizing
		want int64
	}{
		{"nothing needed", Sizing{ReorderPoint: 10, Available: 50, MOQ: 1}, 0},
		{"exactly covered", Sizing{ReorderPoint: 10, SafetyStock: 5, Available: 15, MOQ: 6}, 0},
		{"bring to target", Sizing{ReorderPoint: 10, SafetyStock: 5, LeadTimeDemand: 20, Available: 3, MOQ: 1}, 32},
		{"rounded up to moq", Sizing{ReorderPoint: 10, SafetyStock: 5, LeadTimeDemand: 20, Available: 3, MOQ: 12}, 36},
		{"on order counts", Sizing{ReorderPoint: 10, SafetyStock: 5, Available: 3, OnOrder: 12, MOQ: 1}, 0},
		{"on order partly covers", Sizing{ReorderPoint: 10, SafetyStock: 5, Available: 3, OnOrder: 2, MOQ: 24}, 24},
		{"moq zero counts as one", Sizing{ReorderPoint: 7, MOQ: 0}, 7},
		{"already a multiple", Sizing{ReorderPoint: 24, MOQ: 12}, 24},
		{"negative inputs ignored", Sizing{ReorderPoint: -5, SafetyStock: 3, Available: -10, OnOrder: -1, MOQ: 1}, 3},
		{"saturates at a moq multiple", Sizing{ReorderPoint: math.MaxInt64, SafetyStock: math.MaxInt64, MOQ: 10},
			(math.MaxInt64 / 10) * 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReorderQuantity(tt.in); got != tt.want {
				t.Fatalf("ReorderQuantity(%+v) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzReorderQuantity checks the sizing arithmetic for any inputs: never
// negative, always a multiple of the MOQ, zero exactly when nothing is
// needed, and never less than what is needed unless it saturated.
func FuzzReorderQuantity(f *testing.F) {
	f.Add(int64(10), int64(5), int64(20), int64(3), int64(0), int64(12))
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64), int64(0), int64(0), int64(7))
	f.Add(int64(-1), int64(math.MinInt64), int64(0), int64(math.MinInt64), int64(math.MaxInt64), int64(-3))
	f.Fuzz(func(t *testing.T, rp, ss, ltd, avail, onOrder, moq int64) {
		in := Sizing{ReorderPoint: rp, SafetyStock: ss, LeadTimeDemand: ltd, Available: avail, OnOrder: onOrder, MOQ: moq}
		got := ReorderQuantity(in)
		m := max(moq, 1)
		if got < 0 {
			t.Fatalf("negative: %d for %+v", got, in)
		}
		if got%m != 0 {
			t.Fatalf("%d is not a multiple of %d for %+v", got, m, in)
		}
		// The exact need, without overflow.
		need := new(big.Int)
		for _, v := range []int64{rp, ss, ltd} {
			need.Add(need, big.NewInt(max(v, 0)))
		}
		for _, v := range []int64{avail, onOrder} {
			need.Sub(need, big.NewInt(max(v, 0)))
		}
		g := big.NewInt(got)
		switch {
		case need.Sign() <= 0:
			if got != 0 {
				t.Fatalf("nothing needed (%v) but got %d for %+v", need, got, in)
			}
		case got == (math.MaxInt64/m)*m && g.Cmp(need) < 0:
			// saturated: the need does not fit in an int64 rounded to the MOQ
		default:
			over := new(big.Int).Sub(g, need)
			if over.Sign() < 0 || over.Cmp(big.NewInt(m)) >= 0 {
				t.Fatalf("%d does not round the need %v up to the moq %d", got, need, m)
			}
		}
	})
}

func TestDailySeries(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	sales := []soldUnits{
		{At: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), Quantity: 2},   // today, first instant
		{At: time.Date(2026, 3, 10, 14, 59, 0, 0, time.UTC), Quantity: 1}, // today
		{At: time.Date(2026, 3, 9, 23, 59, 59, 0, time.UTC), Quantity: 4}, // yesterday
		{At: time.Date(2026, 3, 8, 1, 0, 0, 0, time.UTC), Quantity: 3},    // first day of the window
		{At: time.Date(2026, 3, 7, 23, 0, 0, 0, time.UTC), Quantity: 50},  // before the window
		{At: time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC), Quantity: 50},  // after now's day
	}
	want := []int64{3, 4, 3}
	if d := cmp.Diff(want, dailySeries(sales, now, 3)); d != "" {
		t.Fatalf("(-want +got)\n%s", d)
	}
}
