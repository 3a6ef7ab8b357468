package main

import (
	"github.com/getkin/kin-openapi/openapi3"

	"storekeep/internal/catalog"
)

// Free-form values (Go map[string]any, a raw webhook body) reach swag as
// untyped objects; these give them the types the server actually accepts
// and sends, so generated clients are not left with `any`.

// described sets s's description and returns s.
func described(s *openapi3.Schema, desc string) *openapi3.Schema {
	s.Description = desc
	return s
}

// componentRef adds schema as a component and returns a reference to it.
func componentRef(doc *openapi3.T, name string, schema *openapi3.Schema) *openapi3.SchemaRef {
	doc.Components.Schemas[name] = &openapi3.SchemaRef{Value: schema}
	return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: schema}
}

// isFreeForm tells whether s is an object anything fits: no properties, and
// additional properties of any type (swag's map[string]any) or unsaid.
func isFreeForm(s *openapi3.Schema) bool {
	if !s.Type.Is("object") || len(s.Properties) > 0 {
		return false
	}
	ap := s.AdditionalProperties
	if ap.Has != nil {
		return *ap.Has
	}
	return ap.Schema == nil || ap.Schema.Value == nil || ap.Schema.Value.IsEmpty()
}

// attributeValues types product attributes (catalog's attributes check):
// each value is a string, a number, a boolean or a list of strings. Each
// kind is a named component so generators name the union's members
// (AsAttributeString, not AsAttributeValue0).
func attributeValues(doc *openapi3.T) {
	kinds := openapi3.SchemaRefs{
		componentRef(doc, "AttributeString", described(openapi3.NewStringSchema().WithMaxLength(catalog.MaxAttrStringLen),
			"A text attribute value, at most 500 characters.")),
		componentRef(doc, "AttributeNumber", described(openapi3.NewFloat64Schema().WithFormat("double"),
			"A number attribute value, finite; 3 and 3.0 are the same value.")),
		componentRef(doc, "AttributeBoolean", described(openapi3.NewBoolSchema(), "A yes/no attribute value.")),
		componentRef(doc, "AttributeStringList", described(openapi3.NewArraySchema().
			WithItems(openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(catalog.MaxAttrStringLen)).
			WithMaxItems(catalog.MaxAttrListLen), "A list attribute value: at most 50 non-empty strings of at most 500 characters.")),
	}
	ref := componentRef(doc, "AttributeValue", &openapi3.Schema{
		Description: "A product attribute's value: a string, a number, a boolean or a list of strings.",
		OneOf:       kinds,
	})
	for _, name := range sortedKeys(doc.Components.Schemas) {
		s := doc.Components.Schemas[name].Value
		if attrs := s.Properties["attributes"]; attrs != nil && attrs.Value != nil && isFreeForm(attrs.Value) {
			attrs.Value.AdditionalProperties = openapi3.AdditionalProperties{Schema: ref}
			attrs.Value.MaxProps = openapi3.Uint64Ptr(catalog.MaxAttributes)
			if attrs.Value.Description == "" {
				attrs.Value.Description = "Attributes are free-form key/value pairs: keys are lower-case " +
					"letters, digits and underscores (starting with a letter, at most 64 characters), at most 50 of them."
			}
		}
	}
}

