package money

// exponents maps ISO 4217 codes to their minor-unit exponent. It holds the
// currencies a shop is likely to price in; an unknown code is rejected rather
// than guessed, because a wrong exponent mis-prices by a factor of 100.
var exponents = map[string]int{
	// zero-decimal
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	// three-decimal
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	// two-decimal
	"AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BRL": 2, "CAD": 2, "CHF": 2, "CNY": 2,
	"COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2,
	"IDR": 2, "ILS": 2, "INR": 2, "MAD": 2, "MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2,
	"NZD": 2, "PEN": 2, "PHP": 2, "PKR": 2, "PLN": 2, "QAR": 2, "RON": 2, "RSD": 2,
	"SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TRY": 2, "TWD": 2, "UAH": 2, "USD": 2,
	"ZAR": 2,
}

// Exponent returns the number of minor-unit digits of an ISO 4217 currency.
func Exponent(currency string) (int, bool) {
	e, ok := exponents[currency]
	return e, ok
}

// ValidCurrency reports whether code is a supported ISO 4217 currency code
// (upper case, as stored).
func ValidCurrency(code string) bool {
	_, ok := exponents[code]
	return ok
}
