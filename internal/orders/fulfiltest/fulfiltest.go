// Package fulfiltest builds orders for tests of the order lifecycle
// (fulfilment, cancellation, refunds, returns) without going through
// checkout: stock is reserved with the inventory service, the payment is
// authorised with the test provider (outside any transaction) and the
// order and payment are written in one transaction, as checkout does.
package fulfiltest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"storekeep/internal/catalog"
	"storekeep/internal/channels"
	"storekeep/internal/inventory"
	"storekeep/internal/orders"
	"storekeep/internal/payments"
	"storekeep/internal/platform/address"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// Admin is the staff actor the fixture sets the shop up with.
var Admin = auth.Actor{Kind: auth.Staff, ID: "stf_fixture", Role: auth.RoleAdmin}

// WebhookSecret signs the fixture's test provider webhooks.
const WebhookSecret = "whsec_fulfiltest"

// Shop is the services an order lives among, over one database.
type Shop struct {
	DB     *db.DB
	Cat    *catalog.Service
	Inv    *inventory.Service
	TP     *payments.TestProvider
	Pay    *payments.Service
	Orders *orders.Service
}

// New builds the services over d. The orders service is wired like the
// server's: inventory, payments, and the payment webhook hook.
func New(d *db.DB) *Shop {
	cat := catalog.NewService(d)
	inv := inventory.NewService(d, cat)
	// As in the server: a new warehouse fulfils the default web channel,
	// so carts can sell from it.
	inv.OnWarehouseChange(channels.NewService(d, inv, nil).WarehouseChanged)
	tp := payments.NewTestProvider(WebhookSecret)
	pay := payments.NewService(d, payments.WithProvider(tp))
	ord := orders.NewService(d, orders.WithInventory(inv), orders.WithPayments(pay))
	pay.OnStatusChange(ord.OnPayment)
	return &Shop{DB: d, Cat: cat, Inv: inv, TP: tp, Pay: pay, Orders: ord}
}

var seq atomic.Int64

// Variant is a sellable variant.
type Variant struct{ ID, ProductID, SKU, Title string }

// Variant creates a published product with one variant.
func (s *Shop) Variant(t testing.TB) Variant {
	t.Helper()
	n := seq.Add(1)
	p, err := s.Cat.CreateProduct(context.Background(), Admin, catalog.ProductInput{
		Title: fmt.Sprintf("Cream %d", n), Status: "published",
		Options: []catalog.OptionInput{{Name: "Size", Values: []string{"50 ml"}}},
		Variants: []catalog.VariantInput{{SKU: fmt.Sprintf("CRM-%d", n), Options: map[string]string{"Size": "50 ml"},
			Prices: []money.Amount{{Minor: 1000, Currency: "EUR"}}}}})
	if err != nil {
		t.Fatalf("create product: %v", err)
	}
	v := p.Variants[0]
	return Variant{ID: v.ID, ProductID: p.ID, SKU: v.SKU, Title: p.Title + " - 50 ml"}
}

// Warehouse creates an active warehouse.
func (s *Shop) Warehouse(t testing.TB) string {
	t.Helper()
	w, err := s.Inv.CreateWarehouse(context.Background(), Admin, inventory.WarehouseInput{
		Code: fmt.Sprintf("WH-%d", seq.Add(1)), Name: "Warehouse", CountryCode: "FR"})
	if err != nil {
		t.Fatalf("create warehouse: %v", err)
	}
	return w.ID
}

// Stock puts qty units of v in warehouse wh through the ledger.
func (s *Shop) Stock(t testing.TB, v, wh string, qty int64) {
	t.Helper()
	if _, _, err := s.Inv.Move(context.Background(), inventory.Move{VariantID: v, WarehouseID: wh, Delta: qty,
		Kind: inventory.KindAdjustment, Reason: "fixture", Actor: Admin}); err != nil {
		t.Fatalf("stock: %v", err)
	}
}

