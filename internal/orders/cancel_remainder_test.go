package orders_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/orders"
	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/money"
)

// fulfil ships qty units of the order's first line from the world's warehouse.
func (w world) fulfil(t *testing.T, o orders.Order, qty int64) orders.Fulfillment {
	t.Helper()
	f, err := w.Orders.CreateFulfillment(context.Background(), keeper, o.ID, orders.FulfillmentInput{
		Items: []orders.FulfillmentItemInput{{ItemID: o.Items[0].ID, Quantity: qty}}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// money reads the order's payment: [authorised, captured, refunded].
func (w world) money(t *testing.T, orderID string) [3]int64 {
	t.Helper()
	ps, err := w.Pay.ForOrder(context.Background(), orderID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("payments of %s: %+v, %v", orderID, ps, err)
	}
	return [3]int64{ps[0].Amount.Minor, ps[0].Captured.Minor, ps[0].Refunded.Minor}
}

// checkStock asserts the stock invariants: on_hand is the ledger's sum and
// reserved is what active reservations hold, for every level.
func (w world) checkStock(t *testing.T) {
	t.Helper()
	var bad []struct {
		VariantID, WarehouseID         string
		OnHand, Ledger, Reserved, Held int64
	}
	err := w.DB.Conn(context.Background()).Raw(`SELECT l.variant_id, l.warehouse_id, l.on_hand, l.reserved,
		COALESCE((SELECT SUM(m.delta) FROM stock_movements m
		          WHERE m.variant_id = l.variant_id AND m.warehouse_id = l.warehouse_id), 0) AS ledger,
		COALESCE((SELECT SUM(rl.quantity) FROM reservation_lines rl JOIN reservations r ON r.id = rl.reservation_id
		          WHERE r.status = 'active' AND rl.variant_id = l.variant_id AND rl.warehouse_id = l.warehouse_id), 0) AS held
		FROM stock_levels l`).Scan(&bad).Error
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		if b.OnHand != b.Ledger || b.Reserved != b.Held {
			t.Errorf("level %s@%s: on_hand %d (ledger %d), reserved %d (reservations hold %d)",
				b.VariantID, b.WarehouseID, b.OnHand, b.Ledger, b.Reserved, b.Held)
		}
	}
}

// eventTypes lists the order's timeline entry types.
func (w world) eventTypes(t *testing.T, orderID string) []string {
	t.Helper()
	evs, err := w.Orders.Events(context.Background(), support, orderID)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

func canceledUnits(o orders.Order) []int64 {
	out := make([]int64, len(o.Items))
	for i, it := range o.Items {
		out[i] = it.CanceledQuantity
	}
	return out
}

func TestCancelRemainder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("authorised: the capture takes the fulfilled share only", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 10)
		o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 5, Total: 5000}}})
		f := w.fulfil(t, o, 2)
		got, err := w.Orders.CancelRemainder(ctx, manager, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"confirmed", "captured", "fulfilled"}, states(got)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		if d := cmp.Diff([]int64{3}, canceledUnits(got)); d != "" || got.CanceledTotal.Minor != 3000 {
			t.Errorf("canceled_total %d, canceled units (-want +got):\n%s", got.CanceledTotal.Minor, d)
		}
		if d := cmp.Diff([3]int64{5000, 2000, 0}, w.money(t, o.ID)); d != "" {
			t.Errorf("payment [authorised, captured, refunded] (-want +got):\n%s", d)
		}
		if d := cmp.Diff([2]int64{8, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("the remainder's stock is on sale again (-want +got):\n%s", d)
		}
		w.checkStock(t)
		_, err = w.Orders.CancelRemainder(ctx, manager, o.ID)
		wantCode(t, err, "invalid_status") // nothing left
		// The fulfilment ships and is delivered: the order completes.
		if _, err := w.Orders.ShipFulfillment(ctx, keeper, o.ID, f.ID, orders.ShipInput{Carrier: "UPS", TrackingNumber: "1Z"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Orders.DeliverFulfillment(ctx, keeper, o.ID, f.ID); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"completed", "captured", "delivered"}, states(w.order(t, o.ID))); d != "" {
			t.Errorf("delivered (-want +got):\n%s", d)
		}
		if n := w.TP.Calls()["capture"]; n != 1 {
			t.Errorf("provider captures = %d, want 1", n)
		}
		types := w.eventTypes(t, o.ID)
		for _, want := range []string{"order.remainder_canceled", "order.remainder_settled"} {
			if !contains(types, want) {
				t.Errorf("timeline %v lacks %s", types, want)
			}
		}
	})
	t.Run("captured at checkout: the canceled share is refunded", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 10)
		v2 := w.Variant(t)
		w.Stock(t, v2.ID, w.wh, 2)
		o := w.Order(t, fulfiltest.Spec{Capture: true, Lines: []fulfiltest.Line{
			{Variant: w.v, Quantity: 3, Total: 1000}, {Variant: v2, Quantity: 2, Total: 999}}})
		w.fulfil(t, o, 1) // the first unit of the first line: 334
		got, err := w.Orders.CancelRemainder(ctx, manager, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		// 333 + 333 for the first line, 500 + 499 for the second.
		if d := cmp.Diff([]int64{2, 2}, canceledUnits(got)); d != "" || got.CanceledTotal.Minor != 1665 {
			t.Errorf("canceled_total %d, units (-want +got):\n%s", got.CanceledTotal.Minor, d)
		}
		if d := cmp.Diff([3]string{"confirmed", "partially_refunded", "fulfilled"}, states(got)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		if d := cmp.Diff([3]int64{1999, 1999, 1665}, w.money(t, o.ID)); d != "" {
			t.Errorf("payment (-want +got):\n%s", d)
		}
		refunds, err := w.Orders.Refunds(ctx, support, o.ID)
		if err != nil || len(refunds) != 1 || refunds[0].Amount.Minor != 1665 {
			t.Errorf("refunds %+v, %v: want one of 1665", refunds, err)
		}
		if d := cmp.Diff([][2]int64{{9, 0}, {2, 0}}, [][2]int64{w.level(t, w.v.ID, w.wh), w.level(t, v2.ID, w.wh)}); d != "" {
			t.Errorf("levels (-want +got):\n%s", d)
		}
		w.checkStock(t)
	})
	t.Run("every fulfilment already delivered: the order completes at once, and is returned", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 10)
		cid := w.Customer(t)
		o := w.Order(t, fulfiltest.Spec{CustomerID: &cid, Capture: true, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 3, Total: 3000}}})
		f := w.fulfil(t, o, 1)
		if _, err := w.Orders.ShipFulfillment(ctx, keeper, o.ID, f.ID, orders.ShipInput{Carrier: "UPS", TrackingNumber: "1Z"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Orders.DeliverFulfillment(ctx, keeper, o.ID, f.ID); err != nil {
			t.Fatal(err)
		}
		got, err := w.Orders.CancelRemainder(ctx, manager, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"completed", "partially_refunded", "delivered"}, states(got)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		// The one unit that was delivered comes back: the order is
		// returned (the canceled units never left) and fully refunded.
		buyer := auth.Actor{Kind: auth.Customer, ID: cid}
		r, err := w.Orders.RequestReturn(ctx, buyer, o.ID, orders.ReturnInput{Reason: "broken",
			Items: []orders.ReturnItemInput{{ItemID: o.Items[0].ID, Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Orders.ReceiveReturn(ctx, keeper, r.ID, orders.ReceiveInput{WarehouseID: w.wh,
			Items: []orders.ReceiveItemInput{{ItemID: o.Items[0].ID, Quantity: 1, Condition: "sellable"}}}); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"completed", "refunded", "returned"}, states(w.order(t, o.ID))); d != "" {
			t.Errorf("returned (-want +got):\n%s", d)
		}
		if d := cmp.Diff([3]int64{3000, 3000, 3000}, w.money(t, o.ID)); d != "" {
			t.Errorf("payment (-want +got):\n%s", d)
		}
		w.checkStock(t)
	})
	t.Run("refused: nothing fulfilled, all fulfilled, not confirmed, by support", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 10)
		o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 2, Total: 2000}}})
		_, err := w.Orders.CancelRemainder(ctx, support, o.ID)
		wantCode(t, err, "forbidden")
		_, err = w.Orders.CancelRemainder(ctx, manager, o.ID)
		wantCode(t, err, "invalid_status") // nothing fulfilled: cancel the order instead
		w.fulfilAll(t, o)
		full := w.order(t, o.ID)
		_, err = w.Orders.CancelRemainder(ctx, manager, o.ID)
		wantCode(t, err, "invalid_status") // nothing left
		if d := cmp.Diff(full, w.order(t, o.ID)); d != "" {
			t.Errorf("a refused cancellation changed the order (-before +after):\n%s", d)
		}
		pending := w.Order(t, fulfiltest.Spec{Token: payments.TokenAsync, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
		_, err = w.Orders.CancelRemainder(ctx, manager, pending.ID)
		wantCode(t, err, "invalid_status")
		_, err = w.Orders.CancelRemainder(ctx, manager, "order_nope")
		wantCode(t, err, "not_found")
		if n := w.count(t, "order_cancellations"); n != 0 {
			t.Errorf("%d cancellations after refusals", n)
		}
	})
	t.Run("a remainder canceled after a manual capture is refunded", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 10)
		o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 3, Total: 3000}}})
		w.fulfil(t, o, 1)
		if _, err := w.Orders.CapturePayment(ctx, manager, o.ID); err != nil {
			t.Fatal(err)
		}
		got, err := w.Orders.CancelRemainder(ctx, manager, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]int64{3000, 3000, 2000}, w.money(t, o.ID)); d != "" {
			t.Errorf("payment (-want +got):\n%s", d)
		}
		if d := cmp.Diff([3]string{"confirmed", "partially_refunded", "fulfilled"}, states(got)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
}

