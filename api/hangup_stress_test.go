package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"storekeep/api"
	"storekeep/internal/platform/logtest"
)

// TestHangUpsDoNotTripOtherRequests: more clients than the pool has
// connections each alternate a request they abandon after a random moment
// (a cart change, an idempotent stock adjustment, a read) with one they
// wait for. The abandoned ones are 499 or done, never a 5xx; the others
// all succeed: no connection a canceled request left behind is handed to
// a request that then fails on it.
func TestHangUpsDoNotTripOtherRequests(t *testing.T) {
	t.Parallel()
	rec := logtest.New(slog.LevelInfo)
	s := newShop(t, 1000, 1000, func(o *api.Options) { o.Log = rec.Logger() })
	const clients, rounds = 40, 9
	const maxDelay = 30 * time.Millisecond
	carts := make([]string, clients)
	for i := range carts {
		carts[i] = s.guestWith(s.small, 1).cart.ID
	}
	rec.Reset()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			for r := range rounds {
				abandoned := hangUp{http.MethodPost, "/v1/store/carts/" + carts[i] + "/items", "", "",
					map[string]any{"variant_id": s.large, "quantity": 1}}
				switch r % 3 {
				case 1:
					abandoned = hangUp{http.MethodPost, "/v1/admin/inventory/adjustments", fmt.Sprintf("stress-%d-%d", i, r),
						s.manager, map[string]any{"variant_id": s.large, "warehouse_id": s.warehouse, "delta": 1, "reason": "count"}}
				case 2:
					abandoned = hangUp{http.MethodGet, "/v1/store/carts/" + carts[i] + "/shipping-options", "", "", nil}
				}
				ctx, cancel := context.WithTimeout(context.Background(), rand.N(maxDelay))
				if res, err := abandoned.send(ctx, s.h.URL); err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				cancel()
				res, err := hangUp{http.MethodGet, "/v1/store/carts/" + carts[i], "", "", nil}.send(context.Background(), s.h.URL)
				if err != nil {
					t.Error(err)
					continue
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					t.Errorf("a request nobody abandoned failed: %d %s", res.StatusCode, body)
				}
			}
		})
	}
	wg.Wait()
	waitInFlight(t, s.h, 0)
	var hungUp float64
	for k, n := range statusCounts(t, s.h) {
		if k[1] >= "500" && n > 0 {
			t.Errorf("%s %s: %v server errors", k[0], k[1], n)
		}
		if k[1] == "499" {
			hungUp += n
		}
	}
	if hungUp == 0 {
		t.Error("no request was abandoned while the server ran it: the test proved nothing")
	}
	noErrorLines(t, rec)
}
