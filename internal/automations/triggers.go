package automations

import "slices"

// What a trigger's event lets a rule know and do.
type scope int

const (
	// scopeNone: the event is about neither a customer nor an order
	// (stock, purchasing, catalog).
	scopeNone scope = iota
	// scopeCustomer: the event names a customer (or, for a guest, at least
	// an e-mail address): customer conditions, e-mail and customer actions.
	scopeCustomer
	// scopeOrder: the event is about an order (or a refund or return of
	// one): order conditions too.
	scopeOrder
)

// triggers are the event types a rule may start on, with their scope. They
// are the types the domains record (docs/events.md).
var triggers = map[string]scope{
	"order.created":               scopeOrder,
	"order.paid":                  scopeOrder,
	"order.canceled":              scopeOrder,
	"order.fulfilled":             scopeOrder,
	"order.shipped":               scopeOrder,
	"order.delivered":             scopeOrder,
	"refund.created":              scopeOrder,
	"return.requested":            scopeOrder,
	"return.received":             scopeOrder,
	"customer.created":            scopeCustomer,
	"cart.abandoned":              scopeCustomer,
	"discount.issued":             scopeCustomer,
	"loyalty.tier_changed":        scopeCustomer,
	"support.conversation.opened": scopeCustomer,
	"support.message.created":     scopeCustomer,
	"support.conversation.closed": scopeCustomer,
	"inventory.low_stock":         scopeNone,
	"purchase_order.created":      scopeNone,
	"product.created":             scopeNone,
	"product.updated":             scopeNone,
}

// Triggers lists the event types a rule may start on, sorted.
func Triggers() []string {
	out := make([]string, 0, len(triggers))
	for t := range triggers {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// templates are the e-mail templates send_email may name (the notify
// domain's template names).
var templates = []string{"order_confirmation", "order_shipped", "refund_issued", "support_reply",
	"discount_issued", "loyalty_tier_changed", "cart_reminder"}
