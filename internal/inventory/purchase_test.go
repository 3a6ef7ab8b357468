package inventory

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

func TestPOTransitions(t *testing.T) {
	all := []POStatus{PODraft, POSent, POPartiallyReceived, POReceived, POCanceled}
	legal := map[[2]POStatus]bool{
		{PODraft, POSent}: true, {PODraft, POCanceled}: true,
		{POSent, POPartiallyReceived}: true, {POSent, POReceived}: true, {POSent, POCanceled}: true,
		{POPartiallyReceived, POPartiallyReceived}: true, {POPartiallyReceived, POReceived}: true,
	}
	for _, from := range all {
		for _, to := range all {
			t.Run(string(from)+"->"+string(to), func(t *testing.T) {
				if got := from.canMove(to); got != legal[[2]POStatus{from, to}] {
					t.Fatalf("canMove = %v, want %v", got, !got)
				}
			})
		}
	}
	if d := cmp.Diff([]string{"sent", "partially_received"}, sourcesOf(POPartiallyReceived)); d != "" {
		t.Errorf("sourcesOf(partially_received) (-want +got)\n%s", d)
	}
	if d := cmp.Diff([]string{"draft", "sent"}, sourcesOf(POCanceled)); d != "" {
		t.Errorf("sourcesOf(canceled) (-want +got)\n%s", d)
	}
}

// purchasing is a fixture with one supplier selling the given variants.
type purchasing struct {
	fixture
	sup      Supplier
	variants []string
	wh       string
}

