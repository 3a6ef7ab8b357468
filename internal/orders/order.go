package orders

import (
	"time"

	"storekeep/internal/platform/address"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// Order statuses.
const (
	StatusPending   = "pending"   // placed, payment not confirmed yet (async methods)
	StatusConfirmed = "confirmed" // paid (authorised or captured): to be fulfilled
	StatusCompleted = "completed" // delivered
	StatusCanceled  = "canceled"
)

// Payment statuses.
const (
	PaymentPending           = "pending"
	PaymentAuthorized        = "authorized"
	PaymentCaptured          = "captured"
	PaymentPartiallyRefunded = "partially_refunded"
	PaymentRefunded          = "refunded"
	PaymentVoided            = "voided"
	PaymentFailed            = "failed"
)

// Fulfillment statuses.
const (
	FulfillmentUnfulfilled        = "unfulfilled"
	FulfillmentPartiallyFulfilled = "partially_fulfilled"
	FulfillmentFulfilled          = "fulfilled"
	FulfillmentShipped            = "shipped"
	FulfillmentDelivered          = "delivered"
	FulfillmentReturned           = "returned"
)

// Order is an order as customers and staff see it. Locale is the language
// it was placed in (e-mails about it use it): the checkout's ?locale= or
// Accept-Language, else the customer's.
type Order struct {
	ID                string `json:"id" binding:"required" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	Number            string `json:"number" binding:"required" example:"SK-1001"`
	Status            string `json:"status" binding:"required" enums:"pending,confirmed,completed,canceled" example:"confirmed"`
	PaymentStatus     string `json:"payment_status" binding:"required" enums:"pending,authorized,captured,partially_refunded,refunded,voided,failed" example:"authorized"`
	FulfillmentStatus string `json:"fulfillment_status" binding:"required" enums:"unfulfilled,partially_fulfilled,fulfilled,shipped,delivered,returned" example:"unfulfilled"`
	// SalesChannelID is the sales channel the order was placed on (the
	// cart's, or the one staff recorded it for).
	SalesChannelID  string          `json:"sales_channel_id" binding:"required" example:"sc_00000000000000000000000web"`
	CustomerID      *string         `json:"customer_id" binding:"required" extensions:"x-nullable" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	Email           string          `json:"email" binding:"required" example:"camille@example.com"`
	Locale          string          `json:"locale" binding:"required" enums:"en,fr" example:"fr"`
	Currency        string          `json:"currency" binding:"required" example:"EUR"`
	Items           []Item          `json:"items" binding:"required"`
	Discounts       []Discount      `json:"discounts" binding:"required"`
	ShippingAddress address.Address `json:"shipping_address" binding:"required"`
	BillingAddress  address.Address `json:"billing_address" binding:"required"`
	ShippingMethod  *Shipping       `json:"shipping_method" binding:"required" extensions:"x-nullable"`
	// TaxInclusive tells whether prices include tax: when true, tax_total is
	// the tax contained in the prices and in total; when false, it is added
	// to them. The order's totals are the cart's at checkout, frozen.
	TaxInclusive bool `json:"tax_inclusive" binding:"required" example:"true"`
	// Subtotal is the sum of the lines' subtotals (unit_price x quantity):
	// before discounts, shipping and tax.
	Subtotal money.Amount `json:"subtotal" binding:"required"`
	// DiscountTotal is everything the codes took off: the lines' discounts
	// plus the shipping discount (free shipping). It is the sum of the
	// discounts' amounts.
	DiscountTotal money.Amount `json:"discount_total" binding:"required"`
	// ShippingTotal is the shipping method's price before any discount (zero
	// without one); a free-shipping discount is counted in discount_total.
	ShippingTotal money.Amount `json:"shipping_total" binding:"required"`
	// TaxTotal is the tax on each line's subtotal - discount_total and on
	// the shipping after its discount, each rounded half away from zero, then
	// summed. With tax_inclusive it is contained in total; otherwise total
	// adds it.
	TaxTotal money.Amount `json:"tax_total" binding:"required"`
	// TaxLines break tax_total down (items, shipping) at the rate frozen at checkout.
	TaxLines []TaxLine `json:"tax_lines" binding:"required"`
	// Total is what the customer pays: subtotal - discount_total +
	// shipping_total, + tax_total when tax_inclusive is false (when it is
	// true the tax is already inside those amounts). It is also the sum of
	// the lines' totals plus the shipping after its discount (and the
	// shipping's tax when tax is exclusive). It keeps the checkout figure
	// when units are canceled: see canceled_total.
	Total money.Amount `json:"total" binding:"required"`
	// CanceledTotal is the share of total paid for the units canceled with
	// the unfulfilled remainder (refunded, or left out of the capture); it
	// is part of total, not subtracted from it.
	CanceledTotal money.Amount `json:"canceled_total" binding:"required"`
	// ExpiresAt is when a pending order is canceled unless its payment is confirmed.
	ExpiresAt  *time.Time `json:"expires_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T12:30:00Z"`
	CanceledAt *time.Time `json:"canceled_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T12:00:00Z"`
	CreatedAt  time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt  time.Time  `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Order

// Item is an order line, frozen at checkout.
type Item struct {
	ID        string       `json:"id" binding:"required" example:"oitem_06h1wbq28dxanf5st2bqp8yfxm"`
	VariantID string       `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	ProductID string       `json:"product_id" binding:"required" example:"prod_06h1wbq28dxanf5st2bqp8yfxm"`
	SKU       string       `json:"sku" binding:"required" example:"GEL-150"`
	Title     string       `json:"title" binding:"required" example:"Gentle Gel Cleanser - 150 ml"`
	Quantity  int64        `json:"quantity" binding:"required" example:"2"`
	UnitPrice money.Amount `json:"unit_price" binding:"required"`
	// Subtotal is unit_price x quantity.
	Subtotal money.Amount `json:"subtotal" binding:"required"`
	// DiscountTotal is this line's share of every discount (the lines'
	// shares add up exactly to the order's discount_total less its shipping
	// discount).
	DiscountTotal money.Amount `json:"discount_total" binding:"required"`
	// TaxTotal is the tax on subtotal - discount_total: contained in total
	// when the order's tax_inclusive is true, added to it otherwise.
	TaxTotal money.Amount `json:"tax_total" binding:"required"`
	// Total is subtotal - discount_total, + tax_total when the order's
	// tax_inclusive is false.
	Total             money.Amount `json:"total" binding:"required"`
	FulfilledQuantity int64        `json:"fulfilled_quantity" binding:"required" example:"0"`
	ReturnedQuantity  int64        `json:"returned_quantity" binding:"required" example:"0"`
	// CanceledQuantity is the units canceled with the unfulfilled remainder:
	// they will not ship. quantity - fulfilled_quantity - canceled_quantity
	// units are left to fulfil.
	CanceledQuantity int64 `json:"canceled_quantity" binding:"required" example:"0"`
} // @name OrderItem

// TaxLine is one part of the order's tax (see the cart's TaxLine).
type TaxLine struct {
	Name      string       `json:"name" binding:"required" example:"European Union"`
	Rate      int64        `json:"rate" binding:"required" example:"2000"`
	AppliesTo string       `json:"applies_to" binding:"required" enums:"items,shipping" example:"items"`
	Amount    money.Amount `json:"amount" binding:"required"`
} // @name OrderTaxLine

// Discount is a code applied to the order and what it took off.
type Discount struct {
	Code string `json:"code" binding:"required" example:"WELCOME15"`
	Type string `json:"type" binding:"required" enums:"percentage,fixed,free_shipping" example:"percentage"`
	// Amount is what this code took off, lines and shipping together; the
	// discounts' amounts add up to the order's discount_total.
	Amount money.Amount `json:"amount" binding:"required"`
} // @name OrderDiscount

// Shipping is the order's shipping method and what it cost before discounts.
type Shipping struct {
	ShippingOptionID string       `json:"shipping_option_id" binding:"required" example:"so_06h1wbq28dxanf5st2bqp8yfxm"`
	Name             string       `json:"name" binding:"required" example:"Colissimo"`
	Amount           money.Amount `json:"amount" binding:"required"`
} // @name OrderShipping

// Event is one entry of an order's timeline.
type Event struct {
	ID        string         `json:"id" binding:"required" example:"oevt_06h1wbq28dxanf5st2bqp8yfxm"`
	Type      string         `json:"type" binding:"required" example:"order.placed"`
	Actor     string         `json:"actor" binding:"required" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	Data      map[string]any `json:"data" binding:"required"`
	CreatedAt time.Time      `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name OrderEvent

// Errors of orders.
var (
	ErrOrderNotFound = errs.New(errs.NotFound, "not_found", "the order does not exist")
	// ErrInvalidTransition is the 409 for a state change the order's
	// current state does not allow.
	ErrInvalidTransition = errs.New(errs.Conflict, "invalid_status", "the order's state does not allow this")
	ErrForbidden         = errs.ErrForbidden
)
