package inventory

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/page"
)

// pageAll is a page request large enough for any test list.
var pageAll = page.Request{Limit: page.MaxLimit}

// queue stands in for the durable job queue: it records enqueued jobs in the
// same transaction as the stock change (a row in a table the test owns), so a
// rolled-back change leaves no job, as with River's transactional enqueue.
type queue struct {
	f      fixture
	events []LowStockEvent
	fail   error
}

func newQueue(t *testing.T, f fixture) *queue {
	t.Helper()
	if err := f.inv.db.Conn(t.Context()).Exec(`CREATE TABLE test_jobs (variant_id TEXT NOT NULL)`).Error; err != nil {
		t.Fatal(err)
	}
	q := &queue{f: f}
	f.inv.OnLowStock(ReorderOnLowStock(q.record, q.enqueue))
	return q
}

func (q *queue) record(_ context.Context, typ, subject string, payload any) error {
	if typ != EventLowStock || subject != payload.(LowStockEvent).VariantID {
		return errors.New("unexpected event")
	}
	q.events = append(q.events, payload.(LowStockEvent))
	return nil
}

func (q *queue) enqueue(ctx context.Context, a ReorderArgs) error {
	if q.fail != nil {
		return q.fail
	}
	return q.f.inv.db.Conn(ctx).Exec(`INSERT INTO test_jobs (variant_id) VALUES (?)`, a.VariantID).Error
}

// run works off every queued job, as the job worker would after the commit.
func (q *queue) run(t *testing.T) {
	t.Helper()
	var jobs []string
	conn := q.f.inv.db.Conn(t.Context())
	if err := conn.Raw(`SELECT variant_id FROM test_jobs`).Scan(&jobs).Error; err != nil {
		t.Fatal(err)
	}
	for _, v := range jobs {
		if _, err := q.f.inv.ReorderVariant(t.Context(), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := conn.Exec(`DELETE FROM test_jobs`).Error; err != nil {
		t.Fatal(err)
	}
}

func TestLowStockEnqueuesReorder(t *testing.T) {
	t.Parallel()
	p := newPurchasing(t, 1, 10, 0)
	q := newQueue(t, p.fixture)
	ctx := t.Context()
	v := p.variants[0]
	p.stock(t, v, p.wh, 40)
	rp, ss := int64(15), int64(5)
	if _, err := p.inv.UpdateLevel(ctx, manager, v, p.wh, LevelPatch{ReorderPoint: &rp, SafetyStock: &ss}); err != nil {
		t.Fatal(err)
	}
	if len(q.events) != 0 {
		t.Fatalf("events above the reorder point: %+v", q.events)
	}
	// An adjustment takes available to 12 <= 15: one event, one job.
	if _, err := p.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: p.wh, Delta: -28,
		Reason: "damaged"}); err != nil {
		t.Fatal(err)
	}
	want := []LowStockEvent{{VariantID: v, WarehouseID: p.wh, OnHand: 12, Available: 12, ReorderPoint: 15, SafetyStock: 5}}
	if d := cmp.Diff(want, q.events); d != "" {
		t.Fatalf("events (-want +got)\n%s", d)
	}
	q.run(t)
	// need = 15 + 5 - 12 = 8 -> MOQ 10.
	pos, err := p.inv.ListPurchaseOrders(ctx, manager, "draft", pageAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(pos.Data) != 1 || pos.Data[0].Items[0].Quantity != 10 || pos.Data[0].Items[0].VariantID != v {
		t.Fatalf("drafts after the job = %+v", pos.Data)
	}
	// Another drop while low fires nothing (one event per fall); the
	// periodic sweep tops the draft up to the new suggestion
	// (15 + 5 - 4 = 16 -> MOQ 20), and running it again changes nothing.
	if _, err := p.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: p.wh, Delta: -8,
		Reason: "damaged"}); err != nil {
		t.Fatal(err)
	}
	if len(q.events) != 1 {
		t.Fatalf("events while already low: %+v", q.events)
	}
	for range 2 {
		if err := p.inv.ReorderLow(ctx); err != nil {
			t.Fatal(err)
		}
	}
	pos, err = p.inv.ListPurchaseOrders(ctx, manager, "draft", pageAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(pos.Data) != 1 || pos.Data[0].Items[0].Quantity != 20 {
		t.Fatalf("drafts after the sweep = %+v", pos.Data)
	}

	// Back above the reorder point and down again: a second fall, a second event.
	if _, err := p.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: p.wh, Delta: 30,
		Reason: "found"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: p.wh, Delta: -20,
		Reason: "damaged"}); err != nil {
		t.Fatal(err)
	}
	if len(q.events) != 2 || q.events[1].Available != 14 {
		t.Fatalf("events after a second fall: %+v", q.events)
	}

	// A failing enqueue rolls the stock change that crosses the point back.
	if _, err := p.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: p.wh, Delta: 10,
		Reason: "found"}); err != nil {
		t.Fatal(err)
	}
	q.fail = errors.New("queue down")
	before := p.level(t, v, p.wh)
	if _, err := p.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: p.wh, Delta: -10,
		Reason: "damaged"}); err == nil {
		t.Fatal("adjustment committed although its reorder job could not be enqueued")
	}
	if d := cmp.Diff(before, p.level(t, v, p.wh)); d != "" {
		t.Fatalf("level changed (-before +after)\n%s", d)
	}
	p.checkLedger(t)
}
