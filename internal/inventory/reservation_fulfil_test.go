package inventory

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fulfilLevel is the part of a level the fulfilment tests compare.
type fulfilLevel struct{ OnHand, Reserved int64 }

func (f fixture) fl(t *testing.T, v, wh string) fulfilLevel {
	t.Helper()
	l := f.level(t, v, wh)
	return fulfilLevel{l.OnHand, l.Reserved}
}

func TestFulfil(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("takes reserved units, then commits the reservation", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, false)[0]
		w := f.warehouse(t, 1)
		f.stock(t, v, w, 5)
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_a", Lines: []Line{{v, 3}}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.inv.Fulfil(ctx, FulfilInput{ReservationID: r.ID, WarehouseID: w, Reference: "order_a",
			Actor: keeper, Lines: []Line{{v, 2}}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusActive || len(got.Lines) != 1 || got.Lines[0].Quantity != 1 {
			t.Fatalf("after first fulfilment: %+v", got)
		}
		if d := cmp.Diff(fulfilLevel{3, 1}, f.fl(t, v, w)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		got, err = f.inv.Fulfil(ctx, FulfilInput{ReservationID: r.ID, WarehouseID: w, Reference: "order_a",
			Actor: keeper, Lines: []Line{{v, 1}}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusCommitted || len(got.Lines) != 0 {
			t.Fatalf("after second fulfilment: %+v", got)
		}
		if d := cmp.Diff(fulfilLevel{2, 0}, f.fl(t, v, w)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		if n := f.storeAvailable(t, v); n != 2 {
			t.Errorf("store available = %d, want 2", n)
		}
		_, err = f.inv.Fulfil(ctx, FulfilInput{ReservationID: r.ID, WarehouseID: w, Reference: "order_a",
			Actor: keeper, Lines: []Line{{v, 1}}})
		if !errors.Is(err, ErrReservationClosed) {
			t.Errorf("fulfil a committed reservation: %v, want reservation_closed", err)
		}
		f.checkLedger(t)
	})
	t.Run("releases units held elsewhere and takes available stock", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, false)[0]
		w1, w2 := f.warehouse(t, 1), f.warehouse(t, 2)
		f.stock(t, v, w1, 1)
		f.stock(t, v, w2, 1)
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_b", Lines: []Line{{v, 2}}})
		if err != nil {
			t.Fatal(err)
		}
		f.stock(t, v, w1, 1) // a receipt after checkout: w1 can now ship both
		got, err := f.inv.Fulfil(ctx, FulfilInput{ReservationID: r.ID, WarehouseID: w1, Reference: "order_b",
			Actor: keeper, Lines: []Line{{v, 2}}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusCommitted {
			t.Errorf("status = %s, want committed", got.Status)
		}
		if d := cmp.Diff(fulfilLevel{0, 0}, f.fl(t, v, w1)); d != "" {
			t.Errorf("w1 (-want +got):\n%s", d)
		}
		if d := cmp.Diff(fulfilLevel{1, 0}, f.fl(t, v, w2)); d != "" {
			t.Errorf("w2 keeps its unit, released (-want +got):\n%s", d)
		}
		if n := f.storeAvailable(t, v); n != 1 {
			t.Errorf("store available = %d, want 1", n)
		}
		f.checkLedger(t)
	})
	t.Run("backordered units need available stock", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, true)[0]
		w := f.warehouse(t, 1)
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_c", Lines: []Line{{v, 2}}})
		if err != nil {
			t.Fatal(err)
		}
		in := FulfilInput{ReservationID: r.ID, WarehouseID: w, Reference: "order_c", Actor: keeper, Lines: []Line{{v, 2}}}
		if _, err := f.inv.Fulfil(ctx, in); !errors.Is(err, ErrInsufficientStock) {
			t.Fatalf("fulfil without stock: %v, want insufficient_stock", err)
		}
		after, err := f.inv.Reservation(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(r.Lines, after.Lines); d != "" {
			t.Errorf("a refused fulfilment changed the reservation (-before +after):\n%s", d)
		}
		f.stock(t, v, w, 2) // the supplier delivered
		got, err := f.inv.Fulfil(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusCommitted {
			t.Errorf("status = %s, want committed", got.Status)
		}
		if d := cmp.Diff(fulfilLevel{0, 0}, f.fl(t, v, w)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		f.checkLedger(t)
	})
	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, false)[0]
		w := f.warehouse(t, 1)
		f.stock(t, v, w, 1)
		for name, in := range map[string]FulfilInput{
			"no lines":         {WarehouseID: w},
			"zero quantity":    {WarehouseID: w, Lines: []Line{{v, 0}}},
			"bad warehouse id": {WarehouseID: "nope", Lines: []Line{{v, 1}}},
			"unknown warehouse": {WarehouseID: "wh_00000000000000000000000000",
				Lines: []Line{{v, 1}}},
		} {
			if _, err := f.inv.Fulfil(ctx, in); err == nil {
				t.Errorf("%s: no error", name)
			}
		}
		if d := cmp.Diff(fulfilLevel{1, 0}, f.fl(t, v, w)); d != "" {
			t.Errorf("bad input changed stock (-want +got):\n%s", d)
		}
		f.checkLedger(t)
	})
}

// TestFulfilParallel races single-unit fulfilments of one reservation: the
// reservation's units are shipped once each and nothing else is taken.
func TestFulfilParallel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	w := f.warehouse(t, 1)
	f.stock(t, v, w, 5)
	r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_p", Lines: []Line{{v, 5}}})
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg sync.WaitGroup
		mu sync.Mutex
		ok int
	)
	for range 12 {
		wg.Go(func() {
			_, err := f.inv.Fulfil(ctx, FulfilInput{ReservationID: r.ID, WarehouseID: w, Reference: "order_p",
				Actor: keeper, Lines: []Line{{v, 1}}})
			switch {
			case err == nil:
				mu.Lock()
				ok++
				mu.Unlock()
			case errors.Is(err, ErrReservationClosed), errors.Is(err, ErrInsufficientStock):
			default:
				t.Errorf("fulfil: %v", err)
			}
		})
	}
	wg.Wait()
	if ok != 5 {
		t.Errorf("%d fulfilments succeeded, want 5", ok)
	}
	if d := cmp.Diff(fulfilLevel{0, 0}, f.fl(t, v, w)); d != "" {
		t.Errorf("level (-want +got):\n%s", d)
	}
	f.checkLedger(t)
}
