package notify

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// Event types notify reacts to (docs/events.md describes their payloads).
const (
	EventOrderCreated   = "order.created"
	EventOrderPaid      = "order.paid"
	EventOrderShipped   = "order.shipped"
	EventRefundCreated  = "refund.created"
	EventSupportMessage = "support.message.created"
	EventDiscountIssued = "discount.issued"
)

// HandleEvent is the events.Consumer of notifications: it runs inside the
// dispatcher's transaction and only records messages (Send) or schedules
// the support reply check, both durable in that transaction. An event it
// cannot make a message of (bad payload, no address, the order gone) is
// logged and skipped, never retried: only a database failure rolls the
// dispatch back.
func (s *Service) HandleEvent(ctx context.Context, e events.Event) error {
	var err error
	switch e.Type {
	case EventOrderCreated, EventOrderPaid:
		err = s.onOrderConfirmed(ctx, e)
	case EventOrderShipped:
		err = s.onOrderShipped(ctx, e)
	case EventRefundCreated:
		err = s.onRefund(ctx, e)
	case EventSupportMessage:
		err = s.onSupportMessage(ctx, e)
	case EventDiscountIssued:
		err = s.onDiscountIssued(ctx, e)
	default:
		return nil
	}
	if err == nil {
		return nil
	}
	if skippable(err) {
		s.log.WarnContext(ctx, "no e-mail for event", "event_id", e.ID, "type", e.Type, "reason", err.Error())
		return nil
	}
	return err
}

// errBadPayload marks an event whose payload is not what its type promises.
var errBadPayload = errors.New("notify: unexpected event payload")

// skippable reports whether err is about the event's content (a domain
// error, a bad payload) rather than the database.
func skippable(err error) bool {
	if errors.Is(err, errBadPayload) {
		return true
	}
	e, ok := errors.AsType[*errs.Error](err)
	return ok && e.Kind != errs.Internal && e.Kind != errs.Unavailable
}

// orderFacts are the fields of an Order payload notify decides on.
type orderFacts struct {
	ID         string  `json:"id"`
	Status     string  `json:"status"`
	Email      string  `json:"email"`
	Locale     string  `json:"locale"`
	CustomerID *string `json:"customer_id"`
}

// decodeOrder reads an Order document both as facts and as template data.
func decodeOrder(raw json.RawMessage) (orderFacts, map[string]any, error) {
	var f orderFacts
	if err := json.Unmarshal(raw, &f); err != nil || f.ID == "" {
		return f, nil, errBadPayload
	}
	m, err := decodeData(string(raw))
	if err != nil {
		return f, nil, errBadPayload
	}
	return f, m, nil
}

// onOrderConfirmed sends the order confirmation once per order, for the
// first of order.created and order.paid that shows the order confirmed: at
// checkout for payments that go through at once, at order.paid for those
// (asynchronous methods) that leave it pending.
func (s *Service) onOrderConfirmed(ctx context.Context, e events.Event) error {
	f, order, err := decodeOrder(e.Payload)
	if err != nil {
		return err
	}
	if f.Status != "confirmed" && f.Status != "completed" {
		return nil // pending (waits for order.paid) or canceled
	}
	return s.Send(ctx, Message{Template: TemplateOrderConfirmation, Locale: f.Locale, To: f.Email,
		CustomerID: deref(f.CustomerID), Data: map[string]any{"order": order},
		DedupeKey: TemplateOrderConfirmation + ":" + f.ID})
}

// onOrderShipped sends the tracking e-mail with every parcel sent so far.
func (s *Service) onOrderShipped(ctx context.Context, e events.Event) error {
	f, order, err := decodeOrder(e.Payload)
	if err != nil {
		return err
	}
	var parcels []any
	if s.orders != nil {
		list, err := s.orders.Shipments(ctx, f.ID)
		if err != nil {
			return err
		}
		for _, sh := range list {
			if sh.Status == "shipped" || sh.Status == "delivered" {
				parcels = append(parcels, shipmentData(sh))
			}
		}
	}
	return s.Send(ctx, Message{Template: TemplateOrderShipped, Locale: f.Locale, To: f.Email,
		CustomerID: deref(f.CustomerID), Data: map[string]any{"order": order, "shipments": orEmpty(parcels)},
		DedupeKey: TemplateOrderShipped + ":" + e.ID})
}