// TestCancelRemainderParallel: four managers cancel one remainder at once:
// one wins, the others are 409; the stock is released and the payment
// captured once.
func TestCancelRemainderParallel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, 10)
	o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 4, Total: 4000}}})
	w.fulfil(t, o, 1)
	var (
		wg  sync.WaitGroup
		won atomic.Int32
	)
	for range 4 {
		wg.Go(func() {
			_, err := w.Orders.CancelRemainder(ctx, manager, o.ID)
			if err == nil {
				won.Add(1)
				return
			}
			wantCode(t, err, "invalid_status")
		})
	}
	wg.Wait()
	if n := won.Load(); n != 1 {
		t.Errorf("%d cancellations won, want 1", n)
	}
	got := w.order(t, o.ID)
	if d := cmp.Diff([]int64{3}, canceledUnits(got)); d != "" || got.CanceledTotal.Minor != 3000 {
		t.Errorf("canceled_total %d, units (-want +got):\n%s", got.CanceledTotal.Minor, d)
	}
	if d := cmp.Diff([3]int64{4000, 1000, 0}, w.money(t, o.ID)); d != "" {
		t.Errorf("payment (-want +got):\n%s", d)
	}
	if d := cmp.Diff([2]int64{9, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
		t.Errorf("level (-want +got):\n%s", d)
	}
	if n := w.count(t, "order_cancellations"); n != 1 {
		t.Errorf("%d cancellations, want 1", n)
	}
	if n := w.TP.Calls()["capture"]; n != 1 {
		t.Errorf("provider captures = %d, want 1", n)
	}
	w.checkStock(t)
}

