// Package checkout owns what a shopper meets between browsing and the order:
// regions (currency, countries, tax), shipping options, promotions and
// discount codes, carts with their totals, and the checkout that turns a cart
// into an order. It computes every price, discount, shipping charge and tax
// itself from stored data: a client never sends an amount that is trusted.
//
// Stock comes from the inventory service (reservations), payments from the
// payments service, and the order is created by the orders service, each
// through the small interfaces declared in this package.
package checkout
