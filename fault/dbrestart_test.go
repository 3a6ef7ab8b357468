package fault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/platform/db"
)

// TestDatabaseRestartUnderLoad: PostgreSQL is stopped and started twice
// (a clean "fast" shutdown, then an "immediate" one, as a crash) while
// shoppers read the catalog and check out. While it is down the server
// answers 503 problem+json with Retry-After (never a 500); it reconnects by
// itself, without a restart; and every write it acknowledged is there
// afterwards.
func TestDatabaseRestartUnderLoad(t *testing.T) {
	requirePostgres(t)
	pg := startCluster(t)
	ctx := context.Background()
	d, err := db.Open(ctx, pg.url("storekeep"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// The buyers all come from one address: without lifting the cart
	// creation limit, a fast machine reaches it before the outage is over
	// and the test measures the limit instead of the recovery.
	h := apitest.NewOn(t, d, func(o *api.Options) { o.Carts.CreateLimit = -1 })
	c := newClient(h.URL)
	variant, _, shipping := seedShop(t, c, h.StaffToken(t, "admin"), 100_000)

	var (
		stop    atomic.Bool
		wg      sync.WaitGroup
		mu      sync.Mutex
		tally   = map[string]int{}
		carts   []string
		orders  []string
		badOnes []string
	)
	note := func(a answer) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case a.Err != nil:
			badOnes = append(badOnes, a.String())
		case a.Status == http.StatusServiceUnavailable:
			tally["503"]++
			if !isProblem(a) || a.retryAfter() < 1 {
				badOnes = append(badOnes, "503 without problem+json and Retry-After: "+a.String())
			}
		case a.Status >= 500:
			badOnes = append(badOnes, a.String())
		default:
			tally[fmt.Sprint(a.Status)]++
		}
	}
	for r := range 3 { // readers
		wg.Go(func() {
			for !stop.Load() {
				note(c.do(http.MethodGet, "/v1/store/products?limit=5", "", nil, nil))
				if r == 0 {
					note(c.do(http.MethodGet, "/readyz", "", nil, nil))
				}
			}
		})
	}
	for b := range 3 { // buyers: each write retried until it is answered
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				cart, err := readyCartRetrying(c, variant, shipping, fmt.Sprintf("b%d-%d@example.com", b, i), note)
				if err != nil {
					continue
				}
				mu.Lock()
				carts = append(carts, cart)
				mu.Unlock()
				key := fmt.Sprintf("restart-%d-%d", b, i)
				for !stop.Load() {
					a := c.checkout(cart, key)
					note(a)
					if a.Status == http.StatusCreated {
						mu.Lock()
						orders = append(orders, a.orderID())
						mu.Unlock()
						break
					}
					retry := a.Status == http.StatusServiceUnavailable ||
						a.Status == http.StatusConflict && strings.Contains(a.code(), "in_progress")
					if !retry {
						break
					}
					time.Sleep(200 * time.Millisecond)
				}
			}
		})
	}

	time.Sleep(1500 * time.Millisecond)
	pg.downFor("fast", 2*time.Second)
	time.Sleep(1500 * time.Millisecond)
	pg.downFor("immediate", 2*time.Second)
	back := time.Now()
	recovered := waitUntil(withTimeout(t, 60*time.Second), func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(orders) > 0 && c.do(http.MethodGet, "/readyz", "", nil, nil).Status == http.StatusOK
	})
	// A few more seconds of load on the recovered database.
	n0 := ordersSoFar(&mu, &orders)
	waitUntil(withTimeout(t, 30*time.Second), func() bool { return ordersSoFar(&mu, &orders) >= n0+3 })
	stop.Store(true)
	wg.Wait()
	t.Logf("answers: %v; %d carts and %d orders acknowledged; ready again %s after the restart",
		tally, len(carts), len(orders), time.Since(back).Round(100*time.Millisecond))
	if !recovered || ordersSoFar(&mu, &orders) < n0+3 {
		t.Error("the server did not recover by itself after the database came back")
	}
	if tally["503"] == 0 {
		t.Error("no request met the outage: the test did not test it")
	}
	for _, b := range badOnes {
		t.Errorf("during the outage: %s", b)
	}
	for _, id := range orders {
		var n int64
		if err := d.Conn(ctx).Raw(`SELECT COUNT(*) FROM orders WHERE id = ?`, id).Scan(&n).Error; err != nil || n != 1 {
			t.Errorf("acknowledged order %s: %d rows, %v", id, n, err)
		}
	}
	var n int64
	if err := d.Conn(ctx).Raw(`SELECT COUNT(*) FROM carts WHERE id IN ?`, carts).Scan(&n).Error; err != nil ||
		n != int64(len(carts)) {
		t.Errorf("%d of %d acknowledged carts found (%v)", n, len(carts), err)
	}
}

// readyCartRetrying is readyCart that starts over while the database is
// unavailable (the steps are not idempotent, so a failed cart is dropped
// and a new one made).
func readyCartRetrying(c *client, variant, shipping, email string, note func(answer)) (string, error) {
	for range 50 {
		cart, err := readyCart(c, variant, shipping, email, 1)
		if err == nil {
			return cart, nil
		}
		var se *stepError
		if !errors.As(err, &se) {
			return "", err
		}
		note(se.a)
		if se.a.Status != http.StatusServiceUnavailable {
			return "", err
		}
		time.Sleep(200 * time.Millisecond)
	}
	return "", fmt.Errorf("no cart after 50 tries")
}

func isProblem(a answer) bool {
	var p map[string]any
	return strings.HasPrefix(a.Header.Get("Content-Type"), "application/problem+json") &&
		json.Unmarshal(a.Body, &p) == nil && p["code"] != ""
}

func ordersSoFar(mu *sync.Mutex, orders *[]string) int {
	mu.Lock()
	defer mu.Unlock()
	return len(*orders)
}

func withTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