// shipmentData is a parcel as templates see it.
func shipmentData(sh Shipment) map[string]any {
	items := make([]any, len(sh.Items))
	for i, it := range sh.Items {
		items[i] = map[string]any{"title": it.Title, "quantity": it.Quantity}
	}
	m := map[string]any{"carrier": sh.Carrier, "tracking_number": sh.TrackingNumber, "tracking_url": nil,
		"shipped_at": nil, "items": items}
	if u := TrackingURL(sh.Carrier, sh.TrackingNumber); u != "" {
		m["tracking_url"] = u
	}
	if sh.ShippedAt != nil {
		m["shipped_at"] = sh.ShippedAt.UTC().Format(time.RFC3339)
	}
	return m
}

// onRefund tells the customer about money given back.
func (s *Service) onRefund(ctx context.Context, e events.Event) error {
	var rf struct {
		OrderID string `json:"order_id"`
	}
	if err := json.Unmarshal(e.Payload, &rf); err != nil || rf.OrderID == "" || s.orders == nil {
		return errBadPayload
	}
	refund, err := decodeData(string(e.Payload))
	if err != nil {
		return errBadPayload
	}
	raw, err := s.orders.NotifyOrder(ctx, rf.OrderID)
	if err != nil {
		return err
	}
	f, order, err := decodeOrder(raw)
	if err != nil {
		return err
	}
	return s.Send(ctx, Message{Template: TemplateRefundIssued, Locale: f.Locale, To: f.Email,
		CustomerID: deref(f.CustomerID), Data: map[string]any{"order": order, "refund": refund},
		DedupeKey: TemplateRefundIssued + ":" + e.ID})
}

// onDiscountIssued sends a code issued to a customer (by an automation or
// staff). Payload: {promotion, customer_id, email, locale, source,
// automation_id?}.
func (s *Service) onDiscountIssued(ctx context.Context, e events.Event) error {
	var p struct {
		CustomerID string `json:"customer_id"`
		Email      string `json:"email"`
		Locale     string `json:"locale"`
	}
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		return errBadPayload
	}
	data, err := decodeData(string(e.Payload))
	if err != nil || data["promotion"] == nil {
		return errBadPayload
	}
	for _, k := range []string{"customer_id", "email", "locale"} {
		delete(data, k) // said by the message itself; "customer" has the account
	}
	return s.Send(ctx, Message{Template: TemplateDiscountIssued, Locale: p.Locale, To: p.Email,
		CustomerID: p.CustomerID, Data: data, DedupeKey: TemplateDiscountIssued + ":" + e.ID})
}

// orEmpty is list, or an empty list for templates to range over.
func orEmpty(list []any) []any {
	if list == nil {
		return []any{}
	}
	return list
}

// EventData is the template data of an event for a message an automation
// sends about it: the resource under its resource type ("order", "cart",
// "refund", ...), except discount.issued, whose payload's own keys
// (promotion, source, ...) are the data.
func EventData(e events.Event) (map[string]any, error) {
	m, err := decodeData(string(e.Payload))
	if err != nil {
		return nil, errBadPayload
	}
	if e.Type == EventDiscountIssued {
		return m, nil
	}
	return map[string]any{e.ResourceType: m}, nil
}

// RegisterJobs registers the send and support reply workers on r.
func RegisterJobs(r *jobs.Runner, s *Service) {
	jobs.Register(r, &sendWorker{s: s})
	jobs.Register(r, &replyWorker{s: s})
}
