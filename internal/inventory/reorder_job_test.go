package inventory

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// TestReorderJob runs the real chain on River: an adjustment takes stock
// below the reorder point, the hook records inventory.low_stock and enqueues
// the job in the adjustment's transaction, the job drafts the purchase order
// sized to the MOQ; falls while low enqueue nothing, and the periodic sweep
// tops the draft up.
func TestReorderJob(t *testing.T) {
	t.Parallel()
	p := newPurchasing(t, 1, 12, 0)
	runner := jobs.New(p.inv.db, jobs.Options{PollInterval: 20 * time.Millisecond})
	p.inv.RegisterReordering(runner)
	t.Cleanup(func() { _ = runner.Stop(context.Background()) })
	ctx := t.Context()
	v := p.variants[0]
	p.stock(t, v, p.wh, 50)
	rp, ss := int64(20), int64(10)
	if _, err := p.inv.UpdateLevel(ctx, manager, v, p.wh, LevelPatch{ReorderPoint: &rp, SafetyStock: &ss}); err != nil {
		t.Fatal(err)
	}
	drain := func() {
		t.Helper()
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := runner.Drain(dctx); err != nil {
			t.Fatal(err)
		}
	}
	// 50 - 35 = 15 <= 20: low. need = 20 + 10 - 15 = 15 -> 24 (MOQ 12).
	if _, err := p.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: p.wh, Delta: -35,
		Reason: "water damage"}); err != nil {
		t.Fatal(err)
	}
	drain()
	drafts := func() []PurchaseOrder {
		t.Helper()
		l, err := p.inv.ListPurchaseOrders(ctx, manager, "draft", pageAll)
		if err != nil {
			t.Fatal(err)
		}
		return l.Data
	}
	got := drafts()
	if len(got) != 1 || len(got[0].Items) != 1 || got[0].Items[0].Quantity != 24 || got[0].CreatedBy != SystemReorder {
		t.Fatalf("drafts after the job = %+v", got)
	}
	evs, err := events.List(ctx, p.inv.db, events.Filter{Type: EventLowStock})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].SubjectID != v {
		t.Fatalf("low_stock events = %+v", evs)
	}
	var payload LowStockEvent
	if err := json.Unmarshal(evs[0].Payload, &payload); err != nil {
		t.Fatal(err)
	}
	want := LowStockEvent{VariantID: v, WarehouseID: p.wh, OnHand: 15, Available: 15, ReorderPoint: 20, SafetyStock: 10}
	if d := cmp.Diff(want, payload); d != "" {
		t.Fatalf("event payload (-want +got)\n%s", d)
	}

	// Another drop while low (15 -> 13) enqueues no job: one event per fall.
	if _, err := p.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: p.wh, Delta: -2,
		Reason: "water damage"}); err != nil {
		t.Fatal(err)
	}
	if n, err := runner.Pending(ctx); err != nil || n != 0 {
		t.Fatalf("jobs pending after a fall while low = %d, %v; want 0", n, err)
	}
	// A bigger drop (13 -> 1), then the periodic sweep (enqueued by hand
	// here; River schedules it hourly): need = 29 -> 36, the line is topped up.
	if _, err := p.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: p.wh, Delta: -12,
		Reason: "water damage"}); err != nil {
		t.Fatal(err)
	}
	if err := runner.Enqueue(ctx, ReorderSweepArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	drain()
	if got := drafts(); len(got) != 1 || got[0].Items[0].Quantity != 36 {
		t.Fatalf("drafts after the sweep = %+v", got)
	}
	if evs, err := events.List(ctx, p.inv.db, events.Filter{Type: EventLowStock}); err != nil || len(evs) != 1 {
		t.Fatalf("low_stock events after falls while low = %d, %v; want still 1", len(evs), err)
	}
	var failed int64
	if err := p.inv.db.Conn(ctx).Raw(`SELECT count(*) FROM river_job WHERE state <> 'completed'`).Scan(&failed).Error; err != nil {
		t.Fatal(err)
	}
	if failed != 0 {
		t.Fatalf("%d jobs did not complete", failed)
	}
}
