package orders_test

import (
	"context"
	"testing"

	"storekeep/internal/inventory"
	"storekeep/internal/orders"
	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// Staff actors of the tests.
var (
	manager = auth.Actor{Kind: auth.Staff, ID: "stf_manager", Role: auth.RoleManager}
	keeper  = auth.Actor{Kind: auth.Staff, ID: "stf_keeper", Role: auth.RoleWarehouse}
	support = auth.Actor{Kind: auth.Staff, ID: "stf_support", Role: auth.RoleSupport}
)

// world is a shop with one warehouse and one variant in stock.
type world struct {
	*fulfiltest.Shop
	wh string
	v  fulfiltest.Variant
}

func newWorld(t *testing.T, stock int64) world {
	t.Helper()
	s := fulfiltest.New(dbtest.New(t))
	w := world{Shop: s, wh: s.Warehouse(t), v: s.Variant(t)}
	s.Stock(t, w.v.ID, w.wh, stock)
	return w
}

// level reads the (on_hand, reserved) of v in wh.
func (w world) level(t *testing.T, v, wh string) [2]int64 {
	t.Helper()
	var r struct{ OnHand, Reserved int64 }
	if err := w.DB.Conn(context.Background()).Raw(`SELECT on_hand, reserved FROM stock_levels
		WHERE variant_id = ? AND warehouse_id = ?`, v, wh).Scan(&r).Error; err != nil {
		t.Fatal(err)
	}
	return [2]int64{r.OnHand, r.Reserved}
}

// order reads an order as staff see it.
func (w world) order(t *testing.T, orderID string) orders.Order {
	t.Helper()
	o, err := w.Orders.Order(context.Background(), manager, orderID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// states is an order's three state columns.
func states(o orders.Order) [3]string {
	return [3]string{o.Status, o.PaymentStatus, o.FulfillmentStatus}
}

// wantCode fails unless err is a domain error with code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

// fulfilAll ships every unit of o from the world's warehouse and returns the
// fulfilment.
func (w world) fulfilAll(t *testing.T, o orders.Order) orders.Fulfillment {
	t.Helper()
	var in orders.FulfillmentInput
	for _, it := range o.Items {
		if left := it.Quantity - it.FulfilledQuantity; left > 0 {
			in.Items = append(in.Items, orders.FulfillmentItemInput{ItemID: it.ID, Quantity: left})
		}
	}
	f, err := w.Orders.CreateFulfillment(context.Background(), keeper, o.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// deliver fulfils, ships and delivers all of o.
func (w world) deliver(t *testing.T, o orders.Order) {
	t.Helper()
	ctx := context.Background()
	f := w.fulfilAll(t, o)
	if _, err := w.Orders.ShipFulfillment(ctx, keeper, o.ID, f.ID, orders.ShipInput{Carrier: "Colissimo", TrackingNumber: "6A1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Orders.DeliverFulfillment(ctx, keeper, o.ID, f.ID); err != nil {
		t.Fatal(err)
	}
}

// invBin is a level patch setting a bin.
func invBin(bin string) inventory.LevelPatch { return inventory.LevelPatch{Bin: &bin} }

func moneyEUR(n int64) money.Amount { return money.Amount{Minor: n, Currency: "EUR"} }

func moneyOf(n int64, cur string) money.Amount { return money.Amount{Minor: n, Currency: cur} }

func pageOf(n int) page.Request { return page.Request{Limit: n} }

// count counts a table's rows (to assert a refused request wrote nothing).
func (w world) count(t *testing.T, table string) int64 {
	t.Helper()
	var n int64
	if err := w.DB.Conn(context.Background()).Raw(`SELECT COUNT(*) FROM ` + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
