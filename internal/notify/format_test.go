package notify

import (
	"testing"
	"time"
)

func TestFormatMoneyPerLocale(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		loc      string
		minor    int64
		currency string
		want     string
	}{
		{"en", 1999, "EUR", "€19.99"},
		{"fr", 1999, "EUR", "19,99\u00a0€"},
		{"en", 123456789, "USD", "$1,234,567.89"},
		{"fr", 123456789, "EUR", "1\u202f234\u202f567,89\u00a0€"},
		{"fr", 1999, "USD", "19,99\u00a0$US"},
		{"en", 5, "EUR", "€0.05"},
		{"en", -1250, "GBP", "-£12.50"},
		{"en", 1500, "JPY", "¥1,500"},
		{"fr", 1500, "JPY", "1\u202f500\u00a0JPY"},
		{"en", 1000, "CHF", "CHF 10.00"},
		{"en", 0, "EUR", "€0.00"},
	} {
		if got := formatMoney(tt.loc, tt.minor, tt.currency); got != tt.want {
			t.Errorf("formatMoney(%s, %d, %s) = %q, want %q", tt.loc, tt.minor, tt.currency, got, tt.want)
		}
	}
}

func TestFormatPercentDateAndDiscount(t *testing.T) {
	t.Parallel()
	if got := formatPercent("en", 1500); got != "15%" {
		t.Errorf("en 1500 bp = %q", got)
	}
	if got := formatPercent("fr", 1250); got != "12,5\u202f%" {
		t.Errorf("fr 1250 bp = %q", got)
	}
	d := time.Date(2025, 3, 5, 23, 0, 0, 0, time.UTC)
	if got := formatDate("en", d); got != "March 5, 2025" {
		t.Errorf("en date = %q", got)
	}
	if got := formatDate("fr", d); got != "5 mars 2025" {
		t.Errorf("fr date = %q", got)
	}
	promo := map[string]any{"type": "fixed", "amounts": []any{
		map[string]any{"amount": 1000.0, "currency": "USD"}, map[string]any{"amount": 900.0, "currency": "EUR"}}}
	if got, err := formatDiscount("fr", promo, "EUR"); err != nil || got != "9,00\u00a0€" {
		t.Errorf("fixed discount in EUR = %q, %v", got, err)
	}
	if got, err := formatDiscount("en", map[string]any{"type": "free_shipping"}); err != nil || got != "free shipping" {
		t.Errorf("free shipping = %q, %v", got, err)
	}
	if _, err := formatDiscount("en", "nope"); err == nil {
		t.Error("a string is not a promotion")
	}
}

func TestTrackingURL(t *testing.T) {
	t.Parallel()
	if got := TrackingURL(" Colissimo ", "6A 123"); got != "https://www.laposte.fr/outils/suivre-vos-envois?code=6A+123" {
		t.Errorf("colissimo = %q", got)
	}
	if got := TrackingURL("Royal Mail", "AB1"); got != "https://www.royalmail.com/track-your-item#/tracking-results/AB1" {
		t.Errorf("royal mail = %q", got)
	}
	if got := TrackingURL("Bike courier", "42"); got != "" {
		t.Errorf("unknown carrier = %q, want none", got)
	}
}
