package checkout

import (
	"time"

	"storekeep/internal/platform/address"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// Cart limits: a line holds at most MaxLineQuantity units and a cart at most
// MaxCartLines lines, so one cart cannot tie up a shop's stock or make
// pricing and checkout arbitrarily slow (docs/security.md).
const (
	MaxLineQuantity = 100
	MaxCartLines    = 100
)

// Cart statuses.
const (
	CartOpen       = "open"
	CartCompleting = "completing"
	CartCompleted  = "completed"
	CartMerged     = "merged"
)

// Cart is a shopper's basket with every total computed from its lines.
type Cart struct {
	ID         string  `json:"id" binding:"required" example:"cart_06h1wbq28dxanf5st2bqp8yfxm"`
	CustomerID *string `json:"customer_id" binding:"required" extensions:"x-nullable" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	Email      string  `json:"email" binding:"required" example:"camille@example.com"`
	Currency   string  `json:"currency" binding:"required" example:"EUR"`
	// SalesChannelID is the sales channel the cart was created on (the
	// publishable key of the creating request, else the default web
	// channel): it is only reachable with that channel's key, and checkout
	// reserves from that channel's warehouses.
	SalesChannelID string `json:"sales_channel_id" binding:"required" example:"sc_00000000000000000000000web"`
	// RegionID is the region the cart is priced, taxed and shipped in:
	// chosen from the currency and the shipping address's country.
	RegionID  *string        `json:"region_id" binding:"required" extensions:"x-nullable" example:"reg_06h1wbq28dxanf5st2bqp8yfxm"`
	Status    string         `json:"status" binding:"required" enums:"open,completing,completed,merged" example:"open"`
	Items     []CartItem     `json:"items" binding:"required"`
	Discounts []CartDiscount `json:"discounts" binding:"required"`
	// Loyalty is the loyalty points redeemed on the cart (null: none); their
	// amount is counted in discount_total.
	Loyalty         *CartLoyalty     `json:"loyalty" binding:"required" extensions:"x-nullable"`
	ShippingMethod  *ShippingMethod  `json:"shipping_method" binding:"required" extensions:"x-nullable"`
	ShippingAddress *address.Address `json:"shipping_address" binding:"required" extensions:"x-nullable"`
	BillingAddress  *address.Address `json:"billing_address" binding:"required" extensions:"x-nullable"`
	// TaxInclusive tells whether prices include tax (the region's setting;
	// false without a region): when true, tax_total is the tax contained in
	// the prices and in total; when false, it is added to them.
	TaxInclusive bool `json:"tax_inclusive" binding:"required" example:"true"`
	// Subtotal is the sum of the lines' subtotals (unit_price x quantity):
	// before discounts, shipping and tax.
	Subtotal money.Amount `json:"subtotal" binding:"required"`
	// DiscountTotal is everything the codes and loyalty points took off:
	// the lines' discounts plus the shipping discount (free shipping). It is
	// the sum of the discounts' amounts plus loyalty.amount.
	DiscountTotal money.Amount `json:"discount_total" binding:"required"`
	// ShippingTotal is the chosen shipping option's price before any
	// discount (zero without a shipping method); a free-shipping discount is
	// counted in discount_total.
	ShippingTotal money.Amount `json:"shipping_total" binding:"required"`
	// TaxTotal is the tax on each line's subtotal - discount_total and on
	// the shipping after its discount, each rounded half away from zero, then
	// summed. With tax_inclusive it is contained in total; otherwise total
	// adds it.
	TaxTotal money.Amount `json:"tax_total" binding:"required"`
	// TaxLines break tax_total down: the items' tax and the shipping's, at
	// the region's rate (empty without a region or tax).
	TaxLines []TaxLine `json:"tax_lines" binding:"required"`
	// Total is what the shopper pays: subtotal - discount_total +
	// shipping_total, + tax_total when tax_inclusive is false (when it is
	// true the tax is already inside those amounts). It is also the sum of
	// the lines' totals plus the shipping after its discount (and the
	// shipping's tax when tax is exclusive).
	Total money.Amount `json:"total" binding:"required"`
	// OrderID is set once checkout completed the cart.
	OrderID     *string    `json:"order_id" binding:"required" extensions:"x-nullable" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	CreatedAt   time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt   time.Time  `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	CompletedAt *time.Time `json:"completed_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Cart

// CartItem is one line: a variant, a quantity and the unit price captured
// when the line was added.
type CartItem struct {
	ID        string       `json:"id" binding:"required" example:"citem_06h1wbq28dxanf5st2bqp8yfxm"`
	VariantID string       `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	ProductID string       `json:"product_id" binding:"required" example:"prod_06h1wbq28dxanf5st2bqp8yfxm"`
	SKU       string       `json:"sku" binding:"required" example:"GEL-150"`
	Title     string       `json:"title" binding:"required" example:"Gentle Gel Cleanser - 150 ml"`
	Quantity  int64        `json:"quantity" binding:"required" example:"2"`
	UnitPrice money.Amount `json:"unit_price" binding:"required"`
	// Subtotal is unit_price x quantity.
	Subtotal money.Amount `json:"subtotal" binding:"required"`
	// DiscountTotal is this line's share of every discount (shares are
	// allocated by largest remainder, so the lines' shares add up exactly to
	// the cart's discount_total less its shipping discount).
	DiscountTotal money.Amount `json:"discount_total" binding:"required"`
	// TaxTotal is the tax on subtotal - discount_total at the region's rate:
	// contained in total when the cart's tax_inclusive is true, added to it
	// otherwise.
	TaxTotal money.Amount `json:"tax_total" binding:"required"`
	// Total is subtotal - discount_total, + tax_total when the cart's
	// tax_inclusive is false.
	Total money.Amount `json:"total" binding:"required"`
	// Available is false when the variant can no longer be bought (unpublished,
	// archived, not sold on the cart's sales channel or no price in the
	// cart's currency); checkout refuses such carts.
	Available bool `json:"available" binding:"required" example:"true"`
} // @name CartItem

// TaxLine is one part of a cart's or order's tax: what it applies to, the
// rate (basis points: 2000 = 20 %), the taxing region's name and the amount.
type TaxLine struct {
	Name      string       `json:"name" binding:"required" example:"European Union"`
	Rate      int64        `json:"rate" binding:"required" example:"2000"`
	AppliesTo string       `json:"applies_to" binding:"required" enums:"items,shipping" example:"items"`
	Amount    money.Amount `json:"amount" binding:"required"`
} // @name TaxLine

// CartDiscount is a discount code applied to a cart.
type CartDiscount struct {
	Code string `json:"code" binding:"required" example:"WELCOME15"`
	Type string `json:"type" binding:"required" enums:"percentage,fixed,free_shipping" example:"percentage"`
	// Amount is what this code took off, lines and shipping together; the
	// discounts' amounts add up to the cart's discount_total.
	Amount money.Amount `json:"amount" binding:"required"`
} // @name CartDiscount

// ShippingMethod is the shipping option chosen for a cart and its price.
type ShippingMethod struct {
	ShippingOptionID string `json:"shipping_option_id" binding:"required" example:"so_06h1wbq28dxanf5st2bqp8yfxm"`
	Name             string `json:"name" binding:"required" example:"Colissimo"`
	// Amount is the option's price for this cart before discounts (the
	// cart's shipping_total).
	Amount money.Amount `json:"amount" binding:"required"`
} // @name ShippingMethod

// CartShippingOption is a shipping option offered for a cart, priced for it.
type CartShippingOption struct {
	ID     string       `json:"id" binding:"required" example:"so_06h1wbq28dxanf5st2bqp8yfxm"`
	Name   string       `json:"name" binding:"required" example:"Colissimo"`
	Type   string       `json:"type" binding:"required" enums:"flat,free_over,weight" example:"flat"`
	Amount money.Amount `json:"amount" binding:"required"`
} // @name CartShippingOption

// CreateCartInput starts a cart.
type CreateCartInput struct {
	Currency string `json:"currency" validate:"required,len=3" example:"EUR"`
	Email    string `json:"email,omitempty" validate:"omitempty,email,max=254" example:"camille@example.com"`
} // @name CartCreate

// CartPatch changes a cart's contact and addresses; absent fields are kept.
type CartPatch struct {
	Email           *string          `json:"email,omitempty" validate:"omitempty,email,max=254" example:"camille@example.com"`
	ShippingAddress *address.Address `json:"shipping_address,omitempty"`
	BillingAddress  *address.Address `json:"billing_address,omitempty"`
} // @name CartPatch

// AddItemInput adds units of a variant (to its line when the cart has one).
type AddItemInput struct {
	VariantID string `json:"variant_id" validate:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	Quantity  int64  `json:"quantity" validate:"required,min=1,max=100" example:"1"`
} // @name CartItemAdd

// ItemPatch sets a line's quantity.
type ItemPatch struct {
	Quantity int64 `json:"quantity" validate:"required,min=1,max=100" example:"2"`
} // @name CartItemPatch

// Meta is what the request carries besides the body: analytics ids
// (X-Session-Id, X-Anonymous-Id) recorded on carts and orders.
type Meta struct {
	SessionID   string
	AnonymousID string
	// IP is the client's address, for the abuse limits (code guessing,
	// card testing, pending orders).
	IP string
	// IdempotencyKey is the checkout request's key: a retry with it of a
	// checkout whose answer was lost gets the order the cart became.
	IdempotencyKey string
	// Locale is the supported language the checkout request asked for
	// (?locale= or Accept-Language), recorded on the order; "" means the
	// customer's, or the default for a guest.
	Locale string
	// orderID is the order id a payment session planned (sessions.go).
	orderID string
}

// Errors of carts.
var (
	ErrCartNotFound = errs.New(errs.NotFound, "not_found", "the cart does not exist")
	ErrItemNotFound = errs.New(errs.NotFound, "not_found", "the cart item does not exist")
	ErrCartClosed   = errs.New(errs.Conflict, "cart_completed",
		"the cart is being checked out or was completed; start a new cart")
	ErrVariantUnavailable = errs.New(errs.Unprocessable, "variant_unavailable",
		"the variant cannot be bought in this currency")
	ErrInsufficientStock = errs.New(errs.Conflict, "insufficient_stock", "not enough stock")
	ErrCartTooBig        = errs.New(errs.Unprocessable, "cart_limit_exceeded", "the cart has too many lines or units")
)
