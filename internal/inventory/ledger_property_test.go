package inventory

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"

	"storekeep/internal/platform/errs"
)

// TestLedgerInvariantUnderRandomOperations runs a seeded random sequence of
// adjustments, transfers, counts, reservations, releases and commits over
// several levels and checks after each step that on_hand equals the ledger
// sum, reserved equals the active reservations, and the store figure equals
// the stock.
func TestLedgerInvariantUnderRandomOperations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	vs := f.variants(t, 3, false)
	whs := []string{f.warehouse(t, 1), f.warehouse(t, 2), f.warehouse(t, 3)}
	rng := rand.New(rand.NewPCG(42, 7))
	ctx := t.Context()
	var open []string
	for step := range 300 {
		if err := randomOp(ctx, f, rng, vs, whs, &open); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		if step%50 == 49 {
			f.checkLedger(t)
		}
	}
	f.checkLedger(t)
}

// TestLedgerInvariantUnderConcurrency runs random operations from many
// goroutines at once (run with -race, on both databases).
func TestLedgerInvariantUnderConcurrency(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	vs := f.variants(t, 2, false)
	whs := []string{f.warehouse(t, 1), f.warehouse(t, 2)}
	for _, v := range vs {
		for _, w := range whs {
			f.stock(t, v, w, 20)
		}
	}
	var wg sync.WaitGroup
	for g := range 12 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 99))
			var open []string
			for range 25 {
				if err := randomOp(context.Background(), f, rng, vs, whs, &open); err != nil {
					t.Errorf("goroutine %d: %v", g, err)
				}
			}
		})
	}
	wg.Wait()
	f.checkLedger(t)
}

// randomOp performs one random stock operation; business rejections
// (insufficient stock and the like) are expected and ignored, since the
// invariant must hold whether an operation succeeded or not.
func randomOp(ctx context.Context, f fixture, rng *rand.Rand, vs, whs []string, open *[]string) error {
	err := randomOpErr(ctx, f, rng, vs, whs, open)
	if e, ok := errs.As(err); ok && (e.Kind == errs.Conflict || e.Kind == errs.Unprocessable) {
		return nil
	}
	return err
}

func randomOpErr(ctx context.Context, f fixture, rng *rand.Rand, vs, whs []string, open *[]string) error {
	v := vs[rng.IntN(len(vs))]
	w := whs[rng.IntN(len(whs))]
	switch rng.IntN(6) {
	case 0:
		d := int64(rng.IntN(11) - 4)
		if d == 0 {
			d = 1
		}
		_, err := f.inv.Adjust(ctx, keeper, AdjustmentInput{VariantID: v, WarehouseID: w, Delta: d, Reason: "random"})
		return err
	case 1:
		to := whs[rng.IntN(len(whs))]
		_, err := f.inv.Transfer(ctx, keeper, TransferInput{VariantID: v, FromWarehouseID: w, ToWarehouseID: to,
			Quantity: int64(rng.IntN(4) + 1)})
		return err
	case 2:
		n := int64(rng.IntN(15))
		_, err := f.inv.Count(ctx, keeper, CountInput{VariantID: v, WarehouseID: w, Counted: &n})
		return err
	case 3:
		lines := []Line{{VariantID: v, Quantity: int64(rng.IntN(3) + 1)}}
		if rng.IntN(2) == 0 {
			lines = append(lines, Line{VariantID: vs[rng.IntN(len(vs))], Quantity: 1})
		}
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_r", Lines: lines})
		if err == nil {
			*open = append(*open, r.ID)
		}
		return err
	case 4, 5:
		if len(*open) == 0 {
			return nil
		}
		i := rng.IntN(len(*open))
		id := (*open)[i]
		*open = append((*open)[:i], (*open)[i+1:]...)
		var err error
		if rng.IntN(2) == 0 {
			_, err = f.inv.Commit(ctx, id)
		} else {
			_, err = f.inv.Release(ctx, id)
		}
		return err
	}
	return nil
}
