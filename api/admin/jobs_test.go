package admin_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"storekeep/internal/catalog"
	"storekeep/internal/inventory"
)

// drain runs the server's own job runner until no job is left, so a test sees
// the effect of the durable jobs the requests enqueued (or the periodic ones).
func drain(t *testing.T, b *buyer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = b.h.Server.Jobs.Stop(stop)
	})
	if err := b.h.Server.Jobs.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestLowStockDraftsAPurchaseOrderThroughTheJob drives automatic reordering
// end to end over HTTP: an adjustment takes available stock to the reorder
// point, which enqueues the reorder job in the same transaction; the
// server's runner drafts a purchase order for the preferred supplier, sized
// to reorder point + safety stock - available (no sales yet, so no forecast
// demand), rounded up to the MOQ of 6: 10 + 5 - 5 = 10 -> 12.
func TestLowStockDraftsAPurchaseOrderThroughTheJob(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, 1)
	v := b.variants[0]
	b.do(b.keeper, http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": v,
		"warehouse_id": b.warehouse, "delta": 20, "reason": "opening stock"}).Expect(t, http.StatusCreated)
	b.do(b.keeper, http.MethodPatch, "/v1/admin/inventory/levels/"+v+"/"+b.warehouse, map[string]any{
		"reorder_point": 10, "safety_stock": 5}).Expect(t, http.StatusOK)
	if got := b.drafts(); len(got) != 0 {
		t.Fatalf("drafts before stock fell: %+v", got)
	}

	b.do(b.keeper, http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": v,
		"warehouse_id": b.warehouse, "delta": -15, "reason": "damaged"}).Expect(t, http.StatusCreated)
	// The job was enqueued by the adjustment's transaction, not by the
	// runner's start-up sweep: the runner has not started yet.
	if n := pending(t, b); n != 1 {
		t.Fatalf("jobs enqueued by the fall = %d, want 1", n)
	}
	drain(t, b)

	got := b.drafts()
	if len(got) != 1 {
		t.Fatalf("drafts after the job = %d, want 1", len(got))
	}
	po := got[0]
	if po.SupplierID != b.supplier.ID || len(po.Items) != 1 || po.Items[0].VariantID != v || po.Items[0].Quantity != 12 {
		t.Fatalf("draft = %+v, want 12 x %s from %s", po, v, b.supplier.ID)
	}

	// A further fall while low enqueues nothing: the hourly sweep tops the
	// draft up (tested in internal/inventory).
	b.do(b.keeper, http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": v,
		"warehouse_id": b.warehouse, "delta": -5, "reason": "damaged"}).Expect(t, http.StatusCreated)
	if n := pending(t, b); n != 0 {
		t.Fatalf("jobs enqueued by a fall while low = %d, want 0", n)
	}
}

func pending(t *testing.T, b *buyer) int64 {
	t.Helper()
	n, err := b.h.Server.Jobs.Pending(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestExpiredReservationIsSellableAgainInTheStore reserves the last unit the
// way checkout does, lets the hold expire, and lets the server's runner sweep
// it: the store shows the unit available again.
func TestExpiredReservationIsSellableAgainInTheStore(t *testing.T) {
	t.Parallel()
	c := newStockClient(t)
	wh := c.warehouse("EXP", 1)
	c.adjust(wh.ID, 1)
	inv := inventory.NewService(c.h.DB, catalog.NewService(c.h.DB))
	if _, err := inv.Reserve(t.Context(), inventory.ReserveInput{Reference: "cart_expiring", TTL: time.Millisecond,
		Lines: []inventory.Line{{VariantID: c.variant, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	if v := c.storeVariant(); v.Available != 0 || v.InStock {
		t.Fatalf("held: available %d in_stock %v, want 0 false", v.Available, v.InStock)
	}
	time.Sleep(20 * time.Millisecond)

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.h.Server.Jobs.Stop(stop)
	})
	// Start runs the periodic expiry sweep at once; Drain waits for it.
	if err := c.h.Server.Jobs.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		v := c.storeVariant()
		if v.Available == 1 && v.InStock {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the sweep: available %d in_stock %v, want 1 true", v.Available, v.InStock)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// drafts lists the shop's draft purchase orders.
func (b *buyer) drafts() []inventory.PurchaseOrder {
	b.t.Helper()
	var l struct {
		Data []inventory.PurchaseOrder `json:"data"`
	}
	b.do(b.manager, http.MethodGet, "/v1/admin/purchase-orders?status=draft", nil).Expect(b.t, http.StatusOK).JSON(b.t, &l)
	return l.Data
}
