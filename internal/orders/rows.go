package orders

import (
	"encoding/json"
	"fmt"
	"time"

	"storekeep/internal/platform/money"
)

type orderRow struct {
	ID                string
	Number            string
	CartID            string
	SalesChannelID    string
	CustomerID        *string
	Email             string
	Locale            string
	Currency          string
	RegionID          *string
	Status            string
	PaymentStatus     string
	FulfillmentStatus string
	ShippingAddress   string
	BillingAddress    string
	ShippingOptionID  *string
	ShippingMethod    string
	Subtotal          int64
	DiscountTotal     int64
	ShippingTotal     int64
	ShippingDiscount  int64
	ShippingTax       int64
	TaxTotal          int64
	Total             int64
	TaxInclusive      bool
	TaxName           string
	TaxRate           int64
	ReservationID     *string
	// CanceledTotal is the share of Total paid for canceled units.
	CanceledTotal int64
	// CaptureAmount is what the capture of an authorised payment was fixed
	// at (nil: no capture decided yet).
	CaptureAmount *int64
	SessionID     string
	AnonymousID   string
	ClientIP      string
	ExpiresAt     *time.Time
	CanceledAt    *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (orderRow) TableName() string { return "orders" }

type itemRow struct {
	ID                string
	OrderID           string
	Position          int
	VariantID         string
	ProductID         string
	SKU               string `gorm:"column:sku"`
	Title             string
	Quantity          int64
	UnitPrice         int64
	Subtotal          int64
	DiscountTotal     int64
	TaxTotal          int64
	Total             int64
	FulfilledQuantity int64
	ReturnedQuantity  int64
	CanceledQuantity  int64
}

func (itemRow) TableName() string { return "order_items" }

type discountRow struct {
	OrderID     string
	PromotionID string
	Code        string
	Type        string
	Amount      int64
}

func (discountRow) TableName() string { return "order_discounts" }

type eventRow struct {
	ID        string
	OrderID   string
	Type      string
	Actor     string
	Data      string
	CreatedAt time.Time
}

func (eventRow) TableName() string { return "order_events" }

// order assembles the API view of r.
func (r orderRow) order(items []itemRow, discounts []discountRow) (Order, error) {
	m := func(v int64) money.Amount { return money.Amount{Minor: v, Currency: r.Currency} }
	o := Order{ID: r.ID, Number: r.Number, Status: r.Status, PaymentStatus: r.PaymentStatus,
		FulfillmentStatus: r.FulfillmentStatus, SalesChannelID: r.SalesChannelID, CustomerID: r.CustomerID, Email: r.Email, Locale: r.Locale, Currency: r.Currency,
		Items: []Item{}, Discounts: []Discount{}, TaxInclusive: r.TaxInclusive, Subtotal: m(r.Subtotal),
		DiscountTotal: m(r.DiscountTotal), ShippingTotal: m(r.ShippingTotal), TaxTotal: m(r.TaxTotal),
		Total: m(r.Total), CanceledTotal: m(r.CanceledTotal), ExpiresAt: r.ExpiresAt, CanceledAt: r.CanceledAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal([]byte(r.ShippingAddress), &o.ShippingAddress); err != nil {
		return Order{}, fmt.Errorf("decode shipping address: %w", err)
	}
	if err := json.Unmarshal([]byte(r.BillingAddress), &o.BillingAddress); err != nil {
		return Order{}, fmt.Errorf("decode billing address: %w", err)
	}
	if r.ShippingOptionID != nil {
		o.ShippingMethod = &Shipping{ShippingOptionID: *r.ShippingOptionID, Name: r.ShippingMethod, Amount: m(r.ShippingTotal)}
	}
	for _, it := range items {
		o.Items = append(o.Items, Item{ID: it.ID, VariantID: it.VariantID, ProductID: it.ProductID, SKU: it.SKU,
			Title: it.Title, Quantity: it.Quantity, UnitPrice: m(it.UnitPrice), Subtotal: m(it.Subtotal),
			DiscountTotal: m(it.DiscountTotal), TaxTotal: m(it.TaxTotal), Total: m(it.Total),
			FulfilledQuantity: it.FulfilledQuantity, ReturnedQuantity: it.ReturnedQuantity,
			CanceledQuantity: it.CanceledQuantity})
	}
	for _, d := range discounts {
		o.Discounts = append(o.Discounts, Discount{Code: d.Code, Type: d.Type, Amount: m(d.Amount)})
	}
	o.TaxLines = []TaxLine{}
	if r.TaxRate != 0 {
		o.TaxLines = append(o.TaxLines, TaxLine{Name: r.TaxName, Rate: r.TaxRate, AppliesTo: "items",
			Amount: m(r.TaxTotal - r.ShippingTax)})
		if r.ShippingTax != 0 {
			o.TaxLines = append(o.TaxLines, TaxLine{Name: r.TaxName, Rate: r.TaxRate, AppliesTo: "shipping",
				Amount: m(r.ShippingTax)})
		}
	}
	return o, nil
}

func encode(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
