package notify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"storekeep/internal/platform/money"
)

// Typographic spaces of French money and percentages (CLDR): a no-break
// space before the symbol, a narrow no-break space between thousands.
const (
	nbsp       = "\u00a0"
	narrowNbsp = "\u202f"
)

// symbols are the currency signs per locale; a currency missing here is
// written with its ISO code.
var symbols = map[string]map[string]string{
	"en": {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$"},
	"fr": {"EUR": "€", "USD": "$US", "GBP": "£GB", "CAD": "$CA", "AUD": "$AU"},
}

// formatMoney writes minor units of currency the way loc reads them:
// "€1,234.50" in English, "1 234,50 €" in French.
func formatMoney(loc string, minor int64, currency string) string {
	exp, ok := money.Exponent(currency)
	if !ok {
		exp = 2
	}
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = uint64(-minor) // two's complement: right for MinInt64 too
	}
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-exp], digits[len(digits)-exp:]
	group, dec := ",", "."
	if loc == "fr" {
		group, dec = narrowNbsp, ","
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	num := b.String()
	if frac != "" {
		num += dec + frac
	}
	sign := ""
	if neg {
		sign = "-"
	}
	sym, known := symbols[loc][currency]
	switch {
	case loc == "fr":
		if !known {
			sym = currency
		}
		return sign + num + nbsp + sym
	case known:
		return sign + sym + num
	default:
		return sign + currency + " " + num
	}
}

// formatPercent writes basis points (1500 = 15 %) as a percentage.
func formatPercent(loc string, bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if r := bp % 100; r != 0 {
		if r < 0 {
			r = -r
		}
		frac := strings.TrimRight(fmt.Sprintf("%02d", r), "0")
		sep := "."
		if loc == "fr" {
			sep = ","
		}
		s += sep + frac
	}
	if loc == "fr" {
		return s + narrowNbsp + "%"
	}
	return s + "%"
}

var frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// formatDate writes the day of t (UTC) in loc: "March 5, 2025", "5 mars 2025".
func formatDate(loc string, t time.Time) string {
	t = t.UTC()
	if loc == "fr" {
		return fmt.Sprintf("%d %s %d", t.Day(), frMonths[t.Month()-1], t.Year())
	}
	return t.Format("January 2, 2006")
}

// amountOf reads a Money value as templates hold it: decoded JSON
// ({"amount": 1999, "currency": "EUR"}) or a money.Amount.
func amountOf(v any) (money.Amount, error) {
	switch a := v.(type) {
	case money.Amount:
		return a, nil
	case *money.Amount:
		if a != nil {
			return *a, nil
		}
	case map[string]any:
		cur, _ := a["currency"].(string)
		n, err := intOf(a["amount"])
		if err != nil || cur == "" {
			break
		}
		return money.Amount{Minor: n, Currency: cur}, nil
	}
	return money.Amount{}, fmt.Errorf("money: %v is not an amount with a currency", v)
}

// intOf reads a whole number from decoded JSON.
func intOf(v any) (int64, error) {
	switch n := v.(type) {
	case json.Number:
		return n.Int64()
	case float64:
		if n == float64(int64(n)) {
			return int64(n), nil
		}
	case int:
		return int64(n), nil
	case int64:
		return n, nil
	}
	return 0, fmt.Errorf("%v is not a whole number", v)
}

// timeOf reads a time from decoded JSON (RFC 3339) or a time.Time.
func timeOf(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case *time.Time:
		if t != nil {
			return *t, nil
		}
	case string:
		return time.Parse(time.RFC3339Nano, t)
	}
	return time.Time{}, fmt.Errorf("date: %v is not a time", v)
}

// words are the few fixed phrases the template functions write.
var words = map[string]map[string]string{
	"en": {"free_shipping": "free shipping"},
	"fr": {"free_shipping": "livraison offerte"},
}

// formatDiscount describes a promotion's value: "15%", "€10.00" (the first
// fixed amount, or the one in currency when given), "free shipping".
func formatDiscount(loc string, promo any, currency ...string) (string, error) {
	p, ok := promo.(map[string]any)
	if !ok {
		return "", fmt.Errorf("discount: %v is not a promotion", promo)
	}
	switch p["type"] {
	case "percentage":
		bp, err := intOf(p["percentage"])
		if err != nil {
			return "", fmt.Errorf("discount: percentage: %w", err)
		}
		return formatPercent(loc, bp), nil
	case "fixed":
		amounts, _ := p["amounts"].([]any)
		for _, a := range amounts {
			m, err := amountOf(a)
			if err != nil {
				return "", fmt.Errorf("discount: %w", err)
			}
			if len(currency) == 0 || currency[0] == m.Currency {
				return formatMoney(loc, m.Minor, m.Currency), nil
			}
		}
		return "", fmt.Errorf("discount: the promotion has no amount in %v", currency)
	case "free_shipping":
		return words[loc]["free_shipping"], nil
	}
	return "", fmt.Errorf("discount: unknown promotion type %v", p["type"])
}
