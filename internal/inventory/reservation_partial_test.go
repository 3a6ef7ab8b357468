package inventory

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// heldLines maps "warehouse or backorder" to the reservation's units there.
func heldLines(r Reservation) map[string]int64 {
	out := map[string]int64{}
	for _, l := range r.Lines {
		k := "backorder"
		if l.WarehouseID != nil {
			k = *l.WarehouseID
		}
		out[k] += l.Quantity
	}
	return out
}

func TestReleaseLines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("the remainder after a fulfilment, in warehouse order", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, false)[0]
		w1, w2 := f.warehouse(t, 1), f.warehouse(t, 2)
		f.stock(t, v, w1, 5)
		f.stock(t, v, w2, 5)
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_a", Lines: []Line{{v, 7}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.inv.Fulfil(ctx, FulfilInput{ReservationID: r.ID, WarehouseID: w1, Reference: "order_a",
			Actor: keeper, Lines: []Line{{v, 3}}}); err != nil {
			t.Fatal(err)
		}
		got, err := f.inv.ReleaseLines(ctx, r.ID, []Line{{v, 1}})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(map[string]int64{w1: 1, w2: 2}, heldLines(got)); d != "" || got.Status != StatusActive {
			t.Errorf("after releasing 1 (%s) (-want +got):\n%s", got.Status, d)
		}
		got, err = f.inv.ReleaseLines(ctx, r.ID, []Line{{v, 2}, {v, 1}}) // summed per variant
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Lines) != 0 || got.Status != StatusCommitted {
			t.Errorf("after releasing the rest: %+v, want committed without lines", got)
		}
		if d := cmp.Diff([]fulfilLevel{{2, 0}, {5, 0}}, []fulfilLevel{f.fl(t, v, w1), f.fl(t, v, w2)}); d != "" {
			t.Errorf("levels (-want +got):\n%s", d)
		}
		if n := f.storeAvailable(t, v); n != 7 {
			t.Errorf("store available = %d, want 7", n)
		}
		_, err = f.inv.ReleaseLines(ctx, r.ID, []Line{{v, 1}})
		if !errors.Is(err, ErrReservationClosed) {
			t.Errorf("release from a committed reservation: %v, want reservation_closed", err)
		}
		f.checkLedger(t)
	})
	t.Run("backordered units first; never more than held", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, true)[0]
		w := f.warehouse(t, 1)
		f.stock(t, v, w, 1)
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_b", Lines: []Line{{v, 3}}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.inv.ReleaseLines(ctx, r.ID, []Line{{v, 2}})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(map[string]int64{w: 1}, heldLines(got)); d != "" {
			t.Errorf("the backordered units go first (-want +got):\n%s", d)
		}
		if d := cmp.Diff(fulfilLevel{1, 1}, f.fl(t, v, w)); d != "" {
			t.Errorf("the warehouse unit stays held (-want +got):\n%s", d)
		}
		if _, err := f.inv.ReleaseLines(ctx, r.ID, []Line{{v, 2}}); err == nil {
			t.Fatal("releasing more than held succeeded")
		}
		again, err := f.inv.Reservation(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(got.Lines, again.Lines); d != "" || again.Status != StatusActive {
			t.Errorf("a refused release changed the reservation (%s) (-before +after):\n%s", again.Status, d)
		}
		f.checkLedger(t)
	})
	t.Run("a released reservation is closed", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, false)[0]
		w := f.warehouse(t, 1)
		f.stock(t, v, w, 2)
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_c", Lines: []Line{{v, 2}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.inv.Release(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.inv.ReleaseLines(ctx, r.ID, []Line{{v, 1}}); !errors.Is(err, ErrReservationClosed) {
			t.Errorf("got %v, want reservation_closed", err)
		}
		if d := cmp.Diff(fulfilLevel{2, 0}, f.fl(t, v, w)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
	})
}

