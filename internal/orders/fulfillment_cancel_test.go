package orders_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/orders"
	"storekeep/internal/orders/fulfiltest"
)

func TestCancelFulfillment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("the units are to fulfil again and their stock held for the order", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 10)
		o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 3, Total: 3000}}})
		f := w.fulfil(t, o, 2)
		if _, err := w.Orders.PackFulfillment(ctx, keeper, o.ID, f.ID); err != nil {
			t.Fatal(err)
		}
		got, err := w.Orders.CancelFulfillment(ctx, keeper, o.ID, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "canceled" || got.CanceledAt == nil || len(got.Items) != 1 || got.Items[0].Quantity != 2 {
			t.Errorf("canceled fulfilment: %+v", got)
		}
		ord := w.order(t, o.ID)
		if d := cmp.Diff([3]string{"confirmed", "authorized", "unfulfilled"}, states(ord)); d != "" || ord.Items[0].FulfilledQuantity != 0 {
			t.Errorf("fulfilled %d (-want +got):\n%s", ord.Items[0].FulfilledQuantity, d)
		}
		// on_hand back to 10, all 3 units held for the order (not on sale).
		if d := cmp.Diff([2]int64{10, 3}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		w.checkStock(t)
		_, err = w.Orders.CancelFulfillment(ctx, keeper, o.ID, f.ID)
		wantCode(t, err, "invalid_status") // twice
		_, err = w.Orders.ShipFulfillment(ctx, keeper, o.ID, f.ID, orders.ShipInput{Carrier: "UPS", TrackingNumber: "1Z"})
		wantCode(t, err, "invalid_status") // a canceled fulfilment does not ship
		// A new fulfilment takes the units, from the reservation.
		w.fulfilAll(t, w.order(t, o.ID))
		if d := cmp.Diff([3]string{"confirmed", "captured", "fulfilled"}, states(w.order(t, o.ID))); d != "" {
			t.Errorf("fulfilled again (-want +got):\n%s", d)
		}
		if d := cmp.Diff([2]int64{7, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		w.checkStock(t)
		list, err := w.Orders.Fulfillments(ctx, support, o.ID)
		if err != nil || len(list) != 2 || list[0].Status != "canceled" || list[1].Status != "created" {
			t.Errorf("fulfilments: %+v, %v", list, err)
		}
	})
	t.Run("a fully fulfilled order steps back; the other fulfilment still ships", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 10)
		o := w.Order(t, fulfiltest.Spec{Capture: true, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 3, Total: 3000}}})
		f1 := w.fulfil(t, o, 1)
		f2 := w.fulfil(t, o, 2)
		if _, err := w.Orders.ShipFulfillment(ctx, keeper, o.ID, f1.ID, orders.ShipInput{Carrier: "UPS", TrackingNumber: "1Z"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Orders.CancelFulfillment(ctx, keeper, o.ID, f2.ID); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"confirmed", "captured", "partially_fulfilled"}, states(w.order(t, o.ID))); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		_, err := w.Orders.CancelFulfillment(ctx, keeper, o.ID, f1.ID)
		wantCode(t, err, "invalid_status") // shipped
		// The two units will not come: cancel them, refunded; the shipped
		// unit is delivered and the order completes.
		if _, err := w.Orders.CancelRemainder(ctx, manager, o.ID); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"confirmed", "partially_refunded", "shipped"}, states(w.order(t, o.ID))); d != "" {
			t.Errorf("after the remainder (-want +got):\n%s", d)
		}
		if _, err := w.Orders.DeliverFulfillment(ctx, keeper, o.ID, f1.ID); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"completed", "partially_refunded", "delivered"}, states(w.order(t, o.ID))); d != "" {
			t.Errorf("delivered (-want +got):\n%s", d)
		}
		if d := cmp.Diff([3]int64{3000, 3000, 2000}, w.money(t, o.ID)); d != "" {
			t.Errorf("payment (-want +got):\n%s", d)
		}
		if d := cmp.Diff([2]int64{9, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		w.checkStock(t)
	})
	t.Run("after a remainder cancellation, nothing left fulfilled: the order is canceled whole", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 10)
		o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 3, Total: 3000}}})
		f := w.fulfil(t, o, 1)
		if _, err := w.Orders.CancelRemainder(ctx, manager, o.ID); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]int64{3000, 1000, 0}, w.money(t, o.ID)); d != "" {
			t.Errorf("reduced capture (-want +got):\n%s", d)
		}
		if _, err := w.Orders.CancelFulfillment(ctx, keeper, o.ID, f.ID); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([2]int64{10, 1}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		_, err := w.Orders.CancelRemainder(ctx, manager, o.ID)
		wantCode(t, err, "invalid_status") // nothing fulfilled: a plain cancel
		got, err := w.Orders.Cancel(ctx, manager, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"canceled", "refunded", "unfulfilled"}, states(got)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		if d := cmp.Diff([3]int64{3000, 1000, 1000}, w.money(t, o.ID)); d != "" {
			t.Errorf("payment (-want +got):\n%s", d)
		}
		if d := cmp.Diff([2]int64{10, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		w.checkStock(t)
	})
	t.Run("refused: wrong role, unknown, another order's", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 10)
		o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 2, Total: 2000}}})
		other := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
		f := w.fulfil(t, o, 1)
		_, err := w.Orders.CancelFulfillment(ctx, support, o.ID, f.ID)
		wantCode(t, err, "forbidden")
		_, err = w.Orders.CancelFulfillment(ctx, keeper, other.ID, f.ID)
		wantCode(t, err, "not_found")
		_, err = w.Orders.CancelFulfillment(ctx, keeper, o.ID, "ful_nope")
		wantCode(t, err, "not_found")
		if got := w.order(t, o.ID); got.Items[0].FulfilledQuantity != 1 {
			t.Errorf("refusals changed the order: %+v", got.Items[0])
		}
		w.checkStock(t)
	})
}

// TestCancelFulfillmentParallel: four people cancel one fulfilment at once:
// one wins, the others are 409; the units and the stock come back once.
func TestCancelFulfillmentParallel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, 10)
	o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 3, Total: 3000}}})
	f := w.fulfil(t, o, 2)
	var (
		wg  sync.WaitGroup
		won atomic.Int32
	)
	for range 4 {
		wg.Go(func() {
			_, err := w.Orders.CancelFulfillment(ctx, keeper, o.ID, f.ID)
			if err == nil {
				won.Add(1)
				return
			}
			wantCode(t, err, "invalid_status")
		})
	}
	wg.Wait()
	if n := won.Load(); n != 1 {
		t.Errorf("%d cancels won, want 1", n)
	}
	if got := w.order(t, o.ID); got.Items[0].FulfilledQuantity != 0 || got.FulfillmentStatus != "unfulfilled" {
		t.Errorf("order after the race: %s, %+v", got.FulfillmentStatus, got.Items[0])
	}
	if d := cmp.Diff([2]int64{10, 3}, w.level(t, w.v.ID, w.wh)); d != "" {
		t.Errorf("level (-want +got):\n%s", d)
	}
	w.checkStock(t)
}
