package inventory

import "slices"

// POStatus is where a purchase order is in its life.
type POStatus string // @name PurchaseOrderStatus

// The purchase order statuses.
const (
	PODraft             POStatus = "draft"              // being put together; lines may change
	POSent              POStatus = "sent"               // ordered from the supplier
	POPartiallyReceived POStatus = "partially_received" // some goods arrived
	POReceived          POStatus = "received"           // every line arrived in full (final)
	POCanceled          POStatus = "canceled"           // abandoned before anything arrived (final)
)

// poTransitions is the only list of legal status changes. Every status
// change is a guarded UPDATE ... WHERE status IN (the sources of the target),
// so a concurrent change can never take an order along an edge not listed
// here. partially_received -> partially_received is a further partial
// receipt. A canceled order had nothing received: canceling after goods
// arrived would strand stock in the ledger without an order behind it.
var poTransitions = map[POStatus][]POStatus{
	PODraft:             {POSent, POCanceled},
	POSent:              {POPartiallyReceived, POReceived, POCanceled},
	POPartiallyReceived: {POPartiallyReceived, POReceived},
	POReceived:          nil,
	POCanceled:          nil,
}

// canMove reports whether an order may go from one status to another.
func (from POStatus) canMove(to POStatus) bool {
	return slices.Contains(poTransitions[from], to)
}

// sourcesOf lists the statuses an order may reach to from, in a stable
// order, for guarded updates.
func sourcesOf(to POStatus) []string {
	var out []string
	for _, from := range []POStatus{PODraft, POSent, POPartiallyReceived, POReceived, POCanceled} {
		if from.canMove(to) {
			out = append(out, string(from))
		}
	}
	return out
}

// valid reports whether st is a known status.
func (st POStatus) valid() bool {
	_, ok := poTransitions[st]
	return ok
}