// orderEventData types an order timeline entry's data: the keys the orders
// service records (internal/orders, each call to record), all optional since
// each entry type carries some of them. TestOrderEventDataKeys keeps the list
// and the code in step.
func orderEventData(doc *openapi3.T) {
	ev := doc.Components.Schemas["OrderEvent"]
	if ev == nil || ev.Value.Properties["data"] == nil || !isFreeForm(ev.Value.Properties["data"].Value) {
		return
	}
	str := func(desc string) *openapi3.SchemaRef {
		return described(openapi3.NewStringSchema(), desc).NewRef()
	}
	minor := func(desc string) *openapi3.SchemaRef {
		return described(openapi3.NewInt64Schema(), desc+" (minor units of currency)").NewRef()
	}
	count := func(desc string) *openapi3.SchemaRef {
		return described(openapi3.NewInt64Schema(), desc).NewRef()
	}
	nullable := func(r *openapi3.SchemaRef) *openapi3.SchemaRef { r.Value.Nullable = true; return r }
	item := &openapi3.Schema{
		Type:     &openapi3.Types{openapi3.TypeObject},
		Required: []string{"amount", "item_id", "quantity"},
		Properties: openapi3.Schemas{
			"item_id":  str("the order line"),
			"quantity": count("units of the line canceled"),
			"amount":   minor("the line's share of the canceled amount"),
		},
		Description: "One line of a canceled remainder.",
	}
	settlement := described(openapi3.NewStringSchema().WithEnum("capture_reduced", "refunded", "none"),
		"how a canceled remainder's money was settled: the capture was reduced, the share "+
			"was refunded, or nothing was owed (order.remainder_settled)")
	data := &openapi3.Schema{
		Type: &openapi3.Types{openapi3.TypeObject},
		Description: "What an order timeline entry records. Each entry type carries some of these keys " +
			"(docs/orders.md lists which); clients should ignore keys they do not know.",
		Properties: openapi3.Schemas{
			"from": str("the state before: order.<status|payment_status|fulfillment_status>.<to> " +
				"entries, and order.canceled, order.expired, order.payment_failed, order.stock_expired"),
			"to":     str("the state after (order.<status|payment_status|fulfillment_status>.<to>)"),
			"number": str("the order number (order.placed)"),
			"payment_status": str("the payment's status: when the order was placed (order.placed) or " +
				"when money arrived for a canceled order (payment.after_cancel)"),
			"total":    minor("the order's total (order.placed)"),
			"currency": str("the currency of the amounts in this entry (ISO 4217)"),
			"amount": minor("the amount concerned: refunded (refund.created, return.refunded) or " +
				"canceled (order.remainder_canceled, order.remainder_settled)"),
			"refund_amount": nullable(minor("the refund a return (return.received) or a canceled remainder " +
				"(order.remainder_settled; null when no refund was fixed) comes to")),
			"units":           count("units concerned (fulfillment.*, return.*, order.remainder_canceled)"),
			"restocked":       count("units put back on sale (return.received)"),
			"reason":          str("the reason given (refund.created, return.requested)"),
			"error":           str("why a payment step failed (payment.capture_failed, payment.settle_failed, return.refund_failed)"),
			"cancellation_id": str("the canceled remainder (order.remainder_*, payment.settle_failed)"),
			"fulfillment_id":  str("the fulfilment (fulfillment.*)"),
			"warehouse_id":    str("the warehouse (fulfillment.created, fulfillment.canceled, return.received)"),
			"return_id":       nullable(str("the return (return.*; on refund.created, null unless the refund is for a return)")),
			"refund_id":       str("the refund (refund.created)"),
			"payment_id":      str("the payment (payment.after_cancel)"),
			"carrier":         str("the carrier (fulfillment.<status>)"),
			"tracking_number": str("the tracking number (fulfillment.<status>)"),
			"settlement":      settlement.NewRef(),
			"items": described(openapi3.NewArraySchema().WithItems(item),
				"the lines canceled (order.remainder_canceled)").NewRef(),
		},
	}
	ev.Value.Properties["data"] = componentRef(doc, "OrderEventData", data)
	data.Properties["items"].Value.Items = componentRef(doc, "OrderEventItem", item)
}

// paymentWebhookBody says what the payment webhook route reads: the test
// provider's event (annotated from payments.TestWebhookEvent) or Stripe's
// Event object, whichever the {provider} path parameter names. The two
// cannot be confused: only the test event has provider_ref, only Stripe's
// has object and data.
func paymentWebhookBody(doc *openapi3.T) {
	test := doc.Components.Schemas["TestPaymentEvent"]
	op := doc.Paths.Find("/v1/webhooks/payments/{provider}")
	if test == nil || op == nil || op.Post == nil || op.Post.RequestBody == nil {
		return
	}
	body := op.Post.RequestBody.Value.Content["application/json"]
	if body == nil || body.Schema == nil || body.Schema.Ref != "#/components/schemas/TestPaymentEvent" {
		return
	}
	intent := &openapi3.Schema{
		Type: &openapi3.Types{openapi3.TypeObject},
		Description: "The object the event is about: for payment_intent.* events the PaymentIntent " +
			"(the fields Storekeep reads are listed).",
		Required: []string{"id"},
		Properties: openapi3.Schemas{
			"id":                described(openapi3.NewStringSchema(), "the object's id (pi_... for a PaymentIntent)").NewRef(),
			"amount":            openapi3.NewInt64Schema().NewRef(),
			"amount_capturable": openapi3.NewInt64Schema().NewRef(),
			"amount_received":   openapi3.NewInt64Schema().NewRef(),
			"currency":          described(openapi3.NewStringSchema(), "lower case, as Stripe writes it").NewRef(),
		},
	}
	stripe := &openapi3.Schema{
		Type: &openapi3.Types{openapi3.TypeObject},
		Description: "Stripe's Event object (https://docs.stripe.com/api/events/object), verified with the " +
			"Stripe-Signature header. payment_intent.amount_capturable_updated, payment_intent.succeeded and " +
			"payment_intent.payment_failed move a payment; other types are recorded and ignored.",
		Required: []string{"data", "id", "object", "type"},
		Properties: openapi3.Schemas{
			"id":     described(openapi3.NewStringSchema(), "the event's id; each id is applied once").NewRef(),
			"object": openapi3.NewStringSchema().WithEnum("event").NewRef(),
			"type":   openapi3.NewStringSchema().NewRef(),
			"data": (&openapi3.Schema{
				Type:       &openapi3.Types{openapi3.TypeObject},
				Required:   []string{"object"},
				Properties: openapi3.Schemas{"object": intent.NewRef()},
			}).NewRef(),
		},
	}
	body.Schema = &openapi3.SchemaRef{Value: &openapi3.Schema{OneOf: openapi3.SchemaRefs{
		{Ref: "#/components/schemas/TestPaymentEvent", Value: test.Value},
		componentRef(doc, "StripeEvent", stripe),
	}}}
}