func TestUnfulfil(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forever := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	t.Run("a committed reservation holds the units again", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, false)[0]
		w := f.warehouse(t, 1)
		f.stock(t, v, w, 5)
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_a", Lines: []Line{{v, 3}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.inv.Fulfil(ctx, FulfilInput{ReservationID: r.ID, WarehouseID: w, Reference: "order_a",
			Actor: keeper, Lines: []Line{{v, 3}}}); err != nil {
			t.Fatal(err)
		}
		got, err := f.inv.Unfulfil(ctx, UnfulfilInput{ReservationID: r.ID, Reference: "order_a", WarehouseID: w,
			Reason: "fulfillment ful_x canceled", Actor: keeper, Until: forever, Lines: []Line{{v, 2}}})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(map[string]int64{w: 2}, heldLines(got)); d != "" || got.Status != StatusActive || !got.ExpiresAt.Equal(forever) {
			t.Errorf("reservation %s until %s (-want +got):\n%s", got.Status, got.ExpiresAt, d)
		}
		if d := cmp.Diff(fulfilLevel{4, 2}, f.fl(t, v, w)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		if n := f.storeAvailable(t, v); n != 2 {
			t.Errorf("store available = %d, want 2 (the units are the order's, not on sale)", n)
		}
		l, err := f.inv.ListMovements(ctx, keeper, MovementQuery{VariantID: v, Page: pr(1)})
		if err != nil || len(l.Data) != 1 || l.Data[0].Kind != KindSale || l.Data[0].Delta != 2 || l.Data[0].Reference != "order_a" {
			t.Errorf("newest movement: %+v, %v; want a sale reversal of +2", l.Data, err)
		}
		f.checkLedger(t)
		// The units can be fulfilled again, from the reservation.
		got, err = f.inv.Fulfil(ctx, FulfilInput{ReservationID: r.ID, WarehouseID: w, Reference: "order_a",
			Actor: keeper, Lines: []Line{{v, 2}}})
		if err != nil || got.Status != StatusCommitted {
			t.Fatalf("fulfil again: %+v, %v", got, err)
		}
		if d := cmp.Diff(fulfilLevel{2, 0}, f.fl(t, v, w)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		f.checkLedger(t)
	})
	t.Run("adds to an active reservation's line", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, false)[0]
		w := f.warehouse(t, 1)
		f.stock(t, v, w, 5)
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_b", Lines: []Line{{v, 4}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.inv.Fulfil(ctx, FulfilInput{ReservationID: r.ID, WarehouseID: w, Reference: "order_b",
			Actor: keeper, Lines: []Line{{v, 1}}}); err != nil {
			t.Fatal(err)
		}
		got, err := f.inv.Unfulfil(ctx, UnfulfilInput{ReservationID: r.ID, Reference: "order_b", WarehouseID: w,
			Actor: keeper, Until: forever, Lines: []Line{{v, 1}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Lines) != 1 || got.Lines[0].Quantity != 4 {
			t.Errorf("lines: %+v, want one line of 4", got.Lines)
		}
		if d := cmp.Diff(fulfilLevel{5, 4}, f.fl(t, v, w)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		f.checkLedger(t)
	})
	t.Run("an order without a reservation gets one", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, false)[0]
		w := f.warehouse(t, 1)
		f.stock(t, v, w, 5)
		if _, err := f.inv.Fulfil(ctx, FulfilInput{WarehouseID: w, Reference: "order_c", Actor: keeper,
			Lines: []Line{{v, 2}}}); err != nil {
			t.Fatal(err)
		}
		got, err := f.inv.Unfulfil(ctx, UnfulfilInput{Reference: "order_c", WarehouseID: w, Actor: keeper,
			Until: forever, Lines: []Line{{v, 2}}})
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == "" || got.Reference != "order_c" || got.Status != StatusActive || len(got.Lines) != 1 {
			t.Errorf("new reservation: %+v", got)
		}
		if d := cmp.Diff(fulfilLevel{5, 2}, f.fl(t, v, w)); d != "" {
			t.Errorf("level (-want +got):\n%s", d)
		}
		f.checkLedger(t)
	})
	t.Run("a released reservation is closed", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		v := f.variants(t, 1, false)[0]
		w := f.warehouse(t, 1)
		f.stock(t, v, w, 5)
		r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "order_d", Lines: []Line{{v, 1}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.inv.Release(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.inv.Unfulfil(ctx, UnfulfilInput{ReservationID: r.ID, Reference: "order_d", WarehouseID: w,
			Actor: keeper, Until: forever, Lines: []Line{{v, 1}}})
		if !errors.Is(err, ErrReservationClosed) {
			t.Errorf("got %v, want reservation_closed", err)
		}
		if d := cmp.Diff(fulfilLevel{5, 0}, f.fl(t, v, w)); d != "" {
			t.Errorf("a refused unfulfil changed the level (-want +got):\n%s", d)
		}
	})
}
