// Package money is Storekeep's only arithmetic on amounts: integer minor units
// with an ISO 4217 currency, never floats. Every operation that could overflow
// int64 or mix currencies returns an error instead of a wrong number, and the
// one rounding rule (half away from zero) lives in Percent.
package money

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// Amount is an amount of money in minor units (cents for EUR, yen for JPY).
type Amount struct {
	// Minor units of the currency, e.g. 1999 for 19.99 EUR.
	Minor int64 `json:"amount" binding:"required" format:"int64" example:"1999"`
	// ISO 4217 code, upper case.
	Currency string `json:"currency" binding:"required" example:"EUR"`
} // @name Money

// Errors returned by the arithmetic.
var (
	ErrOverflow         = errors.New("money: amount out of range")
	ErrCurrencyMismatch = errors.New("money: currencies differ")
	ErrUnknownCurrency  = errors.New("money: unknown currency")
	ErrSyntax           = errors.New("money: malformed amount")
)

// New returns an Amount, checking the currency.
func New(minor int64, currency string) (Amount, error) {
	if !ValidCurrency(currency) {
		return Amount{}, fmt.Errorf("%w %q", ErrUnknownCurrency, currency)
	}
	return Amount{Minor: minor, Currency: currency}, nil
}

// Zero returns a zero amount in currency.
func Zero(currency string) Amount { return Amount{Currency: currency} }

// Add returns a+b; both must be in the same currency.
func (a Amount) Add(b Amount) (Amount, error) {
	if a.Currency != b.Currency {
		return Amount{}, ErrCurrencyMismatch
	}
	s, ok := addInt(a.Minor, b.Minor)
	if !ok {
		return Amount{}, ErrOverflow
	}
	return Amount{Minor: s, Currency: a.Currency}, nil
}

// Sub returns a-b; both must be in the same currency.
func (a Amount) Sub(b Amount) (Amount, error) {
	if b.Minor == math.MinInt64 {
		return Amount{}, ErrOverflow
	}
	return a.Add(Amount{Minor: -b.Minor, Currency: b.Currency})
}

// Mul returns a*n, as for a line of n units.
func (a Amount) Mul(n int64) (Amount, error) {
	hi, lo := bits.Mul64(uint64(abs(a.Minor)), uint64(abs(n)))
	if hi != 0 || lo > math.MaxInt64 {
		return Amount{}, ErrOverflow
	}
	p := int64(lo)
	if (a.Minor < 0) != (n < 0) {
		p = -p
	}
	return Amount{Minor: p, Currency: a.Currency}, nil
}

// Percent returns a * bp / 10000 (bp in basis points: 2000 = 20%), rounded half
// away from zero. This is the single rounding rule for tax and percentage discounts.
func (a Amount) Percent(bp int64) (Amount, error) {
	p, err := a.Mul(bp)
	if err != nil {
		return Amount{}, err
	}
	q, r := p.Minor/10000, p.Minor%10000
	if r >= 5000 {
		q++
	} else if r <= -5000 {
		q--
	}
	return Amount{Minor: q, Currency: a.Currency}, nil
}

// Fraction returns a * num / den, rounded half away from zero (the same rule
// as Percent), computed in 128 bits so no intermediate product overflows. It
// is how tax included in a price is taken out: a.Fraction(rate, 10000+rate).
// num must be >= 0 and den > 0.
func (a Amount) Fraction(num, den int64) (Amount, error) {
	if num < 0 || den <= 0 {
		return Amount{}, fmt.Errorf("money: bad fraction %d/%d", num, den)
	}
	amt := abs(a.Minor)
	hi, lo := bits.Mul64(uint64(amt), uint64(num))
	if hi >= uint64(den) {
		return Amount{}, ErrOverflow
	}
	q, r := bits.Div64(hi, lo, uint64(den))
	if q > math.MaxInt64 {
		return Amount{}, ErrOverflow
	}
	// Round half away from zero: r/den >= 1/2, compared without overflow.
	if r >= uint64(den)-r {
		q++
	}
	if q > math.MaxInt64 {
		return Amount{}, ErrOverflow
	}
	out := int64(q)
	if a.Minor < 0 {
		out = -out
	}
	return Amount{Minor: out, Currency: a.Currency}, nil
}

// Allocate splits a across weights in proportion, using the largest-remainder
// method so the parts always add up to a exactly. Ties go to the earlier weight.
// Weights must be non-negative; if they sum to zero, everything goes to the first.
func (a Amount) Allocate(weights []int64) ([]Amount, error) {
	parts := make([]Amount, len(weights))
	if len(weights) == 0 {
		return parts, nil
	}
	var total int64
	for _, w := range weights {
		if w < 0 {
			return nil, fmt.Errorf("money: negative weight %d", w)
		}
		var ok bool
		if total, ok = addInt(total, w); !ok {
			return nil, ErrOverflow
		}
	}
	for i := range parts {
		parts[i].Currency = a.Currency
	}
	if total == 0 {
		parts[0].Minor = a.Minor
		return parts, nil
	}
	sign := int64(1)
	amt := a.Minor
	if amt < 0 {
		sign, amt = -1, -amt
	}
	rems := make([]uint64, len(weights))
	var given int64
	for i, w := range weights {
		// amt*w/total computed in 128 bits so large amounts cannot overflow.
		hi, lo := bits.Mul64(uint64(amt), uint64(w))
		q, r := bits.Div64(hi, lo, uint64(total))
		parts[i].Minor = int64(q)
		rems[i] = r
		given += int64(q)
	}
	for left := amt - given; left > 0; left-- {
		best := 0
		for i := range rems {
			if rems[i] > rems[best] {
				best = i
			}
		}
		parts[best].Minor++
		rems[best] = 0
	}
	for i := range parts {
		parts[i].Minor *= sign
	}
	return parts, nil
}

// Parse reads a decimal string such as "19.99" or "-5" in currency's units into
// minor units. More fraction digits than the currency has is an error, never a
// silent rounding.
func Parse(s, currency string) (Amount, error) {
	exp, ok := Exponent(currency)
	if !ok {
		return Amount{}, fmt.Errorf("%w %q", ErrUnknownCurrency, currency)
	}
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(body, ".")
	if whole == "" || (hasDot && frac == "") || len(frac) > exp {
		return Amount{}, ErrSyntax
	}
	var v int64
	for _, part := range []string{whole, frac + strings.Repeat("0", exp-len(frac))} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return Amount{}, ErrSyntax
			}
			hi, lo := bits.Mul64(uint64(v), 10)
			if hi != 0 || lo > math.MaxInt64-9 {
				return Amount{}, ErrOverflow
			}
			v = int64(lo) + int64(c-'0')
		}
	}
	if neg {
		v = -v
	}
	return Amount{Minor: v, Currency: currency}, nil
}

// String formats a as a decimal with its currency, e.g. "19.99 EUR".
func (a Amount) String() string {
	exp, _ := Exponent(a.Currency)
	sign := ""
	u := uint64(a.Minor)
	if a.Minor < 0 {
		sign, u = "-", uint64(-(a.Minor+1))+1
	}
	if exp == 0 {
		return fmt.Sprintf("%s%d %s", sign, u, a.Currency)
	}
	p := uint64(math.Pow10(exp))
	return fmt.Sprintf("%s%d.%0*d %s", sign, u/p, exp, u%p, a.Currency)
}

func addInt(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

func abs(v int64) int64 {
	if v < 0 {
		return -v // MinInt64 stays negative; Mul's range check then rejects it
	}
	return v
}
