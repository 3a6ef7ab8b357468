package inventory

import (
	"errors"
	"testing"
)

// TestReserveFromChannelWarehouses: WarehouseIDs limit a reservation to
// those warehouses and their order replaces the warehouses' priority; a
// warehouse outside the list is never touched, even when it alone could
// fill the line.
func TestReserveFromChannelWarehouses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	w1, w2, w3 := f.warehouse(t, 1), f.warehouse(t, 2), f.warehouse(t, 3)
	f.stock(t, v, w1, 5)
	f.stock(t, v, w2, 5)
	f.stock(t, v, w3, 20)

	// The channel prefers w2 over w1 (the warehouses' own priority says w1).
	r, err := f.inv.Reserve(t.Context(), ReserveInput{Reference: "order_1", Lines: []Line{{VariantID: v, Quantity: 2}},
		WarehouseIDs: []string{w2, w1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Lines) != 1 || *r.Lines[0].WarehouseID != w2 {
		t.Fatalf("lines = %+v, want all from w2 (first in the channel's order)", r.Lines)
	}
	// 8 more: 3 left in w2, then 5 from w1; w3's 20 are not the channel's.
	r, err = f.inv.Reserve(t.Context(), ReserveInput{Reference: "order_2", Lines: []Line{{VariantID: v, Quantity: 8}},
		WarehouseIDs: []string{w2, w1}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, l := range r.Lines {
		got[*l.WarehouseID] += l.Quantity
	}
	if got[w2] != 3 || got[w1] != 5 || got[w3] != 0 {
		t.Fatalf("split = %v, want 3 from w2 and 5 from w1", got)
	}
	// The channel is empty now; the shop is not.
	_, err = f.inv.Reserve(t.Context(), ReserveInput{Reference: "order_3", Lines: []Line{{VariantID: v, Quantity: 1}},
		WarehouseIDs: []string{w1, w2}})
	if !errors.Is(err, ErrInsufficientStock) {
		t.Fatalf("err = %v, want insufficient_stock", err)
	}
	if lvl := f.level(t, v, w3); lvl.Reserved != 0 {
		t.Fatalf("w3 reserved %d, want 0", lvl.Reserved)
	}
	// Without a list: every warehouse, by priority.
	r, err = f.inv.Reserve(t.Context(), ReserveInput{Reference: "order_4", Lines: []Line{{VariantID: v, Quantity: 1}}})
	if err != nil || *r.Lines[0].WarehouseID != w3 {
		t.Fatalf("unscoped reservation = %+v, %v; want w3's stock", r.Lines, err)
	}
	f.checkLedger(t)
}
