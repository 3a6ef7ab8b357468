package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"storekeep/internal/platform/address"
	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/locale"
)

// NewOrder is what checkout hands over: a cart priced and paid for. Amounts
// are minor units of Currency, already computed by checkout.
type NewOrder struct {
	// ID is chosen by checkout before the order exists, so the stock
	// reservation and the payment can refer to it.
	ID     string
	CartID string
	// SalesChannelID is the channel it is placed on (empty: the default).
	SalesChannelID   string
	CustomerID       *string
	Email            string
	Locale           string // one of locale.Supported; empty means locale.Default
	Currency         string
	RegionID         *string
	ShippingAddress  address.Address
	BillingAddress   address.Address
	ShippingOptionID *string
	ShippingMethod   string
	Items            []NewItem
	Discounts        []NewDiscount
	Subtotal         int64
	DiscountTotal    int64
	ShippingTotal    int64
	ShippingDiscount int64
	ShippingTax      int64
	TaxTotal         int64
	Total            int64
	TaxInclusive     bool
	// TaxName and TaxRate (basis points) are the taxing region's, frozen.
	TaxName       string
	TaxRate       int64
	ReservationID string
	SessionID     string
	AnonymousID   string
	// ClientIP is the checkout's client address (pending orders are capped
	// per address).
	ClientIP string
	// PaymentStatus is authorized or captured (the order is confirmed) or
	// pending (an async payment: the order is pending until ExpiresAt).
	PaymentStatus string
	ExpiresAt     *time.Time
	// Actor is who placed it (customer id, or "guest").
	Actor string
}

// NewItem is one frozen line.
type NewItem struct {
	VariantID, ProductID, SKU, Title             string
	Quantity, UnitPrice, Subtotal, DiscountTotal int64
	TaxTotal, Total                              int64
}

// NewDiscount is one applied code.
type NewDiscount struct {
	PromotionID, Code, Type string
	Amount                  int64
}

