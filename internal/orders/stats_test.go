package orders_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/orders"
	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/platform/money"
)

// CustomerTotals counts the orders that are not canceled, up to a given
// order when one is named.
func TestCustomerTotals(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 10)
	ctx := t.Context()
	cus := w.Customer(t)
	place := func(total int64) orders.Order {
		return w.Order(t, fulfiltest.Spec{CustomerID: &cus, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: total}}})
	}
	first := place(1000)
	canceled := place(2000)
	if _, err := w.Orders.Cancel(ctx, manager, canceled.ID); err != nil {
		t.Fatal(err)
	}
	third := place(3000)
	place(4000)
	other := w.Customer(t)
	w.Order(t, fulfiltest.Spec{CustomerID: &other, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 500}}})

	eur := func(v int64) []money.Amount { return []money.Amount{{Minor: v, Currency: "EUR"}} }
	for _, tt := range []struct {
		name string
		upTo string
		want orders.CustomerTotals
	}{
		{"all of them", "", orders.CustomerTotals{OrderCount: 3, Spent: eur(8000)}},
		{"up to the first", first.ID, orders.CustomerTotals{OrderCount: 1, Spent: eur(1000)}},
		{"up to the third, the canceled one left out", third.ID, orders.CustomerTotals{OrderCount: 2, Spent: eur(4000)}},
	} {
		got, err := w.Orders.CustomerTotals(ctx, cus, tt.upTo)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
	none, err := w.Orders.CustomerTotals(ctx, "cus_nobody", "")
	if err != nil || none.OrderCount != 0 || len(none.Spent) != 0 {
		t.Errorf("a customer without orders: %+v, %v", none, err)
	}
}
