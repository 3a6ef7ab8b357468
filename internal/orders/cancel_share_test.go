package orders

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/money"
)

// TestRemainderOf pins the rounding rule of a canceled remainder: a line's
// units cost its total split by largest remainder (the first total%quantity
// units one minor unit more), the canceled units are the last ones, and
// shipping stays with the kept part.
func TestRemainderOf(t *testing.T) {
	t.Parallel()
	line := func(id string, qty, total, fulfilled, canceled int64) itemRow {
		return itemRow{ID: id, VariantID: "var_" + id, Quantity: qty, Total: total,
			FulfilledQuantity: fulfilled, CanceledQuantity: canceled}
	}
	tests := []struct {
		name              string
		orderTotal        int64
		canceledTotal     int64
		items             []itemRow
		want              []remainderLine
		wantUnits, wantAm int64
	}{
		{"1000 for 3, one fulfilled: the two last units (333 + 333)", 1500, 0,
			[]itemRow{line("a", 3, 1000, 1, 0)},
			[]remainderLine{{"a", "var_a", 2, 666}}, 2, 666},
		{"1001 for 3, one fulfilled: units cost 334, 334, 333", 1001, 0,
			[]itemRow{line("a", 3, 1001, 1, 0)},
			[]remainderLine{{"a", "var_a", 2, 667}}, 2, 667},
		{"2 for 3, two fulfilled: the last unit costs 0", 2, 0,
			[]itemRow{line("a", 3, 2, 2, 0)},
			[]remainderLine{{"a", "var_a", 1, 0}}, 1, 0},
		{"lines fully fulfilled or canceled are skipped", 5000, 300,
			[]itemRow{line("a", 2, 2000, 2, 0), line("b", 3, 900, 1, 1), line("c", 1, 1000, 0, 1)},
			[]remainderLine{{"b", "var_b", 1, 300}}, 1, 300},
		{"a second cancellation takes the units before the first one's", 1000, 250,
			[]itemRow{line("a", 4, 1000, 1, 1)},
			[]remainderLine{{"a", "var_a", 2, 500}}, 2, 500},
		{"never more than what is left of the total", 900, 500,
			[]itemRow{line("a", 2, 1000, 1, 0)},
			[]remainderLine{{"a", "var_a", 1, 500}}, 1, 400},
		{"nothing left", 1000, 0,
			[]itemRow{line("a", 2, 1000, 2, 0)}, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines, units, amount := remainderOf(tt.orderTotal, tt.canceledTotal, tt.items)
			if d := cmp.Diff(tt.want, lines); d != "" {
				t.Errorf("lines (-want +got):\n%s", d)
			}
			if units != tt.wantUnits || amount != tt.wantAm {
				t.Errorf("units %d, amount %d; want %d, %d", units, amount, tt.wantUnits, tt.wantAm)
			}
		})
	}
}

// FuzzCancelShare: an order of two lines plus shipping is partly fulfilled,
// its remainder canceled, some fulfilled units given back (a canceled
// fulfilment) and the new remainder canceled again. Every canceled amount
// is non-negative, canceled plus kept is the total, the kept part is exactly
// shipping plus the share of the units not canceled, and each line's units
// are priced as money.Allocate splits the line total over equal weights.
func FuzzCancelShare(f *testing.F) {
	f.Add(int64(1000), int64(999), uint16(3), uint16(7), uint16(1), uint16(2), uint16(1), int64(500), int64(0))
	f.Add(int64(1), int64(0), uint16(2), uint16(1), uint16(0), uint16(1), uint16(0), int64(0), int64(0))
	f.Add(int64(12345), int64(54321), uint16(1000), uint16(999), uint16(999), uint16(1), uint16(500), int64(0), int64(-5000))
	f.Fuzz(func(t *testing.T, t1, t2 int64, q1, q2, f1, f2, back uint16, shipping, adjust int64) {
		const limit = 1 << 40 // totals of real orders stay far below int64 overflow
		t1, t2, shipping = abs(t1%limit), abs(t2%limit), abs(shipping%limit)
		q := [2]int64{int64(q1%1000) + 1, int64(q2%1000) + 1}
		items := []itemRow{
			{ID: "a", Quantity: q[0], Total: t1, FulfilledQuantity: int64(f1) % (q[0] + 1)},
			{ID: "b", Quantity: q[1], Total: t2, FulfilledQuantity: int64(f2) % (q[1] + 1)},
		}
		// adjust < 0 models an order-level reduction the lines do not carry
		// (the cap must then keep both shares non-negative).
		orderTotal := max(0, t1+t2+shipping+min(0, adjust%limit))
		var canceledTotal int64
		cancel := func() {
			lines, _, amount := remainderOf(orderTotal, canceledTotal, items)
			if amount < 0 {
				t.Fatalf("canceled amount %d < 0", amount)
			}
			for _, l := range lines {
				if l.Amount < 0 || l.Units <= 0 {
					t.Fatalf("line %+v", l)
				}
				for i := range items {
					if items[i].ID == l.ItemID {
						items[i].CanceledQuantity += l.Units
					}
				}
			}
			canceledTotal += amount
		}
		cancel()
		// A fulfilment of the first line is canceled: some of its units are
		// to fulfil again, and the next cancellation takes them.
		n := min(items[0].FulfilledQuantity, int64(back))
		items[0].FulfilledQuantity -= n
		cancel()
		kept := orderTotal - canceledTotal
		if kept < 0 || canceledTotal < 0 || canceledTotal+kept != orderTotal {
			t.Fatalf("total %d: canceled %d, kept %d", orderTotal, canceledTotal, kept)
		}
		var keptLines, canceledLines int64
		for _, it := range items {
			if it.FulfilledQuantity+it.CanceledQuantity != it.Quantity {
				t.Fatalf("line %+v: units left after canceling the remainder", it)
			}
			keptUnits := it.Quantity - it.CanceledQuantity
			k, c := unitsShare(it.Total, it.Quantity, 0, keptUnits), unitsShare(it.Total, it.Quantity, keptUnits, it.CanceledQuantity)
			if k+c != it.Total {
				t.Fatalf("line %+v: kept %d + canceled %d != total", it, k, c)
			}
			if it.Quantity <= 64 {
				checkAllocate(t, it, keptUnits, c)
			}
			keptLines += k
			canceledLines += c
		}
		if adjust >= 0 && (canceledTotal != canceledLines || kept != shipping+keptLines) {
			t.Fatalf("canceled %d (lines say %d), kept %d (want shipping %d + lines %d)",
				canceledTotal, canceledLines, kept, shipping, keptLines)
		}
	})
}

// checkAllocate compares the canceled units' price with money.Allocate's
// largest-remainder split of the line over equal unit weights.
func checkAllocate(t *testing.T, it itemRow, keptUnits, canceled int64) {
	t.Helper()
	w := make([]int64, it.Quantity)
	for i := range w {
		w[i] = 1
	}
	parts, err := money.Amount{Minor: it.Total, Currency: "EUR"}.Allocate(w)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, p := range parts[keptUnits:] {
		want += p.Minor
	}
	if want != canceled {
		t.Fatalf("line %+v: canceled units cost %d, Allocate says %d", it, canceled, want)
	}
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
