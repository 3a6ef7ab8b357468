package events

// Types is the catalogue of event types the domains record (docs/events.md):
// what webhook endpoints may subscribe to and automations may start on.
// A domain that records a new type adds it here; the webhooks and
// automations tests check their lists against it.
var Types = []string{
	"order.created", "order.paid", "order.canceled", "order.fulfilled", "order.shipped", "order.delivered",
	"refund.created", "return.requested", "return.received",
	"inventory.low_stock", "purchase_order.created",
	"customer.created", "product.created", "product.updated", "cart.abandoned",
	"support.conversation.opened", "support.message.created", "support.conversation.closed",
	"discount.issued",
	"loyalty.tier_changed",
}
