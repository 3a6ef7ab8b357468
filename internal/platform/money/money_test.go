package money

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func eur(v int64) Amount { return Amount{Minor: v, Currency: "EUR"} }

func TestPercentRoundsHalfAwayFromZero(t *testing.T) {
	tests := []struct {
		name string
		in   int64
		bp   int64
		want int64
	}{
		{"exact", 1000, 2000, 200},
		{"half up", 25, 2000, 5},    // 5.0
		{"below half", 1249, 20, 2}, // 2.498
		{"half", 1250, 20, 3},       // 2.5 -> 3
		{"negative half", -1250, 20, -3},
		{"vat 21", 1999, 2100, 420}, // 419.79
		{"zero", 0, 1500, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := eur(tt.in).Percent(tt.bp)
			if err != nil {
				t.Fatal(err)
			}
			if got.Minor != tt.want {
				t.Errorf("Percent(%d, %d) = %d, want %d", tt.in, tt.bp, got.Minor, tt.want)
			}
		})
	}
}

func TestAllocateLargestRemainder(t *testing.T) {
	tests := []struct {
		name    string
		amount  int64
		weights []int64
		want    []int64
	}{
		{"even", 300, []int64{1, 1, 1}, []int64{100, 100, 100}},
		{"thirds", 100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{"weighted", 1000, []int64{1999, 999, 2}, []int64{666, 333, 1}},
		{"zero weights", 7, []int64{0, 0}, []int64{7, 0}},
		{"negative", -100, []int64{1, 1, 1}, []int64{-34, -33, -33}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, err := eur(tt.amount).Allocate(tt.weights)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]int64, len(parts))
			for i, p := range parts {
				got[i] = p.Minor
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Allocate (-want +got):\n%s", d)
			}
		})
	}
}

func TestArithmeticErrors(t *testing.T) {
	if _, err := eur(math.MaxInt64).Add(eur(1)); !errors.Is(err, ErrOverflow) {
		t.Errorf("Add overflow: %v", err)
	}
	if _, err := eur(1).Add(Amount{Minor: 1, Currency: "USD"}); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("Add mismatch: %v", err)
	}
	if _, err := eur(math.MaxInt64 / 2).Mul(3); !errors.Is(err, ErrOverflow) {
		t.Errorf("Mul overflow: %v", err)
	}
	if _, err := eur(math.MinInt64).Mul(1); !errors.Is(err, ErrOverflow) {
		t.Errorf("Mul MinInt64: %v", err)
	}
	if _, err := New(1, "XXX"); !errors.Is(err, ErrUnknownCurrency) {
		t.Errorf("New unknown currency: %v", err)
	}
}

func TestParseAndString(t *testing.T) {
	tests := []struct {
		in, cur string
		want    int64
		str     string
	}{
		{"19.99", "EUR", 1999, "19.99 EUR"},
		{"5", "EUR", 500, "5.00 EUR"},
		{"-0.5", "USD", -50, "-0.50 USD"},
		{"1200", "JPY", 1200, "1200 JPY"},
		{"1.234", "KWD", 1234, "1.234 KWD"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.cur)
		if err != nil || got.Minor != tt.want {
			t.Errorf("Parse(%q, %s) = %v, %v; want %d", tt.in, tt.cur, got, err, tt.want)
		}
		if got.String() != tt.str {
			t.Errorf("String() = %q, want %q", got.String(), tt.str)
		}
	}
	for _, bad := range []string{"", ".5", "1.", "1.999", "1e3", "abc", "--1", "99999999999999999999"} {
		if _, err := Parse(bad, "EUR"); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

// FuzzParse checks that whatever Parse accepts formats back to the same value.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"19.99", "0", "-1.5", "92233720368547758.07", "1.", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s, "EUR")
		if err != nil {
			return
		}
		str := a.String()
		back, err := Parse(str[:len(str)-4], "EUR")
		if err != nil || back != a {
			t.Fatalf("Parse(%q) = %v; String round trip gives %v, %v", s, a, back, err)
		}
	})
}

// FuzzAllocate checks that parts always sum to the whole and never differ from
// the exact share by a unit or more.
func FuzzAllocate(f *testing.F) {
	f.Add(int64(100), int64(1), int64(1), int64(1))
	f.Add(int64(-7), int64(0), int64(5), int64(9))
	f.Fuzz(func(t *testing.T, amount, w1, w2, w3 int64) {
		ws := []int64{w1 & 0xffffffff, w2 & 0xffffffff, w3 & 0xffffffff}
		if amount == math.MinInt64 {
			return
		}
		parts, err := eur(amount).Allocate(ws)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, p := range parts {
			sum += p.Minor
		}
		if sum != amount {
			t.Fatalf("Allocate(%d, %v) sums to %d", amount, ws, sum)
		}
	})
}

func TestFractionRoundsHalfAwayFromZero(t *testing.T) {
	tests := []struct {
		name     string
		a        int64
		num, den int64
		want     int64
	}{
		{"tax included at 20%", 1200, 2000, 12000, 200},
		{"half rounds up", 5, 1, 2, 3},
		{"below half rounds down", 4, 1, 3, 1},
		{"negative half rounds away", -5, 1, 2, -3},
		{"zero", 0, 7, 9, 0},
		{"large amount", math.MaxInt64, 1, 1, math.MaxInt64},
		{"tax included at 5.5% of 19.99", 1999, 550, 10550, 104},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := eur(tc.a).Fraction(tc.num, tc.den)
			if err != nil {
				t.Fatal(err)
			}
			if got != eur(tc.want) {
				t.Errorf("%d * %d / %d = %v, want %d", tc.a, tc.num, tc.den, got.Minor, tc.want)
			}
		})
	}
	if _, err := eur(math.MaxInt64).Fraction(2, 1); err == nil {
		t.Error("overflow not reported")
	}
	if _, err := eur(1).Fraction(1, 0); err == nil {
		t.Error("zero denominator not reported")
	}
}

// FuzzFraction checks Fraction against exact big-integer arithmetic.
func FuzzFraction(f *testing.F) {
	f.Add(int64(1999), int64(550), int64(10550))
	f.Add(int64(-7), int64(1), int64(2))
	f.Fuzz(func(t *testing.T, a, num, den int64) {
		if num < 0 || den <= 0 || a == math.MinInt64 {
			return
		}
		got, err := eur(a).Fraction(num, den)
		exact := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(a), big.NewInt(num)), big.NewInt(den))
		// Half away from zero: floor(|x| + 1/2) with the sign of x.
		abs := new(big.Rat).Abs(exact)
		abs.Add(abs, big.NewRat(1, 2))
		q := new(big.Int).Quo(abs.Num(), abs.Denom())
		if a < 0 {
			q.Neg(q)
		}
		if !q.IsInt64() {
			if err == nil {
				t.Fatalf("%d*%d/%d: want overflow, got %v", a, num, den, got)
			}
			return
		}
		if err != nil {
			t.Fatalf("%d*%d/%d: %v, want %d", a, num, den, err, q.Int64())
		}
		if got.Minor != q.Int64() {
			t.Fatalf("%d*%d/%d = %d, want %d", a, num, den, got.Minor, q.Int64())
		}
	})
}
