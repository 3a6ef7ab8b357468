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

func TestCancel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("an authorised order: stock released, payment voided", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 5)
		o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 2, Total: 2000}}})
		got, err := w.Orders.Cancel(ctx, manager, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"canceled", "voided", "unfulfilled"}, states(got)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		if got.CanceledAt == nil {
			t.Error("canceled_at not set")
		}
		if d := cmp.Diff([2]int64{5, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("stock not released (-want +got):\n%s", d)
		}
		_, err = w.Orders.Cancel(ctx, manager, o.ID)
		wantCode(t, err, "invalid_status")
		before := w.order(t, o.ID)
		_, err = w.Orders.CreateFulfillment(ctx, keeper, o.ID, orders.FulfillmentInput{
			Items: []orders.FulfillmentItemInput{{ItemID: o.Items[0].ID, Quantity: 1}}})
		wantCode(t, err, "invalid_status") // a canceled order is not fulfilled
		if d := cmp.Diff(before, w.order(t, o.ID)); d != "" {
			t.Errorf("(-before +after):\n%s", d)
		}
		if d := cmp.Diff([2]int64{5, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
	t.Run("a captured order: refunded in full", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 5)
		o := w.Order(t, fulfiltest.Spec{Capture: true, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1999}}})
		got, err := w.Orders.Cancel(ctx, manager, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"canceled", "refunded", "unfulfilled"}, states(got)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		refunds, err := w.Orders.Refunds(ctx, support, o.ID)
		if err != nil || len(refunds) != 1 || refunds[0].Amount.Minor != 1999 {
			t.Errorf("refunds %+v, %v: want one of 1999", refunds, err)
		}
	})
	t.Run("refused: fulfilled, shipped, by support", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 5)
		o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
		_, err := w.Orders.Cancel(ctx, support, o.ID)
		wantCode(t, err, "forbidden")
		w.deliver(t, o)
		before := w.order(t, o.ID)
		_, err = w.Orders.Cancel(ctx, manager, o.ID)
		wantCode(t, err, "invalid_status")
		if d := cmp.Diff(before, w.order(t, o.ID)); d != "" {
			t.Errorf("a refused cancel changed the order (-before +after):\n%s", d)
		}
	})
}

// TestCancelParallel: two managers cancel at once; one wins, the other is
// 409, the payment is voided once and the stock released once.
func TestCancelParallel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, 3)
	o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 2, Total: 2000}}})
	var (
		wg  sync.WaitGroup
		won atomic.Int32
	)
	for range 4 {
		wg.Go(func() {
			_, err := w.Orders.Cancel(ctx, manager, o.ID)
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
	if d := cmp.Diff([3]string{"canceled", "voided", "unfulfilled"}, states(w.order(t, o.ID))); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if d := cmp.Diff([2]int64{3, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
		t.Errorf("level (-want +got):\n%s", d)
	}
	if n := w.TP.Calls()["void"]; n != 1 {
		t.Errorf("provider voids = %d, want 1", n)
	}
}

func TestRefund(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, 5)
	o := w.Order(t, fulfiltest.Spec{Capture: true, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 5000}}})
	eur := func(n int64) orders.RefundInput {
		return orders.RefundInput{Amount: moneyEUR(n), Reason: "goodwill"}
	}
	r, err := w.Orders.CreateRefund(ctx, manager, o.ID, eur(1200), "key-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Amount.Minor != 1200 || r.PaymentID == "" || r.Reason != "goodwill" {
		t.Errorf("refund: %+v", r)
	}
	again, err := w.Orders.CreateRefund(ctx, manager, o.ID, eur(1200), "key-1")
	if err != nil || again.ID != r.ID {
		t.Errorf("retry with the same key: %+v, %v; want the same refund", again, err)
	}
	if s := w.order(t, o.ID).PaymentStatus; s != "partially_refunded" {
		t.Errorf("payment_status = %s, want partially_refunded", s)
	}
	tests := []struct {
		name string
		in   orders.RefundInput
		code string
	}{
		{"above what is left", eur(3801), "refund_exceeds_captured"},
		{"another currency", orders.RefundInput{Amount: moneyOf(100, "USD"), Reason: "x"}, "currency_mismatch"},
		{"zero", eur(0), "validation_failed"},
		{"no reason", orders.RefundInput{Amount: moneyEUR(1)}, "validation_failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.Orders.CreateRefund(ctx, manager, o.ID, tt.in, "")
			wantCode(t, err, tt.code)
		})
	}
	_, err = w.Orders.CreateRefund(ctx, support, o.ID, eur(1), "")
	wantCode(t, err, "forbidden")
	if _, err := w.Orders.CreateRefund(ctx, manager, o.ID, eur(3800), "key-2"); err != nil {
		t.Fatal(err)
	}
	if s := w.order(t, o.ID).PaymentStatus; s != "refunded" {
		t.Errorf("payment_status = %s, want refunded", s)
	}
	list, err := w.Orders.Refunds(ctx, support, o.ID)
	if err != nil || len(list) != 2 {
		t.Errorf("refunds: %d, %v; want 2", len(list), err)
	}

	t.Run("a voided payment cannot be refunded", func(t *testing.T) {
		o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
		if _, err := w.Orders.Cancel(ctx, manager, o.ID); err != nil {
			t.Fatal(err)
		}
		before := w.order(t, o.ID)
		_, err := w.Orders.CreateRefund(ctx, manager, o.ID, eur(100), "")
		wantCode(t, err, "invalid_status")
		if d := cmp.Diff(before, w.order(t, o.ID)); d != "" {
			t.Errorf("(-before +after):\n%s", d)
		}
	})
}

// TestRefundParallel: concurrent refunds never exceed the capture.
func TestRefundParallel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, 5)
	o := w.Order(t, fulfiltest.Spec{Capture: true, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
	var (
		wg sync.WaitGroup
		ok atomic.Int64
	)
	for range 10 {
		wg.Go(func() {
			_, err := w.Orders.CreateRefund(ctx, manager, o.ID, orders.RefundInput{Amount: moneyEUR(300), Reason: "race"}, "")
			if err == nil {
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	if n := ok.Load(); n != 3 {
		t.Errorf("%d refunds of 300 out of 1000 succeeded, want 3", n)
	}
	list, err := w.Orders.Refunds(ctx, support, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, r := range list {
		sum += r.Amount.Minor
	}
	if sum != 900 {
		t.Errorf("refunded %d, want 900", sum)
	}
	if s := w.order(t, o.ID).PaymentStatus; s != "partially_refunded" {
		t.Errorf("payment_status = %s", s)
	}
}
