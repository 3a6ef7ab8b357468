package orders

// What canceling an order's unfulfilled remainder gives back is computed
// from the order's frozen lines, never from current prices:
//
//   - a line's units each cost its total (after discounts, with tax) split
//     by largest remainder: total/quantity each, the first total%quantity
//     units one minor unit more (unitsShare, the rule returns use), so the
//     units of a line always add up to exactly its total;
//   - canceled units are the line's last units, and returns count from its
//     first ones (only fulfilled units are returned, and fulfilled plus
//     canceled never exceed the quantity), so a unit is never both refunded
//     by a return and by a cancellation;
//   - shipping is kept: the shipped part of the order used it. (An order
//     of which nothing was fulfilled is canceled whole instead, shipping
//     included.)
//   - the canceled share of an order is capped at what is left of its total
//     after earlier cancellations, so the canceled and the kept shares always
//     add up to the total paid and neither is ever negative.

// remainderLine is one line's part of a canceled remainder.
type remainderLine struct {
	ItemID    string
	VariantID string
	// Units are the line's units neither fulfilled nor canceled.
	Units int64
	// Amount is what those units cost (canceledShare).
	Amount int64
}

// canceledShare is what the next n canceled units of a line cost: units
// [quantity-canceled-n, quantity-canceled) of it, priced by unitsShare.
func canceledShare(total, quantity, canceled, n int64) int64 {
	return unitsShare(total, quantity, quantity-canceled-n, n)
}

// remainderOf is what canceling the order's unfulfilled remainder cancels:
// per line, the units neither fulfilled nor canceled and their share; the
// total amount, capped at what is left of orderTotal once canceledTotal
// (earlier cancellations) is taken off.
func remainderOf(orderTotal, canceledTotal int64, items []itemRow) (lines []remainderLine, units, amount int64) {
	for _, it := range items {
		n := it.Quantity - it.FulfilledQuantity - it.CanceledQuantity
		if n <= 0 {
			continue
		}
		share := canceledShare(it.Total, it.Quantity, it.CanceledQuantity, n)
		lines = append(lines, remainderLine{ItemID: it.ID, VariantID: it.VariantID, Units: n, Amount: share})
		units += n
		amount += share
	}
	amount = max(0, min(amount, orderTotal-canceledTotal))
	return lines, units, amount
}
