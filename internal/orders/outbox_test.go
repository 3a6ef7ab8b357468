package orders_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/orders"
	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/payments"
	"storekeep/internal/platform/events"
)

// outboxOf is the types of the events recorded about one resource, in
// order, with their payloads decoded as orders.
func outboxOf(t *testing.T, w world, subjectID string) ([]string, []orders.Order) {
	t.Helper()
	evs, err := events.List(context.Background(), w.DB, events.Filter{SubjectID: subjectID})
	if err != nil {
		t.Fatal(err)
	}
	types := make([]string, len(evs))
	payloads := make([]orders.Order, len(evs))
	for i, e := range evs {
		types[i] = e.Type
		if e.ResourceType == "order" {
			if err := json.Unmarshal(e.Payload, &payloads[i]); err != nil {
				t.Fatalf("%s payload: %v", e.Type, err)
			}
		}
	}
	return types, payloads
}

// Each event carries the order as the change left it: the delivery that
// completes the order shows it completed, the capture that follows the
// fulfilment shows the money captured.
func TestOrderEventsCarryTheOrderAfterTheChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, 5)
	o := w.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 2, Total: 2000}}})
	f, err := w.Orders.CreateFulfillment(ctx, keeper, o.ID, orders.FulfillmentInput{WarehouseID: w.wh,
		Items: []orders.FulfillmentItemInput{{ItemID: o.Items[0].ID, Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Orders.ShipFulfillment(ctx, keeper, o.ID, f.ID, orders.ShipInput{Carrier: "Colissimo", TrackingNumber: "6A1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Orders.DeliverFulfillment(ctx, keeper, o.ID, f.ID); err != nil {
		t.Fatal(err)
	}
	types, got := outboxOf(t, w, o.ID)
	want := []string{"order.created", "order.fulfilled", "order.paid", "order.shipped", "order.delivered"}
	if d := cmp.Diff(want, types); d != "" {
		t.Fatalf("events (-want +got):\n%s", d)
	}
	wantStates := [][3]string{
		{"confirmed", "authorized", "unfulfilled"},
		{"confirmed", "authorized", "fulfilled"},
		{"confirmed", "captured", "fulfilled"},
		{"confirmed", "captured", "shipped"},
		{"completed", "captured", "delivered"},
	}
	for i, o := range got {
		if d := cmp.Diff(wantStates[i], states(o)); d != "" {
			t.Errorf("%s payload (-want +got):\n%s", types[i], d)
		}
	}
	if d := cmp.Diff(w.order(t, o.ID), got[4]); d != "" {
		t.Errorf("the last payload is not the order as GET returns it (-want +got):\n%s", d)
	}
}

// Captured as placed: order.created then order.paid, in the checkout's
// transaction.
func TestCapturedAtCheckoutIsPaidAtOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 5)
	o := w.Order(t, fulfiltest.Spec{Capture: true, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
	types, got := outboxOf(t, w, o.ID)
	if d := cmp.Diff([]string{"order.created", "order.paid"}, types); d != "" {
		t.Fatalf("events (-want +got):\n%s", d)
	}
	if got[1].PaymentStatus != "captured" {
		t.Errorf("order.paid payment_status = %s", got[1].PaymentStatus)
	}
}

// A failed async payment cancels the order: one order.canceled, showing the
// payment failed (the state after the webhook's whole change); money that
// arrives for a canceled order never makes it paid.
func TestCanceledOrdersAndLateMoney(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("failed payment", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 5)
		o := w.Order(t, fulfiltest.Spec{Token: payments.TokenAsync, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
		if err := w.Webhook(t, o.ID, payments.TestEventFailed); err != nil {
			t.Fatal(err)
		}
		types, got := outboxOf(t, w, o.ID)
		if d := cmp.Diff([]string{"order.created", "order.canceled"}, types); d != "" {
			t.Fatalf("events (-want +got):\n%s", d)
		}
		if d := cmp.Diff([3]string{"canceled", "failed", "unfulfilled"}, states(got[1])); d != "" {
			t.Errorf("order.canceled payload (-want +got):\n%s", d)
		}
	})
	t.Run("captured after a cancel", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 5)
		o := w.Order(t, fulfiltest.Spec{Token: payments.TokenAsync, Lines: []fulfiltest.Line{{Variant: w.v, Quantity: 1, Total: 1000}}})
		if _, err := w.Orders.Cancel(ctx, manager, o.ID); err != nil {
			t.Fatal(err)
		}
		// The provider could not void in time (simulated): the money
		// arrives for the canceled order, and the sweep refunds it.
		if err := w.DB.Conn(ctx).Exec(`UPDATE orders SET payment_status = 'pending' WHERE id = ?`, o.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := w.DB.Conn(ctx).Exec(`UPDATE payments SET status = 'pending' WHERE order_id = ?`, o.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := w.Webhook(t, o.ID, payments.TestEventSucceeded); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([3]string{"canceled", "captured", "unfulfilled"}, states(w.order(t, o.ID))); d != "" {
			t.Fatalf("the late money is not on the order (-want +got):\n%s", d)
		}
		types, _ := outboxOf(t, w, o.ID)
		if d := cmp.Diff([]string{"order.created", "order.canceled"}, types); d != "" {
			t.Errorf("events (-want +got):\n%s", d)
		}
	})
}
