package inventory

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/internal/platform/errs"
)

func TestMoveAppliesDeltaAndRecordsMovement(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)

	lvl, mv, err := f.inv.Move(t.Context(), Move{VariantID: v, WarehouseID: wh, Delta: 7,
		Kind: KindReceipt, Reason: "po", Reference: "po_x", Actor: keeper})
	if err != nil {
		t.Fatal(err)
	}
	want := Level{VariantID: v, WarehouseID: wh, OnHand: 7, Available: 7}
	if d := cmp.Diff(want, lvl, cmpopts.IgnoreFields(Level{}, "UpdatedAt")); d != "" {
		t.Errorf("level (-want +got):\n%s", d)
	}
	wantMv := Movement{VariantID: v, WarehouseID: wh, Delta: 7, Kind: KindReceipt, Reason: "po",
		Reference: "po_x", ActorKind: "staff", ActorID: keeper.ID}
	if d := cmp.Diff(wantMv, mv, cmpopts.IgnoreFields(Movement{}, "ID", "CreatedAt")); d != "" {
		t.Errorf("movement (-want +got):\n%s", d)
	}
	if got := f.storeAvailable(t, v); got != 7 {
		t.Errorf("store available = %d, want 7", got)
	}
	f.checkLedger(t)
}

func TestMoveRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 5)
	// Reserve 3 so that removing more than 2 hits the reserved guard.
	if _, err := f.inv.Reserve(t.Context(), ReserveInput{Reference: "cart_1",
		Lines: []Line{{VariantID: v, Quantity: 3}}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		m    Move
		want error
	}{
		{"zero delta", Move{VariantID: v, WarehouseID: wh, Delta: 0, Kind: KindAdjustment}, errs.ErrValidation},
		{"huge delta", Move{VariantID: v, WarehouseID: wh, Delta: MaxDelta + 1, Kind: KindAdjustment}, errs.ErrValidation},
		{"bad kind", Move{VariantID: v, WarehouseID: wh, Delta: 1, Kind: "gift"}, errs.ErrValidation},
		{"unknown variant", Move{VariantID: "var_06h1wbq28dxanf5st2bqp8yfxm", WarehouseID: wh, Delta: 1, Kind: KindAdjustment}, errs.ErrValidation},
		{"malformed variant", Move{VariantID: "x", WarehouseID: wh, Delta: 1, Kind: KindAdjustment}, errs.ErrValidation},
		{"unknown warehouse", Move{VariantID: v, WarehouseID: "wh_06h1wbq28dxanf5st2bqp8yfxm", Delta: 1, Kind: KindAdjustment}, errs.ErrValidation},
		{"below zero", Move{VariantID: v, WarehouseID: wh, Delta: -6, Kind: KindAdjustment}, ErrInsufficientStock},
		{"below reserved", Move{VariantID: v, WarehouseID: wh, Delta: -3, Kind: KindAdjustment}, ErrStockReserved},
	}
	before := f.level(t, v, wh)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := f.inv.Move(t.Context(), tc.m)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if d := cmp.Diff(before, f.level(t, v, wh)); d != "" {
				t.Errorf("level changed (-before +after):\n%s", d)
			}
		})
	}
	f.checkLedger(t)
}

func TestMoveRunsLowStockHooksWhenAvailableFalls(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 10)
	if _, err := f.inv.UpdateLevel(t.Context(), manager, v, wh, LevelPatch{ReorderPoint: ptr(int64(4))}); err != nil {
		t.Fatal(err)
	}
	var got []Level
	f.inv.OnLowStock(func(_ context.Context, l Level) error { got = append(got, l); return nil })

	f.stock(t, v, wh, -5) // 5 left: not low
	f.stock(t, v, wh, -1) // 4 left: low
	f.stock(t, v, wh, 1)  // receipt while low: no new signal
	if len(got) != 1 || got[0].Available != 4 {
		t.Fatalf("hook calls = %+v, want one at available 4", got)
	}
	// A reservation lowers available too.
	if _, err := f.inv.Reserve(t.Context(), ReserveInput{Reference: "cart_1", Lines: []Line{{VariantID: v, Quantity: 2}}}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Available != 3 || got[1].Reserved != 2 {
		t.Fatalf("hook calls = %+v, want a second at available 3", got)
	}
	// Falls while low do not signal again (one signal per fall).
	f.stock(t, v, wh, -1) // on_hand 4, reserved 2: available 2
	if len(got) != 2 {
		t.Fatalf("hook calls = %+v, want none while already low", got)
	}

	// A failing hook rolls the crossing change back.
	f.stock(t, v, wh, 4) // available 6: not low
	f.inv.OnLowStock(func(context.Context, Level) error { return errors.New("boom") })
	if _, _, err := f.inv.Move(t.Context(), Move{VariantID: v, WarehouseID: wh, Delta: -3,
		Kind: KindAdjustment, Actor: admin}); err == nil {
		t.Fatal("want hook error")
	}
	if l := f.level(t, v, wh); l.OnHand != 8 || l.Reserved != 2 {
		t.Errorf("level = %d on hand, %d reserved after failed hook, want 8 and 2", l.OnHand, l.Reserved)
	}
	f.checkLedger(t)
}

func ptr[T any](v T) *T { return &v }
