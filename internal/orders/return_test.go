package orders_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/orders"
	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/platform/auth"
)

// TestReturns: a customer returns a delivered order in two parts; staff
// receive sellable and damaged units; the refunds add up to exactly the
// line's total (1000 for 3 units: 334 + 333 + 333).
func TestReturns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, 5)
	cid := w.Customer(t)
	buyer := auth.Actor{Kind: auth.Customer, ID: cid}
	o := w.Order(t, fulfiltest.Spec{CustomerID: &cid, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 3, Total: 1000}}})
	item := o.Items[0].ID
	ask := func(q int64) orders.ReturnInput {
		return orders.ReturnInput{Reason: "too small", Items: []orders.ReturnItemInput{{ItemID: item, Quantity: q}}}
	}

	_, err := w.Orders.RequestReturn(ctx, buyer, o.ID, ask(1))
	wantCode(t, err, "invalid_status") // not delivered yet
	if n := w.count(t, "returns"); n != 0 {
		t.Fatalf("a refused return wrote %d rows", n)
	}
	w.deliver(t, o)
	if d := cmp.Diff([2]int64{2, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
		t.Fatalf("level after delivery (-want +got):\n%s", d)
	}

	stranger := auth.Actor{Kind: auth.Customer, ID: w.Customer(t)}
	_, err = w.Orders.RequestReturn(ctx, stranger, o.ID, ask(1))
	wantCode(t, err, "not_found")
	_, err = w.Orders.RequestReturn(ctx, buyer, o.ID, ask(4))
	wantCode(t, err, "quantity_exceeds_returnable")

	r1, err := w.Orders.RequestReturn(ctx, buyer, o.ID, ask(2))
	if err != nil {
		t.Fatal(err)
	}
	if r1.Status != "requested" || len(r1.Items) != 1 || r1.Items[0].Quantity != 2 {
		t.Fatalf("return: %+v", r1)
	}
	_, err = w.Orders.RequestReturn(ctx, buyer, o.ID, ask(2))
	wantCode(t, err, "quantity_exceeds_returnable") // 2 already requested, 1 left
	if n := w.count(t, "returns"); n != 1 {
		t.Fatalf("%d returns, want 1", n)
	}

	recv := orders.ReceiveInput{WarehouseID: w.wh, Items: []orders.ReceiveItemInput{
		{ItemID: item, Quantity: 1, Condition: "sellable"}, {ItemID: item, Quantity: 1, Condition: "damaged"}}}
	_, err = w.Orders.ReceiveReturn(ctx, support, r1.ID, recv)
	wantCode(t, err, "forbidden")
	_, err = w.Orders.ReceiveReturn(ctx, keeper, r1.ID, orders.ReceiveInput{WarehouseID: "wh_00000000000000000000000000",
		Items: []orders.ReceiveItemInput{{ItemID: item, Quantity: 1, Condition: "damaged"}}})
	wantCode(t, err, "validation_failed")
	_, err = w.Orders.ReceiveReturn(ctx, keeper, r1.ID, orders.ReceiveInput{WarehouseID: w.wh,
		Items: []orders.ReceiveItemInput{{ItemID: item, Quantity: 3, Condition: "damaged"}}})
	wantCode(t, err, "quantity_exceeds_returnable")
	if got, _ := w.Orders.CustomerReturns(ctx, buyer, o.ID); len(got) != 1 || got[0].Status != "requested" {
		t.Fatalf("refused receipts changed the return: %+v", got)
	}
	if d := cmp.Diff([2]int64{2, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
		t.Fatalf("refused receipts changed stock (-want +got):\n%s", d)
	}
	got, err := w.Orders.ReceiveReturn(ctx, keeper, r1.ID, recv)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "refunded" || got.RefundAmount.Minor != 667 || got.Items[0].Sellable != 1 || got.Items[0].Damaged != 1 {
		t.Errorf("received return: %+v", got)
	}
	if d := cmp.Diff([2]int64{3, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
		t.Errorf("only the sellable unit is restocked (-want +got):\n%s", d)
	}
	ord := w.order(t, o.ID)
	if d := cmp.Diff([3]string{"completed", "partially_refunded", "delivered"}, states(ord)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if ord.Items[0].ReturnedQuantity != 2 {
		t.Errorf("returned_quantity = %d, want 2", ord.Items[0].ReturnedQuantity)
	}
	_, err = w.Orders.ReceiveReturn(ctx, keeper, r1.ID, recv)
	wantCode(t, err, "invalid_status") // received twice

	r2, err := w.Orders.RequestReturn(ctx, buyer, o.ID, ask(1))
	if err != nil {
		t.Fatal(err)
	}
	got, err = w.Orders.ReceiveReturn(ctx, manager, r2.ID, orders.ReceiveInput{WarehouseID: w.wh,
		Items: []orders.ReceiveItemInput{{ItemID: item, Quantity: 1, Condition: "sellable"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.RefundAmount.Minor != 333 {
		t.Errorf("last unit refunds %d, want 333", got.RefundAmount.Minor)
	}
	if d := cmp.Diff([3]string{"completed", "refunded", "returned"}, states(w.order(t, o.ID))); d != "" {
		t.Errorf("everything returned (-want +got):\n%s", d)
	}
	mine, err := w.Orders.CustomerReturns(ctx, buyer, o.ID)
	if err != nil || len(mine) != 2 {
		t.Errorf("customer returns: %d, %v", len(mine), err)
	}
	if _, err := w.Orders.CustomerReturns(ctx, stranger, o.ID); err == nil {
		t.Error("a stranger listed the returns")
	}
	list, err := w.Orders.Returns(ctx, support, orders.ReturnQuery{Status: "refunded", Page: pageOf(10)})
	if err != nil || len(list.Data) != 2 {
		t.Errorf("staff list: %d, %v", len(list.Data), err)
	}
	_, err = w.Orders.RequestReturn(ctx, buyer, o.ID, ask(1))
	wantCode(t, err, "invalid_status") // returned: nothing left
}

func TestUnitsShare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                      string
		total, qty, from, n, want int64
	}{
		{"first unit carries the remainder", 1000, 3, 0, 1, 334},
		{"middle unit", 1000, 3, 1, 1, 333},
		{"two after the first", 1000, 3, 1, 2, 666},
		{"all units", 1000, 3, 0, 3, 1000},
		{"even split", 900, 3, 0, 2, 600},
		{"free line", 0, 2, 0, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := orders.UnitsShare(tt.total, tt.qty, tt.from, tt.n); got != tt.want {
				t.Errorf("UnitsShare(%d, %d, %d, %d) = %d, want %d", tt.total, tt.qty, tt.from, tt.n, got, tt.want)
			}
		})
	}
}
