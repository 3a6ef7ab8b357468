package main

import (
	"fmt"

	storekeep "storekeep/clients/go"
)

// Every read and write of a Money goes through these functions: amounts
// are int64 minor units in the contract, plain ints in the checks.

// amountOf returns m's amount in minor units (always present: the contract
// marks it required).
func amountOf(m storekeep.Money) (int, bool) { return int(m.Amount), true }

// currencyOf returns m's currency.
func currencyOf(m storekeep.Money) string { return m.Currency }

// newMoney builds an amount in minor units of currency.
func newMoney(amount int, currency string) storekeep.Money {
	return storekeep.Money{Amount: int64(amount), Currency: currency}
}

// show formats m for the summary (two decimals, as EUR and USD have).
func show(m storekeep.Money) string {
	a, ok := amountOf(m)
	if !ok {
		return "? " + currencyOf(m)
	}
	return fmt.Sprintf("%d.%02d %s", a/100, a%100, currencyOf(m))
}
