// Package orders owns orders from the moment checkout creates one: the
// frozen lines and totals, the three state machines (status, payment_status,
// fulfillment_status) with only legal transitions, and the order timeline.
//
// Every transition is a guarded update (WHERE <state> IN (legal
// predecessors)) checked by rows affected, so two staff members, a provider
// webhook and the expiry job racing on one order can never both win, and an
// illegal transition is a 409 that changes nothing. Each transition writes a
// timeline row in the same transaction.
package orders
