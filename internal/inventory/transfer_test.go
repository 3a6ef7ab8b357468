package inventory

import (
	"errors"
	"testing"

	"storekeep/internal/platform/errs"
)

func TestTransferMovesBothLegsOrNeither(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	w1, w2 := f.warehouse(t, 1), f.warehouse(t, 2)
	f.stock(t, v, w1, 5)
	ctx := t.Context()
	if _, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_1", Lines: []Line{{VariantID: v, Quantity: 2}}}); err != nil {
		t.Fatal(err)
	}

	tr, err := f.inv.Transfer(ctx, keeper, TransferInput{VariantID: v, FromWarehouseID: w1, ToWarehouseID: w2, Quantity: 3})
	if err != nil {
		t.Fatal(err)
	}
	if tr.From.Level.OnHand != 2 || tr.To.Level.OnHand != 3 || tr.From.Movement.Reference != tr.ID ||
		tr.From.Movement.Kind != KindTransferOut || tr.To.Movement.Kind != KindTransferIn {
		t.Errorf("transfer = %+v", tr)
	}
	if f.storeAvailable(t, v) != 3 {
		t.Errorf("store available = %d, want 3", f.storeAvailable(t, v))
	}

	tests := []struct {
		name string
		in   TransferInput
		want error
	}{
		{"reserved units cannot leave", TransferInput{VariantID: v, FromWarehouseID: w1, ToWarehouseID: w2, Quantity: 1}, ErrInsufficientStock},
		{"more than on hand", TransferInput{VariantID: v, FromWarehouseID: w2, ToWarehouseID: w1, Quantity: 4}, ErrInsufficientStock},
		{"same warehouse", TransferInput{VariantID: v, FromWarehouseID: w1, ToWarehouseID: w1, Quantity: 1}, ErrSameWarehouse},
		{"zero quantity", TransferInput{VariantID: v, FromWarehouseID: w1, ToWarehouseID: w2, Quantity: 0}, errs.ErrValidation},
		{"negative quantity", TransferInput{VariantID: v, FromWarehouseID: w1, ToWarehouseID: w2, Quantity: -1}, errs.ErrValidation},
		{"unknown target", TransferInput{VariantID: v, FromWarehouseID: w2, ToWarehouseID: "wh_06h1wbq28dxanf5st2bqp8yfxm", Quantity: 1}, errs.ErrValidation},
		{"unknown variant", TransferInput{VariantID: "var_06h1wbq28dxanf5st2bqp8yfxm", FromWarehouseID: w2, ToWarehouseID: w1, Quantity: 1}, errs.ErrValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.inv.Transfer(ctx, keeper, tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if l1, l2 := f.level(t, v, w1), f.level(t, v, w2); l1.OnHand != 2 || l2.OnHand != 3 {
				t.Errorf("levels changed: %+v %+v", l1, l2)
			}
		})
	}
	if _, err := f.inv.Transfer(ctx, support, TransferInput{VariantID: v, FromWarehouseID: w2, ToWarehouseID: w1, Quantity: 1}); !errors.Is(err, ErrForbidden) {
		t.Errorf("support transfer: %v, want forbidden", err)
	}
	f.checkLedger(t)
}

func TestCountLedgersTheDifference(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 10)
	ctx := t.Context()
	if _, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_1", Lines: []Line{{VariantID: v, Quantity: 4}}}); err != nil {
		t.Fatal(err)
	}
	count := func(n int64) (CountResult, error) {
		return f.inv.Count(ctx, keeper, CountInput{VariantID: v, WarehouseID: wh, Counted: &n})
	}
	r, err := count(7)
	if err != nil || r.Level.OnHand != 7 || r.Movement == nil || r.Movement.Delta != -3 || r.Movement.Kind != KindCycleCount {
		t.Fatalf("count 7 = %+v, %v", r, err)
	}
	r, err = count(7)
	if err != nil || r.Movement != nil || r.Level.OnHand != 7 {
		t.Fatalf("count 7 again = %+v, %v; want no movement", r, err)
	}
	if _, err := count(3); !errors.Is(err, ErrStockReserved) {
		t.Fatalf("count below reserved: %v", err)
	}
	if _, err := count(-1); !errors.Is(err, errs.ErrValidation) {
		t.Fatalf("negative count: %v", err)
	}
	seven := int64(7)
	if _, err := f.inv.Count(ctx, shopper, CountInput{VariantID: v, WarehouseID: wh, Counted: &seven}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("customer count: %v, want forbidden", err)
	}
	if _, err := f.inv.Adjust(ctx, support, AdjustmentInput{VariantID: v, WarehouseID: wh, Delta: 1, Reason: "x"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("support adjust: %v, want forbidden", err)
	}
	r, err = count(12)
	if err != nil || r.Movement.Delta != 5 {
		t.Fatalf("count 12 = %+v, %v", r, err)
	}
	if f.storeAvailable(t, v) != 8 {
		t.Errorf("store available = %d, want 8", f.storeAvailable(t, v))
	}
	f.checkLedger(t)
}

func TestWarehouseDeactivationMovesStoreAvailability(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	w1, w2 := f.warehouse(t, 1), f.warehouse(t, 2)
	f.stock(t, v, w1, 3)
	f.stock(t, v, w2, 4)
	ctx := t.Context()
	off, on := false, true
	if _, err := f.inv.UpdateWarehouse(ctx, manager, w2, WarehousePatch{Active: &off}); err != nil {
		t.Fatal(err)
	}
	if f.storeAvailable(t, v) != 3 {
		t.Errorf("store available = %d, want 3", f.storeAvailable(t, v))
	}
	// Reservations skip the inactive warehouse.
	if _, err := f.inv.Reserve(ctx, ReserveInput{Reference: "c", Lines: []Line{{VariantID: v, Quantity: 4}}}); !errors.Is(err, ErrInsufficientStock) {
		t.Fatalf("reserve: %v", err)
	}
	f.stock(t, v, w2, 1) // stock arriving at an inactive warehouse stays out of the store figure
	f.checkLedger(t)
	if _, err := f.inv.UpdateWarehouse(ctx, manager, w2, WarehousePatch{Active: &on}); err != nil {
		t.Fatal(err)
	}
	if f.storeAvailable(t, v) != 8 {
		t.Errorf("store available = %d, want 8", f.storeAvailable(t, v))
	}
	if _, err := f.inv.UpdateWarehouse(ctx, keeper, w2, WarehousePatch{Active: &off}); !errors.Is(err, ErrForbidden) {
		t.Errorf("warehouse staff deactivating: %v, want forbidden", err)
	}
	f.checkLedger(t)
}