// Customer inserts a customer and returns its id.
func (s *Shop) Customer(t testing.TB) string {
	t.Helper()
	cid := id.New("cus")
	now := db.Now()
	if err := s.DB.Conn(context.Background()).Exec(`INSERT INTO customers
		(id, email, password_hash, first_name, last_name, created_at, updated_at) VALUES (?, ?, 'x', 'Test', 'Customer', ?, ?)`,
		cid, fmt.Sprintf("fixture-%d-%s@example.com", seq.Add(1), cid[len(cid)-6:]), now, now).Error; err != nil {
		t.Fatalf("insert customer: %v", err)
	}
	return cid
}

// Line is an order line: Total is what the customer paid for it.
type Line struct {
	Variant  Variant
	Quantity int64
	Total    int64
}

// Spec describes an order.
type Spec struct {
	Lines []Line
	// Token is the test provider token (default tok_visa).
	Token string
	// Capture captures at checkout instead of only authorising.
	Capture    bool
	CustomerID *string
	// ExpiresAt is set on pending (tok_async) orders; default in 30 minutes.
	ExpiresAt *time.Time
}

// Order places an order for spec, as checkout would.
func (s *Shop) Order(t testing.TB, spec Spec) orders.Order {
	t.Helper()
	ctx := context.Background()
	oid := id.New("order")
	var total int64
	var lines []inventory.Line
	var items []orders.NewItem
	for _, l := range spec.Lines {
		total += l.Total
		lines = append(lines, inventory.Line{VariantID: l.Variant.ID, Quantity: l.Quantity})
		items = append(items, orders.NewItem{VariantID: l.Variant.ID, ProductID: l.Variant.ProductID, SKU: l.Variant.SKU,
			Title: l.Variant.Title, Quantity: l.Quantity, UnitPrice: l.Total / l.Quantity, Subtotal: l.Total, Total: l.Total})
	}
	res, err := s.Inv.Reserve(ctx, inventory.ReserveInput{Reference: oid, Lines: lines})
	if err != nil {
		t.Fatalf("reserve: %v", err)
	}
	token := spec.Token
	if token == "" {
		token = payments.TokenVisa
	}
	a, err := s.Pay.Authorize(ctx, payments.AuthorizeInput{Provider: "test", Method: "card", Token: token,
		Amount: money.Amount{Minor: total, Currency: "EUR"}, Reference: oid, IdempotencyKey: oid, Capture: spec.Capture})
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	in := orders.NewOrder{ID: oid, CartID: id.New("cart"), CustomerID: spec.CustomerID, Email: "buyer@example.com",
		Currency: "EUR", ShippingAddress: Address(), BillingAddress: Address(), Items: items, Subtotal: total,
		Total: total, ReservationID: res.ID, PaymentStatus: string(a.Result.Status), Actor: "guest"}
	until := orders.HoldForever
	if a.Result.Status == payments.StatusPending {
		exp := time.Now().UTC().Add(30 * time.Minute).Truncate(time.Microsecond)
		if spec.ExpiresAt != nil {
			exp = spec.ExpiresAt.UTC().Truncate(time.Microsecond)
		}
		in.ExpiresAt, until = &exp, exp
	}
	var o orders.Order
	err = s.DB.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Inv.Hold(ctx, res.ID, until); err != nil {
			return err
		}
		var err error
		if o, err = s.Orders.Create(ctx, in); err != nil {
			return err
		}
		_, err = s.Pay.Record(ctx, oid, a)
		return err
	})
	if err != nil {
		t.Fatalf("create order: %v", err)
	}
	return o
}

// Address is a valid French address.
func Address() address.Address {
	return address.Address{FirstName: "Camille", LastName: "Martin", Line1: "12 rue de Rivoli", City: "Paris",
		PostalCode: "75001", CountryCode: "FR"}
}

// Webhook delivers a signed test-provider event for the order's payment.
func (s *Shop) Webhook(t testing.TB, orderID, eventType string) error {
	t.Helper()
	ps, err := s.Pay.ForOrder(context.Background(), orderID)
	if err != nil || len(ps) == 0 {
		t.Fatalf("payments of %s: %v (%d)", orderID, err, len(ps))
	}
	p := ps[len(ps)-1]
	body := s.TP.WebhookBody(id.New("evt"), eventType, p.ProviderRef, p.Amount)
	h := map[string][]string{payments.TestSignatureHeader: {s.TP.SignWebhook(body, time.Now())}}
	return s.Pay.HandleWebhook(context.Background(), "test", h, body)
}
