package fault

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"storekeep/internal/platform/dbtest"
)

// TestSQLiteUnderWriters: the embedded default (a SQLite file, as
// `storekeep serve` uses out of the box) with 32 clients writing at once:
// carts made, filled, addressed and checked out, and stock adjusted by
// staff. SQLite has one writer at a time; the others must wait their turn
// (BEGIN IMMEDIATE, busy_timeout), never fail: no client sees a 5xx or a
// "database is locked", and every write is there afterwards.
func TestSQLiteUnderWriters(t *testing.T) {
	d, url := dbtest.NewSQLite(t)
	_ = d.Close() // the server process owns the file from here
	n := newNode(t, url, nil)
	n.start()
	c := newClient(n.URL())
	admin := staffToken(t, n, c)
	variant, warehouse, shipping := seedShop(t, c, admin, 10_000)

	const writers, rounds = 32, 2
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		failures []string
		orders   int
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	for w := range writers {
		wg.Go(func() {
			for r := range rounds {
				if w%4 == 0 { // a quarter of the writers are staff moving stock
					a := c.do(http.MethodPost, "/v1/admin/inventory/adjustments", admin, map[string]any{
						"variant_id": variant, "warehouse_id": warehouse, "delta": 1, "reason": "count"},
						map[string]string{"Idempotency-Key": fmt.Sprintf("adj-%d-%d", w, r)})
					if a.Err != nil || a.Status != http.StatusCreated {
						fail("writer %d adjustment: %v", w, a)
					}
					continue
				}
				cart, err := readyCart(c, variant, shipping, fmt.Sprintf("w%d@example.com", w), 2)
				if err != nil {
					fail("writer %d cart: %v", w, err)
					continue
				}
				a := c.checkout(cart, fmt.Sprintf("sqlite-%d-%d", w, r))
				if a.Err != nil || a.Status != http.StatusCreated {
					fail("writer %d checkout: %v", w, a)
					continue
				}
				mu.Lock()
				orders++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
		if bytes.Contains([]byte(f), []byte("locked")) || bytes.Contains([]byte(f), []byte("SQLITE_BUSY")) {
			t.Error("a client saw the database locked")
		}
	}
	var got struct {
		Data []struct {
			OnHand   int64 `json:"on_hand"`
			Reserved int64 `json:"reserved"`
		} `json:"data"`
	}
	c.must(t, http.StatusOK, http.MethodGet, "/v1/admin/inventory/levels?variant_id="+variant, admin, nil, &got)
	adjusted := int64(writers / 4 * rounds)
	if len(got.Data) != 1 || got.Data[0].OnHand != 10_000+adjusted || got.Data[0].Reserved != int64(2*orders) {
		t.Errorf("levels = %+v, want on_hand %d and %d reserved for %d orders", got.Data, 10_000+adjusted, 2*orders, orders)
	}
	if t.Failed() {
		t.Logf("server log:\n%s", n.tail())
	}
}
