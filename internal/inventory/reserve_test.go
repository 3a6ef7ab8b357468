package inventory

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/internal/platform/errs"
)

func TestReserveParallelHotSKUNeverOversells(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 10)

	var ok, short atomic.Int64
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			_, err := f.inv.Reserve(context.Background(), ReserveInput{
				Reference: "cart_" + string(rune('a'+i%26)), Lines: []Line{{VariantID: v, Quantity: 1}}})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrInsufficientStock):
				short.Add(1)
			default:
				t.Errorf("reserve: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 10 || short.Load() != 40 {
		t.Fatalf("succeeded %d, insufficient %d; want 10 and 40", ok.Load(), short.Load())
	}
	lvl := f.level(t, v, wh)
	if lvl.Reserved != 10 || lvl.Available != 0 || lvl.OnHand != 10 {
		t.Errorf("level = %+v, want on_hand 10, reserved 10, available 0", lvl)
	}
	if got := f.storeAvailable(t, v); got != 0 {
		t.Errorf("store available = %d, want 0", got)
	}
	f.checkLedger(t)
}

func TestReserveCountsTwoLinesOfOneVariantAsOneDemand(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 1)

	_, err := f.inv.Reserve(t.Context(), ReserveInput{Reference: "cart_1",
		Lines: []Line{{VariantID: v, Quantity: 1}, {VariantID: v, Quantity: 1}}})
	if !errors.Is(err, ErrInsufficientStock) {
		t.Fatalf("err = %v, want insufficient_stock", err)
	}
	e, _ := errs.As(err)
	want := []errs.FieldError{{Field: "lines[0].variant_id", Message: "only 1 of 2 available"}}
	if d := cmp.Diff(want, e.Fields); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
	if lvl := f.level(t, v, wh); lvl.Reserved != 0 {
		t.Errorf("reserved = %d after rejection, want 0", lvl.Reserved)
	}
	f.checkLedger(t)
}