// eventResources are the components an event's data can be, by the event
// types that carry them (docs/events.md).
var eventResources = []string{"Order", "Refund", "Return", "PurchaseOrder", "CustomerDetail", "AdminProduct", "Cart"}

// eventData types an event's data (GET /v1/admin/events): the resource as
// the API returns it, one of eventResources, or EventDocument, the small
// documents of the events whose resource has no schema of its own
// (inventory.low_stock, support.*). resource_type says which: the union has
// no discriminator inside data.
func eventData(doc *openapi3.T) {
	ev := doc.Components.Schemas["Event"]
	if ev == nil || ev.Value.Properties["data"] == nil || !isFreeForm(ev.Value.Properties["data"].Value) {
		return
	}
	str := func(desc string) *openapi3.SchemaRef { return described(openapi3.NewStringSchema(), desc).NewRef() }
	num := func(desc string) *openapi3.SchemaRef { return described(openapi3.NewInt64Schema(), desc).NewRef() }
	nullable := func(r *openapi3.SchemaRef) *openapi3.SchemaRef { r.Value.Nullable = true; return r }
	other := &openapi3.Schema{
		Type: &openapi3.Types{openapi3.TypeObject},
		Description: "The document of an event whose resource has no schema of its own: inventory.low_stock " +
			"(the stock level that fell to its reorder point) and support.conversation.opened, " +
			"support.message.created, support.conversation.closed (ids and small facts, never a message's " +
			"text). Each carries the keys that apply to it; clients should ignore keys they do not know.",
		Properties: openapi3.Schemas{
			"variant_id":      str("the variant (inventory.low_stock)"),
			"warehouse_id":    str("the warehouse (inventory.low_stock)"),
			"on_hand":         num("units on the shelf (inventory.low_stock)"),
			"reserved":        num("units held for orders (inventory.low_stock)"),
			"available":       num("on_hand - reserved (inventory.low_stock)"),
			"reorder_point":   num("the level's reorder point (inventory.low_stock)"),
			"safety_stock":    num("the level's safety stock (inventory.low_stock)"),
			"conversation_id": str("the conversation (support.*)"),
			"message_id":      str("the message (support.message.created)"),
			"seq":             num("the message's number in its conversation (support.message.created)"),
			"author":          str("customer, guest, agent, bot or system (support.message.created)"),
			"author_id":       nullable(str("the author's id when it has one (support.message.created)")),
			"internal":        described(openapi3.NewBoolSchema(), "an agents-only note (support.message.created)").NewRef(),
			"customer_id":     nullable(str("the conversation's customer, null for a guest (support.*)")),
			"order_id":        nullable(str("the order the conversation is about (support.conversation.*)")),
			"status":          str("the conversation's status (support.conversation.*)"),
			"channel":         str("the conversation's channel (support.conversation.*)"),
			"locale":          str("the conversation's locale (support.conversation.*)"),
			"assignee_id":     nullable(str("the agent it is assigned to (support.conversation.*)")),
		},
	}
	union := &openapi3.Schema{Description: "The resource as the API returned it right after the change; " +
		"resource_type says which schema: order → Order, refund → Refund, return → Return, purchase_order → " +
		"PurchaseOrder, customer → CustomerDetail, product → AdminProduct, cart → Cart, otherwise EventDocument."}
	for _, name := range eventResources {
		if c := doc.Components.Schemas[name]; c != nil {
			union.AnyOf = append(union.AnyOf, &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: c.Value})
		}
	}
	union.AnyOf = append(union.AnyOf, componentRef(doc, "EventDocument", other))
	ev.Value.Properties["data"] = union.NewRef()
}