func newPurchasing(t *testing.T, n int, moq int64, lead int) purchasing {
	t.Helper()
	f := newFixture(t)
	p := purchasing{fixture: f, variants: f.variants(t, n, false), wh: f.warehouse(t, 1)}
	var err error
	p.sup, err = f.inv.CreateSupplier(t.Context(), manager, SupplierInput{Name: "Lumière Labs", Currency: "EUR",
		LeadTimeDays: lead})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range p.variants {
		_, err := f.inv.PutSupplierItem(t.Context(), manager, p.sup.ID, v, SupplierItemInput{
			UnitCost: money.Amount{Minor: 250, Currency: "EUR"}, MOQ: moq, Preferred: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// sentPO creates and sends an order of qty units per variant.
func (p purchasing) sentPO(t *testing.T, qty int64) PurchaseOrder {
	t.Helper()
	in := PurchaseOrderInput{SupplierID: p.sup.ID}
	for _, v := range p.variants {
		in.Items = append(in.Items, PurchaseOrderItemInput{VariantID: v, Quantity: qty})
	}
	po, err := p.inv.CreatePurchaseOrder(t.Context(), manager, in)
	if err != nil {
		t.Fatal(err)
	}
	if po, err = p.inv.SendPurchaseOrder(t.Context(), manager, po.ID); err != nil {
		t.Fatal(err)
	}
	return po
}

func TestReceiveMovesStockAndStatus(t *testing.T) {
	t.Parallel()
	p := newPurchasing(t, 2, 1, 0)
	po := p.sentPO(t, 10)
	ctx := t.Context()
	v0, v1 := p.variants[0], p.variants[1]

	got, err := p.inv.ReceivePurchaseOrder(ctx, keeper, po.ID, ReceiveInput{WarehouseID: p.wh,
		Items: []ReceiveItem{{VariantID: v0, Quantity: 10}, {VariantID: v1, Quantity: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != POPartiallyReceived {
		t.Fatalf("status = %s, want partially_received", got.Status)
	}
	_, err = p.inv.ReceivePurchaseOrder(ctx, keeper, po.ID, ReceiveInput{WarehouseID: p.wh,
		Items: []ReceiveItem{{VariantID: v1, Quantity: 7}}})
	if !errors.Is(err, ErrOverReceipt) {
		t.Fatalf("over receipt: err = %v, want over_receipt", err)
	}
	if e, _ := errs.As(err); len(e.Fields) != 1 || e.Fields[0].Field != "items[0].quantity" {
		t.Fatalf("over receipt fields = %+v", e.Fields)
	}
	got, err = p.inv.ReceivePurchaseOrder(ctx, keeper, po.ID, ReceiveInput{WarehouseID: p.wh,
		Items: []ReceiveItem{{VariantID: v1, Quantity: 6}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != POReceived {
		t.Fatalf("status = %s, want received", got.Status)
	}
	if a, b := p.level(t, v0, p.wh).OnHand, p.level(t, v1, p.wh).OnHand; a != 10 || b != 10 {
		t.Fatalf("on hand = %d, %d; want 10, 10", a, b)
	}
	var refs []string
	if err := p.inv.db.Conn(ctx).Table("stock_movements").Where("kind = ?", KindReceipt).
		Order("created_at, id").Pluck("reference", &refs).Error; err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{po.ID, po.ID, po.ID}, refs); d != "" {
		t.Errorf("receipt movements (-want +got)\n%s", d)
	}
	p.checkLedger(t)
	if _, err := p.inv.ReceivePurchaseOrder(ctx, keeper, po.ID, ReceiveInput{WarehouseID: p.wh,
		Items: []ReceiveItem{{VariantID: v1, Quantity: 1}}}); !errors.Is(err, ErrInvalidStatus) {
		t.Fatalf("receiving a received order: err = %v, want invalid_status", err)
	}
	if _, err := p.inv.CancelPurchaseOrder(ctx, manager, po.ID); !errors.Is(err, ErrInvalidStatus) {
		t.Fatalf("canceling a received order: err = %v, want invalid_status", err)
	}
}

// TestParallelReceivesNeverExceedOrdered fires many receipts at one line at
// once: exactly quantity/n of them succeed and the rest are over_receipt.
func TestParallelReceivesNeverExceedOrdered(t *testing.T) {
	t.Parallel()
	p := newPurchasing(t, 1, 1, 0)
	po := p.sentPO(t, 10)
	const workers = 20
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		ok, over int
	)
	for range workers {
		wg.Go(func() {
			_, err := p.inv.ReceivePurchaseOrder(context.Background(), keeper, po.ID, ReceiveInput{WarehouseID: p.wh,
				Items: []ReceiveItem{{VariantID: p.variants[0], Quantity: 2}}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrOverReceipt), errors.Is(err, ErrInvalidStatus):
				over++
			default:
				t.Errorf("receive: %v", err)
			}
		})
	}
	wg.Wait()
	if ok != 5 || over != workers-5 {
		t.Fatalf("ok = %d, rejected = %d; want 5 and %d", ok, over, workers-5)
	}
	got, err := p.inv.PurchaseOrder(t.Context(), manager, po.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != POReceived || got.Items[0].Received != 10 {
		t.Fatalf("status %s, received %d; want received, 10", got.Status, got.Items[0].Received)
	}
	if lvl := p.level(t, p.variants[0], p.wh); lvl.OnHand != 10 {
		t.Fatalf("on hand = %d, want 10", lvl.OnHand)
	}
	p.checkLedger(t)
}

// lowStock sets a reorder point and sells stock down below it.
func (p purchasing) sell(t *testing.T, variantID string, qty int64) {
	t.Helper()
	_, _, err := p.inv.Move(t.Context(), Move{VariantID: variantID, WarehouseID: p.wh, Delta: -qty, Kind: KindSale,
		Reason: "test sale", Actor: systemAct})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReorderVariant(t *testing.T) {
	t.Parallel()
	p := newPurchasing(t, 2, 12, 10)
	ctx := t.Context()
	v0, v1 := p.variants[0], p.variants[1]
	p.stock(t, v0, p.wh, 30)
	p.stock(t, v1, p.wh, 30)
	rp, ss := int64(20), int64(5)
	for _, v := range p.variants {
		if _, err := p.inv.UpdateLevel(ctx, manager, v, p.wh, LevelPatch{ReorderPoint: &rp, SafetyStock: &ss}); err != nil {
			t.Fatal(err)
		}
	}
	// Nothing low yet: no order.
	po, err := p.inv.ReorderVariant(ctx, v0)
	if err != nil || po != nil {
		t.Fatalf("ReorderVariant above the reorder point = %v, %v; want nil, nil", po, err)
	}
	// Sell 12 today: demand smoothed over 56 days is 12*0.3 = 3.6/day, so
	// lead-time demand is ceil(36) = 36; need = 20 + 5 + 36 - 18 = 43 -> 48 (MOQ 12).
	p.sell(t, v0, 12)
	f, err := p.inv.Forecast(ctx, keeper, v0)
	if err != nil {
		t.Fatal(err)
	}
	cover := 5.0 // 18 available / 3.6 a day
	wantF := Forecast{VariantID: v0, WindowDays: ForecastDays, Alpha: SmoothingAlpha, DailySales: f.DailySales,
		AverageDailyDemand: 3.6, OnHand: 18, Available: 18, ReorderPoint: 20, SafetyStock: 5,
		PreferredSupplierID: &p.sup.ID, LeadTimeDays: 10, MOQ: 12, DaysOfCover: &cover, SuggestedReorderQuantity: 48}
	if d := cmp.Diff(wantF, f); d != "" {
		t.Fatalf("forecast (-want +got)\n%s", d)
	}
	if last := f.DailySales[ForecastDays-1]; last != 12 || len(f.DailySales) != ForecastDays {
		t.Fatalf("daily sales end with %d (len %d), want 12 today", last, len(f.DailySales))
	}
	if _, err := p.inv.Forecast(ctx, support, v0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("support reading the forecast: err = %v, want forbidden", err)
	}
	po, err = p.inv.ReorderVariant(ctx, v0)
	if err != nil {
		t.Fatal(err)
	}
	want := []PurchaseOrderItem{{VariantID: v0, Quantity: 48, UnitCost: money.Amount{Minor: 250, Currency: "EUR"}}}
	if po == nil || po.Status != PODraft || po.CreatedBy != SystemReorder {
		t.Fatalf("draft = %+v", po)
	}
	if d := cmp.Diff(want, po.Items); d != "" {
		t.Fatalf("items (-want +got)\n%s", d)
	}
	// Again: idempotent, same draft, same quantity.
	again, err := p.inv.ReorderVariant(ctx, v0)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != po.ID || cmp.Diff(want, again.Items) != "" {
		t.Fatalf("second run changed the draft: %+v", again)
	}
	// Another variant of the same supplier joins the same draft.
	p.sell(t, v1, 15) // 4.5/day -> 45; need = 25 + 45 - 15 = 55 -> 60
	third, err := p.inv.ReorderVariant(ctx, v1)
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, PurchaseOrderItem{VariantID: v1, Quantity: 60, UnitCost: money.Amount{Minor: 250, Currency: "EUR"}})
	if third.ID != po.ID {
		t.Fatalf("a second draft was created: %s", third.ID)
	}
	if d := cmp.Diff(want, third.Items); d != "" {
		t.Fatalf("items (-want +got)\n%s", d)
	}
	var drafts int64
	p.inv.db.Conn(ctx).Model(&poRow{}).Where("status = ?", PODraft).Count(&drafts)
	if drafts != 1 {
		t.Fatalf("%d drafts, want 1", drafts)
	}
	// Once sent, the order counts as on order: no new draft is needed.
	if _, err := p.inv.SendPurchaseOrder(ctx, manager, po.ID); err != nil {
		t.Fatal(err)
	}
	if after, err := p.inv.ReorderVariant(ctx, v0); err != nil || after != nil {
		t.Fatalf("reorder with enough on order = %+v, %v; want nil", after, err)
	}
}

func TestSupplierValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	tests := []struct {
		name   string
		in     SupplierInput
		fields []string
	}{
		{"missing name and currency", SupplierInput{}, []string{"name", "currency"}},
		{"unknown currency", SupplierInput{Name: "X", Currency: "EUX"}, []string{"currency"}},
		{"lower-case currency", SupplierInput{Name: "X", Currency: "eur"}, []string{"currency"}},
		{"negative lead time", SupplierInput{Name: "X", Currency: "EUR", LeadTimeDays: -1}, []string{"lead_time_days"}},
		{"lead time over a year", SupplierInput{Name: "X", Currency: "EUR", LeadTimeDays: 366}, []string{"lead_time_days"}},
		{"bad email", SupplierInput{Name: "X", Currency: "EUR", Email: "not-mail"}, []string{"email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.inv.CreateSupplier(ctx, manager, tt.in)
			e, ok := errs.As(err)
			if !ok || e.Code != "validation_failed" {
				t.Fatalf("err = %v, want validation_failed", err)
			}
			var got []string
			for _, fe := range e.Fields {
				got = append(got, fe.Field)
			}
			if d := cmp.Diff(tt.fields, got); d != "" {
				t.Fatalf("fields (-want +got)\n%s", d)
			}
		})
	}
	if _, err := f.inv.CreateSupplier(ctx, keeper, SupplierInput{Name: "X", Currency: "EUR"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("warehouse staff creating a supplier: err = %v, want forbidden", err)
	}
	var n int64
	f.inv.db.Conn(ctx).Model(&Supplier{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d suppliers written by rejected requests", n)
	}
}

func TestOnePreferredSupplierPerVariant(t *testing.T) {
	t.Parallel()
	p := newPurchasing(t, 1, 1, 0)
	ctx := t.Context()
	other, err := p.inv.CreateSupplier(ctx, manager, SupplierInput{Name: "Other", Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.inv.PutSupplierItem(ctx, manager, other.ID, p.variants[0], SupplierItemInput{
		UnitCost: money.Amount{Minor: 1, Currency: "EUR"}, Preferred: true}); err != nil {
		t.Fatal(err)
	}
	var preferred []string
	p.inv.db.Conn(ctx).Model(&supplierItemRow{}).Where("preferred").Pluck("supplier_id", &preferred)
	if d := cmp.Diff([]string{other.ID}, preferred); d != "" {
		t.Fatalf("preferred suppliers (-want +got)\n%s", d)
	}
	// The database backs the rule up even if the service did not.
	err = p.inv.db.Conn(ctx).Exec(`UPDATE supplier_items SET preferred = TRUE WHERE supplier_id = ?`, p.sup.ID).Error
	if err == nil {
		t.Fatal("two preferred suppliers for one variant were accepted by the database")
	}
}

// TestConcurrentReordersMakeOneDraft runs the reorder job for one variant
// many times at once (retries, duplicate low-stock events): the supplier
// lock makes them queue, so there is exactly one draft with one line.
func TestConcurrentReordersMakeOneDraft(t *testing.T) {
	t.Parallel()
	p := newPurchasing(t, 1, 5, 0)
	v := p.variants[0]
	p.stock(t, v, p.wh, 3)
	rp := int64(10)
	if _, err := p.inv.UpdateLevel(t.Context(), manager, v, p.wh, LevelPatch{ReorderPoint: &rp}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := p.inv.ReorderVariant(context.Background(), v); err != nil {
				t.Errorf("reorder: %v", err)
			}
		})
	}
	wg.Wait()
	l, err := p.inv.ListPurchaseOrders(t.Context(), manager, "", pageAll)
	if err != nil {
		t.Fatal(err)
	}
	// need = 10 - 3 = 7 -> MOQ 5 -> 10.
	if len(l.Data) != 1 || len(l.Data[0].Items) != 1 || l.Data[0].Items[0].Quantity != 10 {
		t.Fatalf("purchase orders = %+v", l.Data)
	}
}

// TestPONumbersAreUnique creates orders in parallel: every one gets its own number.
func TestPONumbersAreUnique(t *testing.T) {
	t.Parallel()
	p := newPurchasing(t, 1, 1, 0)
	const n = 10
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		nums = map[string]bool{}
	)
	for range n {
		wg.Go(func() {
			po, err := p.inv.CreatePurchaseOrder(context.Background(), manager, PurchaseOrderInput{SupplierID: p.sup.ID,
				Items: []PurchaseOrderItemInput{{VariantID: p.variants[0], Quantity: 1}}})
			if err != nil {
				t.Errorf("create: %v", err)
				return
			}
			mu.Lock()
			nums[po.Number] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(nums) != n {
		t.Fatalf("%d distinct numbers for %d orders: %v", len(nums), n, nums)
	}
}