// Create writes the order in the caller's transaction (checkout's), with
// its timeline's first entry and the order.created outbox event, followed by
// order.paid when the payment is captured as the order is placed (capture
// at checkout, or nothing to pay). The cart_id is unique: a second order for
// one cart fails the transaction.
func (s *Service) Create(ctx context.Context, in NewOrder) (Order, error) {
	if !db.InTx(ctx) {
		return Order{}, fmt.Errorf("orders: Create must run in checkout's transaction")
	}
	status := StatusConfirmed
	switch in.PaymentStatus {
	case PaymentAuthorized, PaymentCaptured:
	case PaymentPending:
		status = StatusPending
	default:
		return Order{}, fmt.Errorf("orders: create with payment status %q", in.PaymentStatus)
	}
	number, err := s.nextNumber(ctx)
	if err != nil {
		return Order{}, err
	}
	ship, err := encode(in.ShippingAddress)
	if err != nil {
		return Order{}, err
	}
	bill, err := encode(in.BillingAddress)
	if err != nil {
		return Order{}, err
	}
	if !locale.Valid(in.Locale) {
		in.Locale = locale.Default
	}
	now := s.now()
	if in.SalesChannelID == "" {
		in.SalesChannelID = channel.DefaultID
	}
	r := orderRow{ID: in.ID, Number: number, CartID: in.CartID, SalesChannelID: in.SalesChannelID,
		CustomerID: in.CustomerID, Email: in.Email,
		Locale: in.Locale, Currency: in.Currency, RegionID: in.RegionID, Status: status, PaymentStatus: in.PaymentStatus,
		FulfillmentStatus: FulfillmentUnfulfilled, ShippingAddress: ship, BillingAddress: bill,
		ShippingOptionID: in.ShippingOptionID, ShippingMethod: in.ShippingMethod, Subtotal: in.Subtotal,
		DiscountTotal: in.DiscountTotal, ShippingTotal: in.ShippingTotal, ShippingDiscount: in.ShippingDiscount,
		ShippingTax: in.ShippingTax, TaxTotal: in.TaxTotal, Total: in.Total, TaxInclusive: in.TaxInclusive,
		TaxName: in.TaxName, TaxRate: in.TaxRate,
		SessionID: in.SessionID, AnonymousID: in.AnonymousID, ClientIP: in.ClientIP, ExpiresAt: in.ExpiresAt, CreatedAt: now, UpdatedAt: now}
	if in.ReservationID != "" {
		r.ReservationID = &in.ReservationID
	}
	conn := s.db.Conn(ctx)
	if err := conn.Create(&r).Error; err != nil {
		return Order{}, fmt.Errorf("create order: %w", err)
	}
	items := make([]itemRow, len(in.Items))
	for i, it := range in.Items {
		items[i] = itemRow{ID: id.New("oitem"), OrderID: r.ID, Position: i, VariantID: it.VariantID,
			ProductID: it.ProductID, SKU: it.SKU, Title: it.Title, Quantity: it.Quantity, UnitPrice: it.UnitPrice,
			Subtotal: it.Subtotal, DiscountTotal: it.DiscountTotal, TaxTotal: it.TaxTotal, Total: it.Total}
	}
	if len(items) > 0 {
		if err := conn.Create(&items).Error; err != nil {
			return Order{}, fmt.Errorf("create order items: %w", err)
		}
	}
	discounts := make([]discountRow, len(in.Discounts))
	for i, d := range in.Discounts {
		discounts[i] = discountRow{OrderID: r.ID, PromotionID: d.PromotionID, Code: d.Code, Type: d.Type, Amount: d.Amount}
	}
	if len(discounts) > 0 {
		if err := conn.Create(&discounts).Error; err != nil {
			return Order{}, fmt.Errorf("create order discounts: %w", err)
		}
	}
	if err := s.record(ctx, r.ID, "order.placed", in.Actor, map[string]any{"number": number,
		"payment_status": in.PaymentStatus, "total": in.Total, "currency": in.Currency}); err != nil {
		return Order{}, err
	}
	o, err := r.order(items, discounts)
	if err != nil {
		return Order{}, err
	}
	if s.noCheckoutEvents {
		return o, nil
	}
	// The order just built is what GET returns: no read back, one marshal.
	payload, err := json.Marshal(o)
	if err != nil {
		return Order{}, fmt.Errorf("order event: %w", err)
	}
	if err := events.RecordAs(ctx, s.db, EventOrderCreated, resourceOrder, r.ID, json.RawMessage(payload)); err != nil {
		return Order{}, err
	}
	if in.PaymentStatus == PaymentCaptured {
		if err := events.RecordAs(ctx, s.db, EventOrderPaid, resourceOrder, r.ID, json.RawMessage(payload)); err != nil {
			return Order{}, err
		}
	}
	return o, nil
}

// nextNumber hands out the next human order number ("SK-1001"): a
// sequence on PostgreSQL (no lock shared by concurrent checkouts), a
// counter row on SQLite (one writer anyway).
func (s *Service) nextNumber(ctx context.Context) (string, error) {
	var n int64
	conn := s.db.Conn(ctx)
	var err error
	if s.db.Dialect() == db.Postgres {
		err = conn.Raw(`SELECT nextval('order_number_seq')`).Scan(&n).Error
	} else {
		err = conn.Raw(`UPDATE order_numbers SET value = value + 1 WHERE name = 'order' RETURNING value`).Scan(&n).Error
	}
	if err != nil {
		return "", fmt.Errorf("next order number: %w", err)
	}
	return fmt.Sprintf("SK-%d", n), nil
}

// record appends an entry to the order's timeline.
func (s *Service) record(ctx context.Context, orderID, typ, actor string, data map[string]any) error {
	b, err := encode(data)
	if err != nil {
		return err
	}
	err = s.db.Conn(ctx).Create(&eventRow{ID: id.New("oevt"), OrderID: orderID, Type: typ, Actor: actor,
		Data: b, CreatedAt: s.now()}).Error
	if err != nil {
		return fmt.Errorf("record order event: %w", err)
	}
	return nil
}
