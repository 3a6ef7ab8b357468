package orders_test

import (
	"testing"

	"storekeep/internal/orders"
)

// TestMachineLegal lists every transition of the three state machines that
// is allowed, and a set of tempting ones that are not.
func TestMachineLegal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		m        orders.Machine
		from, to string
		legal    bool
	}{
		{"payment confirms a pending order", orders.MachineStatus, "pending", "confirmed", true},
		{"delivery completes a confirmed order", orders.MachineStatus, "confirmed", "completed", true},
		{"a pending order is canceled", orders.MachineStatus, "pending", "canceled", true},
		{"a confirmed order is canceled", orders.MachineStatus, "confirmed", "canceled", true},
		{"a pending order cannot complete", orders.MachineStatus, "pending", "completed", false},
		{"a completed order cannot be canceled", orders.MachineStatus, "completed", "canceled", false},
		{"a canceled order cannot be confirmed", orders.MachineStatus, "canceled", "confirmed", false},
		{"a canceled order stays canceled", orders.MachineStatus, "canceled", "canceled", false},

		{"pending is authorised", orders.MachinePayment, "pending", "authorized", true},
		{"pending is captured", orders.MachinePayment, "pending", "captured", true},
		{"authorised is captured", orders.MachinePayment, "authorized", "captured", true},
		{"captured is partly refunded", orders.MachinePayment, "captured", "partially_refunded", true},
		{"a further partial refund", orders.MachinePayment, "partially_refunded", "partially_refunded", true},
		{"the rest is refunded", orders.MachinePayment, "partially_refunded", "refunded", true},
		{"captured is refunded at once", orders.MachinePayment, "captured", "refunded", true},
		{"authorised is voided", orders.MachinePayment, "authorized", "voided", true},
		{"pending is voided", orders.MachinePayment, "pending", "voided", true},
		{"pending fails", orders.MachinePayment, "pending", "failed", true},
		{"a voided payment cannot be refunded", orders.MachinePayment, "voided", "refunded", false},
		{"a voided payment cannot be captured", orders.MachinePayment, "voided", "captured", false},
		{"an authorisation cannot be refunded", orders.MachinePayment, "authorized", "refunded", false},
		{"a capture cannot be voided", orders.MachinePayment, "captured", "voided", false},
		{"captured cannot be captured again", orders.MachinePayment, "captured", "captured", false},
		{"refunded cannot go back", orders.MachinePayment, "refunded", "partially_refunded", false},
		{"failed cannot be authorised", orders.MachinePayment, "failed", "authorized", false},

		{"first partial fulfilment", orders.MachineFulfillment, "unfulfilled", "partially_fulfilled", true},
		{"further partial fulfilment", orders.MachineFulfillment, "partially_fulfilled", "partially_fulfilled", true},
		{"fulfilled at once", orders.MachineFulfillment, "unfulfilled", "fulfilled", true},
		{"fulfilled at last", orders.MachineFulfillment, "partially_fulfilled", "fulfilled", true},
		{"shipped", orders.MachineFulfillment, "fulfilled", "shipped", true},
		{"delivered", orders.MachineFulfillment, "shipped", "delivered", true},
		{"returned", orders.MachineFulfillment, "delivered", "returned", true},
		{"a canceled fulfilment leaves units to ship", orders.MachineFulfillment, "fulfilled", "partially_fulfilled", true},
		{"a canceled fulfilment leaves nothing fulfilled", orders.MachineFulfillment, "fulfilled", "unfulfilled", true},
		{"the only partial fulfilment is canceled", orders.MachineFulfillment, "partially_fulfilled", "unfulfilled", true},
		{"a shipped order cannot step back", orders.MachineFulfillment, "shipped", "partially_fulfilled", false},
		{"a delivered order cannot be unfulfilled", orders.MachineFulfillment, "delivered", "unfulfilled", false},
		{"an unfulfilled order cannot ship", orders.MachineFulfillment, "unfulfilled", "shipped", false},
		{"a partly fulfilled order cannot ship", orders.MachineFulfillment, "partially_fulfilled", "shipped", false},
		{"an unshipped order cannot be delivered", orders.MachineFulfillment, "fulfilled", "delivered", false},
		{"an undelivered order cannot be returned", orders.MachineFulfillment, "shipped", "returned", false},
		{"a returned order cannot be delivered", orders.MachineFulfillment, "returned", "delivered", false},
		{"unknown target", orders.MachineFulfillment, "unfulfilled", "lost", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.m.Legal(tt.from, tt.to); got != tt.legal {
				t.Errorf("Legal(%q, %q) = %v, want %v", tt.from, tt.to, got, tt.legal)
			}
		})
	}
}