func TestReserveSplitsOnlyWhenNoWarehouseCanFillTheLine(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	w1, w2 := f.warehouse(t, 1), f.warehouse(t, 2)
	f.stock(t, v, w1, 1)
	f.stock(t, v, w2, 1)

	r, err := f.inv.Reserve(t.Context(), ReserveInput{Reference: "cart_1", Lines: []Line{{VariantID: v, Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []ReservationLine{
		{VariantID: v, WarehouseID: &w1, Quantity: 1},
		{VariantID: v, WarehouseID: &w2, Quantity: 1},
	}
	sortLines := cmpopts.SortSlices(func(a, b ReservationLine) bool { return *a.WarehouseID < *b.WarehouseID })
	if d := cmp.Diff(want, r.Lines, sortLines); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
	if f.storeAvailable(t, v) != 0 {
		t.Errorf("store available = %d, want 0", f.storeAvailable(t, v))
	}
	f.checkLedger(t)
}

func TestPlan(t *testing.T) {
	t.Parallel()
	a, b := "var_a", "var_b"
	tests := []struct {
		name      string
		dem       []demand
		cands     []candidate
		want      []alloc
		backorder []alloc
		short     int
	}{
		{
			name:  "priority wins over more lines",
			dem:   []demand{{variant: a, qty: 1}, {variant: b, qty: 1}},
			cands: []candidate{{a, "wh_1", 5, 1}, {a, "wh_2", 5, 2}, {b, "wh_2", 5, 2}},
			want:  []alloc{{a, "wh_1", 1}, {b, "wh_2", 1}},
		},
		{
			name:  "equal priority: the warehouse filling more lines",
			dem:   []demand{{variant: a, qty: 1}, {variant: b, qty: 1}},
			cands: []candidate{{a, "wh_1", 5, 1}, {a, "wh_2", 5, 1}, {b, "wh_2", 5, 1}},
			want:  []alloc{{a, "wh_2", 1}, {b, "wh_2", 1}},
		},
		{
			name:  "whole line from a lower-priority warehouse beats a split",
			dem:   []demand{{variant: a, qty: 3}},
			cands: []candidate{{a, "wh_1", 2, 1}, {a, "wh_2", 3, 2}},
			want:  []alloc{{a, "wh_2", 3}},
		},
		{
			name:  "split in priority order",
			dem:   []demand{{variant: a, qty: 4}},
			cands: []candidate{{a, "wh_2", 2, 2}, {a, "wh_1", 3, 1}},
			want:  []alloc{{a, "wh_1", 3}, {a, "wh_2", 1}},
		},
		{
			name:      "backorder the remainder",
			dem:       []demand{{variant: a, qty: 4, backorder: true}},
			cands:     []candidate{{a, "wh_1", 1, 1}},
			want:      []alloc{{a, "wh_1", 1}},
			backorder: []alloc{{a, "", 3}},
		},
		{
			name:  "short without backorder",
			dem:   []demand{{variant: a, qty: 4}},
			cands: []candidate{{a, "wh_1", 1, 1}},
			want:  []alloc{{a, "wh_1", 1}},
			short: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, bo, short := plan(tc.dem, tc.cands)
			if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(alloc{})); d != "" {
				t.Errorf("allocs (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.backorder, bo, cmp.AllowUnexported(alloc{})); d != "" {
				t.Errorf("backorders (-want +got):\n%s", d)
			}
			if len(short) != tc.short {
				t.Errorf("short = %v, want %d", short, tc.short)
			}
		})
	}
}

func TestReserveBackordersExplicitly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, true)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 1)

	r, err := f.inv.Reserve(t.Context(), ReserveInput{Reference: "cart_1", Lines: []Line{{VariantID: v, Quantity: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []ReservationLine{
		{VariantID: v, WarehouseID: &wh, Quantity: 1},
		{VariantID: v, Quantity: 2, Backordered: true},
	}
	if d := cmp.Diff(want, r.Lines); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
	// Releasing returns only the held unit.
	if _, err := f.inv.Release(t.Context(), r.ID); err != nil {
		t.Fatal(err)
	}
	if lvl := f.level(t, v, wh); lvl.Available != 1 || lvl.Reserved != 0 {
		t.Errorf("level after release = %+v", lvl)
	}
	f.checkLedger(t)
}

func TestReserveRejectsBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 5)
	tests := []struct {
		name  string
		in    ReserveInput
		field string
	}{
		{"no reference", ReserveInput{Lines: []Line{{VariantID: v, Quantity: 1}}}, "reference"},
		{"no lines", ReserveInput{Reference: "c"}, "lines"},
		{"zero quantity", ReserveInput{Reference: "c", Lines: []Line{{VariantID: v, Quantity: 0}}}, "lines[0].quantity"},
		{"negative quantity", ReserveInput{Reference: "c", Lines: []Line{{VariantID: v, Quantity: 1}, {VariantID: v, Quantity: -1}}}, "lines[1].quantity"},
		{"malformed variant", ReserveInput{Reference: "c", Lines: []Line{{VariantID: "nope", Quantity: 1}}}, "lines[0].variant_id"},
		{"unknown variant", ReserveInput{Reference: "c", Lines: []Line{{VariantID: "var_06h1wbq28dxanf5st2bqp8yfxm", Quantity: 1}}}, "lines[0].variant_id"},
		{"negative ttl", ReserveInput{Reference: "c", TTL: -time.Second, Lines: []Line{{VariantID: v, Quantity: 1}}}, "ttl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.inv.Reserve(t.Context(), tc.in)
			e, ok := errs.As(err)
			if !ok || e.Code != "validation_failed" || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
				t.Fatalf("err = %v (%+v), want validation_failed on %s", err, e, tc.field)
			}
		})
	}
	if lvl := f.level(t, v, wh); lvl.Reserved != 0 {
		t.Errorf("reserved = %d, want 0", lvl.Reserved)
	}
	f.checkLedger(t)
}

func TestReleaseAndCommit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 5)
	ctx := t.Context()

	r1, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_1", Lines: []Line{{VariantID: v, Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_2", Lines: []Line{{VariantID: v, Quantity: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_3", Lines: []Line{{VariantID: v, Quantity: 1}}}); !errors.Is(err, ErrInsufficientStock) {
		t.Fatalf("third reserve: %v, want insufficient_stock", err)
	}

	// Commit: on_hand and reserved drop by 2, a sale is ledgered.
	c, err := f.inv.Commit(ctx, r1.ID)
	if err != nil || c.Status != StatusCommitted {
		t.Fatalf("commit = %+v, %v", c, err)
	}
	if _, err := f.inv.Commit(ctx, r1.ID); err != nil {
		t.Fatalf("second commit: %v, want idempotent", err)
	}
	if _, err := f.inv.Release(ctx, r1.ID); !errors.Is(err, ErrReservationCommitted) {
		t.Fatalf("release committed: %v, want reservation_committed", err)
	}
	lvl := f.level(t, v, wh)
	if lvl.OnHand != 3 || lvl.Reserved != 3 {
		t.Errorf("after commit level = %+v, want on_hand 3 reserved 3", lvl)
	}

	// Release twice: stock comes back once.
	for range 2 {
		rel, err := f.inv.Release(ctx, r2.ID)
		if err != nil || rel.Status != StatusReleased {
			t.Fatalf("release = %+v, %v", rel, err)
		}
	}
	if _, err := f.inv.Commit(ctx, r2.ID); !errors.Is(err, ErrReservationClosed) {
		t.Fatalf("commit released: %v, want reservation_closed", err)
	}
	lvl = f.level(t, v, wh)
	if lvl.OnHand != 3 || lvl.Reserved != 0 || f.storeAvailable(t, v) != 3 {
		t.Errorf("after release level = %+v, store %d", lvl, f.storeAvailable(t, v))
	}
	if _, err := f.inv.Release(ctx, "res_06h1wbq28dxanf5st2bqp8yfxm"); !errors.Is(err, ErrReservationNotFound) {
		t.Errorf("release unknown: %v", err)
	}
	mv, err := f.inv.ListMovements(ctx, admin, MovementQuery{VariantID: v, Page: pr(10)})
	if err != nil {
		t.Fatal(err)
	}
	if len(mv.Data) != 2 || mv.Data[0].Kind != KindSale || mv.Data[0].Delta != -2 || mv.Data[0].Reference != "order_1" {
		t.Errorf("movements = %+v, want the sale first", mv.Data)
	}
	f.checkLedger(t)
}

func TestReleaseExpiredMakesStockSellableAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 1)
	ctx := t.Context()

	r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_1", TTL: time.Minute, Lines: []Line{{VariantID: v, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_2", Lines: []Line{{VariantID: v, Quantity: 1}}}); !errors.Is(err, ErrInsufficientStock) {
		t.Fatalf("reserve while held: %v", err)
	}
	if n, err := f.inv.ReleaseExpired(ctx, r.ExpiresAt.Add(-time.Second)); err != nil || n != 0 {
		t.Fatalf("before expiry released %d, %v", n, err)
	}
	// Several sweepers at once (several nodes): the reservation is released once.
	var total atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			n, err := f.inv.ReleaseExpired(context.Background(), r.ExpiresAt.Add(time.Second))
			if err != nil {
				t.Error(err)
			}
			total.Add(int64(n))
		})
	}
	wg.Wait()
	if total.Load() != 1 {
		t.Fatalf("released %d reservations in total, want 1", total.Load())
	}
	got, _ := f.inv.Reservation(ctx, r.ID)
	if got.Status != StatusReleased {
		t.Errorf("status = %s", got.Status)
	}
	if _, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_2", Lines: []Line{{VariantID: v, Quantity: 1}}}); err != nil {
		t.Fatalf("reserve after expiry: %v", err)
	}
	f.checkLedger(t)
}

func TestReserveReplansWhenStockIsTakenMidway(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		steals  int // attempts whose planned stock is taken
		wantErr error
	}{
		{"one lost race, then success", 1, nil},
		{"always losing gives up", reserveAttempts, ErrInsufficientStock},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			vs := f.variants(t, 2, false)
			w1, w2 := f.warehouse(t, 1), f.warehouse(t, 2)
			for _, v := range vs {
				f.stock(t, v, w1, 2)
				f.stock(t, v, w2, 2)
			}
			calls := 0
			// The "concurrent checkout" reserves all of vs[1] at w1 after the
			// plan was made; the savepoint rollback undoes it too, as a real
			// competitor's commit would not, so the next plan sees stock again.
			f.inv.beforeApply = func(ctx context.Context) {
				calls++
				if calls <= tc.steals {
					if err := f.inv.db.Conn(ctx).Exec(`UPDATE stock_levels SET reserved = on_hand
						WHERE variant_id = ? AND warehouse_id = ?`, vs[1], w1).Error; err != nil {
						t.Error(err)
					}
				}
			}
			r, err := f.inv.Reserve(t.Context(), ReserveInput{Reference: "cart_1",
				Lines: []Line{{VariantID: vs[0], Quantity: 2}, {VariantID: vs[1], Quantity: 2}}})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if want := min(tc.steals+1, reserveAttempts); calls != want {
				t.Errorf("attempts = %d, want %d", calls, want)
			}
			if tc.wantErr == nil && len(r.Lines) != 2 {
				t.Errorf("lines = %+v", r.Lines)
			}
			var n int64
			f.inv.db.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM reservations`).Scan(&n)
			if want := int64(1); tc.wantErr != nil && n != 0 || tc.wantErr == nil && n != want {
				t.Errorf("reservations = %d", n)
			}
			f.checkLedger(t)
		})
	}
}

func TestReleaseExpiredNowUsesTheDatabaseClock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 1)
	r, err := f.inv.Reserve(t.Context(), ReserveInput{Reference: "cart_1", TTL: time.Millisecond,
		Lines: []Line{{VariantID: v, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	n, err := f.inv.ReleaseExpiredNow(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("released %d, %v; want 1", n, err)
	}
	if got, _ := f.inv.Reservation(t.Context(), r.ID); got.Status != StatusReleased {
		t.Errorf("status = %s", got.Status)
	}
	f.checkLedger(t)
}