// downProvider is the test provider with its money-moving calls failing in
// transport (a timeout: the outcome is unknown, so a retry resumes the
// same request).
type downProvider struct{ *payments.TestProvider }

var errTimeout = errors.New("provider timeout")

func (downProvider) Capture(context.Context, string, money.Amount, string) (payments.Result, error) {
	return payments.Result{}, errTimeout
}

func (downProvider) Refund(context.Context, string, money.Amount, string) (payments.Result, error) {
	return payments.Result{}, errTimeout
}

// TestCancelRemainderProviderDown: the provider fails when the remainder is
// canceled. The order is consistent at once (units canceled, stock
// released); the failure is in the timeline and the periodic job's
// SettleCancellations / CaptureFulfilled settle the money once the
// provider is back, once.
func TestCancelRemainderProviderDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, captured := range []bool{true, false} {
		name := map[bool]string{true: "captured: refund", false: "authorised: reduced capture"}[captured]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, 10)
			o := w.Order(t, fulfiltest.Spec{Capture: captured, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 3, Total: 3000}}})
			w.fulfil(t, o, 1)
			down := orders.NewService(w.DB, orders.WithInventory(w.Inv),
				orders.WithPayments(payments.NewService(w.DB, payments.WithProvider(downProvider{w.TP}))))
			got, err := down.CancelRemainder(ctx, manager, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]int64{2}, canceledUnits(got)); d != "" || got.FulfillmentStatus != "fulfilled" {
				t.Errorf("%s, units (-want +got):\n%s", got.FulfillmentStatus, d)
			}
			if d := cmp.Diff([2]int64{9, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
				t.Errorf("level (-want +got):\n%s", d)
			}
			if !contains(w.eventTypes(t, o.ID), "payment.settle_failed") {
				t.Errorf("no payment.settle_failed in %v", w.eventTypes(t, o.ID))
			}
			if n, err := down.SettleCancellations(ctx); err != nil || n != 0 {
				t.Errorf("settled %d (%v) while the provider is down", n, err)
			}
			for range 2 { // the periodic job, twice
				if _, err := w.Orders.CaptureFulfilled(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := w.Orders.SettleCancellations(ctx); err != nil {
					t.Fatal(err)
				}
			}
			want := [3]int64{3000, 3000, 2000}
			if !captured {
				want = [3]int64{3000, 1000, 0}
			}
			if d := cmp.Diff(want, w.money(t, o.ID)); d != "" {
				t.Errorf("payment (-want +got):\n%s", d)
			}
			if n := w.TP.Calls()["refund"] + w.TP.Calls()["capture"]; n != 1 {
				t.Errorf("provider refunds + captures = %d, want 1", n)
			}
			var pending int64
			if err := w.DB.Conn(ctx).Raw(`SELECT COUNT(*) FROM order_cancellations WHERE status = 'pending'`).Scan(&pending).Error; err != nil || pending != 0 {
				t.Errorf("%d cancellations still pending (%v)", pending, err)
			}
		})
	}
}
