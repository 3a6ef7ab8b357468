package main

import (
	"fmt"

	storekeep "storekeep/clients/go"
)

// The contract does not yet mark Money's amount and currency required, so
// the generated fields are pointers. Every read and write of a Money goes
// through these three functions, so the day the contract is exact they
// become plain field accesses here and nowhere else.

// amountOf returns m's amount in minor units and whether it was present.
func amountOf(m storekeep.Money) (int, bool) {
	if m.Amount == nil {
		return 0, false
	}
	return *m.Amount, true
}

// currencyOf returns m's currency, "" when absent.
func currencyOf(m storekeep.Money) string {
	if m.Currency == nil {
		return ""
	}
	return *m.Currency
}

// newMoney builds an amount in minor units of currency.
func newMoney(amount int, currency string) storekeep.Money {
	return storekeep.Money{Amount: &amount, Currency: &currency}
}

// show formats m for the summary (two decimals, as EUR and USD have).
func show(m storekeep.Money) string {
	a, ok := amountOf(m)
	if !ok {
		return "? " + currencyOf(m)
	}
	return fmt.Sprintf("%d.%02d %s", a/100, a%100, currencyOf(m))
}