// notificationData types an e-mail's template variables (internal/notify):
// the resources as the API returns them under their names, and the few
// objects notify builds itself. Each template has some of the keys
// (docs/email.md lists which); an automation's message about another kind
// of event carries that event's resource under its resource type, so other
// keys may appear too.
func notificationData(doc *openapi3.T) {
	detail, preview := doc.Components.Schemas["NotificationMessageDetail"], doc.Components.Schemas["NotificationPreviewInput"]
	if detail == nil || preview == nil {
		return
	}
	str := func(desc string) *openapi3.SchemaRef { return described(openapi3.NewStringSchema(), desc).NewRef() }
	ref := func(name string) *openapi3.SchemaRef {
		return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: doc.Components.Schemas[name].Value}
	}
	object := func(desc string, props openapi3.Schemas, required ...string) *openapi3.Schema {
		return &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Description: desc, Properties: props,
			Required: required}
	}
	nullable := func(r *openapi3.SchemaRef) *openapi3.SchemaRef { r.Value.Nullable = true; return r }
	customer := object("The customer the e-mail is about (absent for a guest).", openapi3.Schemas{
		"id": str("customer id"), "email": str("the account's e-mail"), "first_name": str(""), "last_name": str(""),
		"locale": str("the account's language")}, "email", "first_name", "id", "last_name", "locale")
	item := object("One line of a parcel.", openapi3.Schemas{"title": str("the order line's title"),
		"quantity": described(openapi3.NewInt64Schema(), "units in the parcel").NewRef()}, "quantity", "title")
	shipment := object("A parcel of the order that has shipped.", openapi3.Schemas{
		"carrier":         str("as staff entered it when shipping"),
		"tracking_number": str(""),
		"tracking_url":    nullable(str("the carrier's tracking page (null for a carrier Storekeep does not know)")),
		"shipped_at":      nullable(described(openapi3.NewDateTimeSchema(), "when it shipped").NewRef()),
		"items":           openapi3.NewArraySchema().WithItems(item).NewRef(),
	}, "carrier", "items", "shipped_at", "tracking_number", "tracking_url")
	conversation := object("The support conversation (support_reply).", openapi3.Schemas{
		"id": str("conversation id"), "subject": str(""), "status": str("bot, open, pending or closed")},
		"id", "status", "subject")
	message := object("An agent's reply the customer has not read (support_reply).", openapi3.Schemas{
		"id": str("message id"), "author": str("agent"), "body": str("plain text, line breaks kept"),
		"created_at": described(openapi3.NewDateTimeSchema(), "").NewRef()}, "author", "body", "created_at", "id")
	tier := object("A loyalty tier (loyalty_tier_changed).", openapi3.Schemas{
		"key": str(""), "name": str(""), "perks": str("what the tier gives, as the program describes it")},
		"key", "name", "perks")
	shipmentRef := componentRef(doc, "NotificationShipment", shipment)
	shipment.Properties["items"].Value.Items = componentRef(doc, "NotificationShipmentItem", item)
	tierRef := componentRef(doc, "NotificationTier", tier)
	data := object("An e-mail's template variables. Each template has some of these keys "+
		"(docs/email.md lists which); shop.name is added when rendering.", openapi3.Schemas{
		"order":         ref("Order"),
		"cart":          ref("Cart"),
		"refund":        ref("Refund"),
		"promotion":     ref("Promotion"),
		"customer":      componentRef(doc, "NotificationCustomer", customer),
		"shipments":     openapi3.NewArraySchema().WithItems(shipmentRef.Value).NewRef(),
		"conversation":  componentRef(doc, "NotificationConversation", conversation),
		"messages":      openapi3.NewArraySchema().WithItems(message).NewRef(),
		"tier":          tierRef,
		"previous_tier": tierRef,
		"points":        described(openapi3.NewInt64Schema(), "the customer's points (loyalty_tier_changed)").NewRef(),
		"source":        str("who issued the code: automation or staff (discount_issued)"),
		"automation_id": str("the automation that issued the code (discount_issued)"),
	})
	data.Properties["shipments"].Value.Items = shipmentRef
	data.Properties["messages"].Value.Items = componentRef(doc, "NotificationThreadMessage", message)
	dataRef := componentRef(doc, "NotificationData", data)
	detail.Value.Properties["data"] = dataRef
	preview.Value.Properties["data"] = &openapi3.SchemaRef{Ref: dataRef.Ref, Value: data}
}
