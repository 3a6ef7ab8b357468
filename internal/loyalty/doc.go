// Package loyalty is the loyalty programme (docs/loyalty.md): points earned
// on fulfilled orders and reversed by refunds in proportion, redeemed at
// checkout as a discount, expired oldest first, adjusted by staff, and VIP
// tiers by rolling 12-month spend. Every change is a row of an append-only
// ledger; loyalty_accounts keeps each customer's balance (the ledger's sum)
// so that spending is one guarded UPDATE.
package loyalty
