package orders_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/payments"
)

// TestAsyncPayment: tok_async leaves the order pending; the provider's
// signed webhook confirms it (stock held for good) or fails it (canceled,
// stock released); a payment confirmed after its stock expired cancels the
// order and the sweep voids it.
func TestAsyncPayment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("authorised by webhook", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 5)
		o := w.Order(t, fulfiltest.Spec{Token: payments.TokenAsync, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 2, Total: 2000}}})
		if d := cmp.Diff([3]string{"pending", "pending", "unfulfilled"}, states(o)); d != "" {
			t.Fatalf("(-want +got):\n%s", d)
		}
		if err := w.Webhook(t, o.ID, payments.TestEventAuthorized); err != nil {
			t.Fatal(err)
		}
		got := w.order(t, o.ID)
		if d := cmp.Diff([3]string{"confirmed", "authorized", "unfulfilled"}, states(got)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		if got.ExpiresAt != nil {
			t.Errorf("a confirmed order keeps expires_at %v", got.ExpiresAt)
		}
		res, err := w.Inv.Reservation(ctx, *reservationOf(t, w, o.ID))
		if err != nil || res.ExpiresAt.Year() != 9999 {
			t.Errorf("reservation expiry %v (%v), want 9999", res.ExpiresAt, err)
		}
		if err := w.Webhook(t, o.ID, payments.TestEventSucceeded); err != nil {
			t.Fatal(err)
		}
		if s := w.order(t, o.ID).PaymentStatus; s != "captured" {
			t.Errorf("payment_status = %s, want captured", s)
		}
		// The expiry job leaves a confirmed order alone.
		if n, err := w.Orders.ExpirePending(ctx); err != nil || n != 0 {
			t.Errorf("expire: %d, %v", n, err)
		}
	})
	t.Run("authorised after the stock expired", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 5)
		o := w.Order(t, fulfiltest.Spec{Token: payments.TokenAsync, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 2, Total: 2000}}})
		// The inventory's expiry job released the stock first.
		if _, err := w.Inv.Release(ctx, *reservationOf(t, w, o.ID)); err != nil {
			t.Fatal(err)
		}
		if err := w.Webhook(t, o.ID, payments.TestEventAuthorized); err != nil {
			t.Fatal(err)
		}
		// Canceled, and showing the money that came in (the settle job
		// selects on it; an order left "pending" was never settled for good).
		if d := cmp.Diff([3]string{"canceled", "authorized", "unfulfilled"}, states(w.order(t, o.ID))); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		if n, err := w.Orders.SettleCanceled(ctx); err != nil || n != 1 {
			t.Fatalf("settle: %d, %v", n, err)
		}
		if d := cmp.Diff([3]string{"canceled", "voided", "unfulfilled"}, states(w.order(t, o.ID))); d != "" {
			t.Errorf("the late authorisation is voided (-want +got):\n%s", d)
		}
		if d := cmp.Diff([2]int64{5, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
	t.Run("failed by webhook", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 5)
		o := w.Order(t, fulfiltest.Spec{Token: payments.TokenAsync, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 2, Total: 2000}}})
		if d := cmp.Diff([2]int64{5, 2}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Fatalf("(-want +got):\n%s", d)
		}
		if err := w.Webhook(t, o.ID, payments.TestEventFailed); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"canceled", "failed", "unfulfilled"}, states(w.order(t, o.ID))); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		if d := cmp.Diff([2]int64{5, 0}, w.level(t, w.v.ID, w.wh)); d != "" {
			t.Errorf("stock not released (-want +got):\n%s", d)
		}
	})
}

// TestExpirePending: a pending order past expires_at is canceled by the
// job, its stock released and its payment voided; the sweep settles a
// canceled order whose money arrived late.
func TestExpirePending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, 5)
	past := time.Now().Add(-time.Minute)
	o := w.Order(t, fulfiltest.Spec{Token: payments.TokenAsync, ExpiresAt: &past,
		Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
	fresh := w.Order(t, fulfiltest.Spec{Token: payments.TokenAsync, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
	n, err := w.Orders.ExpirePending(ctx)
	if err != nil || n != 1 {
		t.Fatalf("expired %d (%v), want 1", n, err)
	}
	if d := cmp.Diff([3]string{"canceled", "voided", "unfulfilled"}, states(w.order(t, o.ID))); d != "" {
		t.Errorf("expired order (-want +got):\n%s", d)
	}
	if s := w.order(t, fresh.ID).Status; s != "pending" {
		t.Errorf("an unexpired order became %s", s)
	}
	if d := cmp.Diff([2]int64{5, 1}, w.level(t, w.v.ID, w.wh)); d != "" {
		t.Errorf("level (-want +got):\n%s", d)
	}
	if n, err := w.Orders.ExpirePending(ctx); err != nil || n != 0 {
		t.Errorf("second run expired %d (%v), want 0", n, err)
	}
	// Money confirmed for an order canceled before its payment could be
	// voided (provider down at cancel time): the sweep voids it.
	if err := w.DB.Conn(ctx).Exec(`UPDATE orders SET status = 'canceled' WHERE id = ?`, fresh.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.Webhook(t, fresh.ID, payments.TestEventAuthorized); err != nil {
		t.Fatal(err)
	}
	// The order mirrors the money (so the sweep finds it by the order's state).
	if d := cmp.Diff([3]string{"canceled", "authorized", "unfulfilled"}, states(w.order(t, fresh.ID))); d != "" {
		t.Errorf("late money on a canceled order (-want +got):\n%s", d)
	}
	if n, err := w.Orders.SettleCanceled(ctx); err != nil || n != 1 {
		t.Errorf("settle: %d, %v; want 1", n, err)
	}
	if d := cmp.Diff([3]string{"canceled", "voided", "unfulfilled"}, states(w.order(t, fresh.ID))); d != "" {
		t.Errorf("settled (-want +got):\n%s", d)
	}
	if n, err := w.Orders.SettleCanceled(ctx); err != nil || n != 0 {
		t.Errorf("second settle: %d, %v; want 0", n, err)
	}
}
