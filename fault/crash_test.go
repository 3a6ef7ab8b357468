package fault

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"storekeep/internal/payments"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
)

// Crash test parameters: more shoppers than units, so that some checkouts
// must be refused while others buy, and the stock equation is tested both ways.
const (
	crashShoppers = 30
	crashStock    = 20
)

// crashKills is how many kill-and-restart rounds to run: 5 in the suite,
// STOREKEEP_FAULT_KILLS in fault/run.sh (20).
func crashKills(t *testing.T) int {
	if v := os.Getenv("STOREKEEP_FAULT_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("STOREKEEP_FAULT_KILLS=%q", v)
		}
		return n
	}
	return 5
}

// TestCrashMidCheckout: 30 shoppers check out at once against 20 units; the
// server process is killed with SIGKILL while they run (at a different
// moment each round), restarted, and every shopper retries with its own
// Idempotency-Key until it has a final answer. Afterwards:
//   - no shopper was told its cart was completed instead of its order, and
//     every 201 (before or after the crash) replays with the same order;
//   - every order is one a shopper was told about (none is lost to a crash);
//   - sold units + available = 20: no hold of a dead attempt is left, and
//     no reservation outlives its expiry;
//   - every authorisation the provider made ended in an order's payment or
//     in a void, and no order was authorised twice;
//   - no Idempotency-Key or cart is left claimed.
//
// The kill moment is set by progress, not by the clock (a loaded machine
// makes clocks useless here): round r kills once a growing share of the
// burst has been answered (none at all in the first round, most of it in
// the last), plus a random few milliseconds, so the rounds catch checkouts
// in every step: claiming, at the provider, writing the order, answering.
func TestCrashMidCheckout(t *testing.T) {
	requirePostgres(t)
	kills := crashKills(t)
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	t.Logf("kill jitter drawn with seed %d", seed)
	for round := range kills {
		after := round * (crashStock - 2) / max(kills-1, 1)
		jitter := time.Duration(rng.Int64N(int64(40 * time.Millisecond)))
		t.Run(fmt.Sprintf("kill after %d answers + %s", after, jitter.Round(time.Millisecond)), func(t *testing.T) {
			crashRound(t, after, jitter)
		})
	}
}

// shopperLog is what one shopper saw.
type shopperLog struct {
	cart, key string
	answers   []answer
	// orderID is the order of the shopper's 201, if any.
	orderID string
	final   answer
}

func crashRound(t *testing.T, killAfter int, jitter time.Duration) {
	d, url := dbtest.NewWithURL(t)
	journal := filepath.Join(t.TempDir(), "payments.journal")
	n := newNode(t, url, map[string]string{
		"STOREKEEP_TEST_PAYMENTS_JOURNAL": journal,
		// A retry may take over a dead attempt's cart (and key) after 2 s
		// rather than the production 2 minutes: same code, shorter wait.
		"STOREKEEP_CHECKOUT_CLAIM_TIMEOUT": "2s",
	})
	n.start()
	c := newClient(n.URL())
	admin := staffToken(t, n, c)
	variant, _, shipping := seedShop(t, c, admin, crashStock)
	shoppers := make([]*shopperLog, crashShoppers)
	for i := range shoppers {
		cart, err := readyCart(c, variant, shipping, fmt.Sprintf("shopper%d@example.com", i), 1)
		if err != nil {
			t.Fatal(err)
		}
		shoppers[i] = &shopperLog{cart: cart, key: fmt.Sprintf("crash-%d-%s", i, cart)}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	start := make(chan struct{})
	answered := make(chan struct{}, crashShoppers)
	for _, s := range shoppers {
		wg.Go(func() {
			<-start
			s.checkOut(ctx, c, answered)
		})
	}
	close(start)
	for range killAfter {
		<-answered
	}
	time.Sleep(jitter)
	n.kill()
	n.start()
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatal("shoppers did not all get a final answer within 2 minutes")
	}

	orders := map[string]bool{}
	var cut, retried int
	for _, s := range shoppers {
		for _, a := range s.answers {
			if a.Err != nil {
				cut++
			}
		}
		if len(s.answers) > 1 {
			retried++
		}
	}
	t.Logf("%d shoppers retried; %d requests cut by the kill or met a dead server", retried, cut)
	for i, s := range shoppers {
		switch {
		case s.final.Status == http.StatusCreated:
			orders[s.orderID] = true
		case s.final.Status == http.StatusConflict && s.final.code() == "insufficient_stock":
		default:
			t.Errorf("shopper %d: final answer %v (all answers: %v)", i, s.final, s.answers)
		}
		for _, a := range s.answers {
			if a.Status == http.StatusCreated && a.orderID() != s.orderID {
				t.Errorf("shopper %d was told of two orders: %s and %s", i, a.orderID(), s.orderID)
			}
			if a.Status >= 500 && a.Status != http.StatusServiceUnavailable {
				t.Errorf("shopper %d got %v", i, a)
			}
		}
	}
	// Every 201 replays as itself.
	for i, s := range shoppers {
		if s.orderID == "" {
			continue
		}
		a := c.checkout(s.cart, s.key)
		if a.Status != http.StatusCreated || a.orderID() != s.orderID || a.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("shopper %d replay: %v, want a replay of order %s", i, a, s.orderID)
		}
	}
	checkCrashInvariants(t, d, journal, variant, orders)
	if t.Failed() {
		t.Logf("server log:\n%s", n.tail())
	}
}

// checkOut retries one shopper's checkout with its key until a final
// answer; each answer that is not a transport error is signalled once on
// answered (which has room for all).
func (s *shopperLog) checkOut(ctx context.Context, c *client, answered chan<- struct{}) {
	signalled := false
	for ctx.Err() == nil {
		a := c.checkout(s.cart, s.key)
		s.answers = append(s.answers, a)
		if a.Err == nil && !signalled {
			answered <- struct{}{}
			signalled = true
		}
		wait := 100 * time.Millisecond
		switch {
		case a.Err != nil: // the server is down or restarting
		case a.Status == http.StatusCreated:
			s.orderID, s.final = a.orderID(), a
			return
		case a.Status == http.StatusConflict && (a.code() == "idempotency_key_in_use" || a.code() == "checkout_in_progress"),
			a.Status == http.StatusServiceUnavailable:
			wait = time.Duration(min(max(a.retryAfter(), 1), 2)) * 250 * time.Millisecond
		default:
			s.final = a
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// checkCrashInvariants reads the database and the provider's journal.
func checkCrashInvariants(t *testing.T, d *db.DB, journal, variant string, told map[string]bool) {
	t.Helper()
	ctx := context.Background()
	q := func(dst any, sql string, args ...any) {
		t.Helper()
		if err := d.Conn(ctx).Raw(sql, args...).Scan(dst).Error; err != nil {
			t.Fatal(err)
		}
	}
	var orderIDs []string
	q(&orderIDs, `SELECT id FROM orders`)
	for _, id := range orderIDs {
		if !told[id] {
			t.Errorf("order %s exists but no shopper was told of it", id)
		}
	}
	if len(orderIDs) != len(told) {
		t.Errorf("%d orders in the database, %d told to shoppers", len(orderIDs), len(told))
	}
	var lvl struct{ OnHand, Reserved int64 }
	q(&lvl, `SELECT on_hand, reserved FROM stock_levels WHERE variant_id = ?`, variant)
	sold := int64(len(orderIDs))
	if lvl.OnHand != crashStock || lvl.Reserved != sold || sold+(lvl.OnHand-lvl.Reserved) != crashStock {
		t.Errorf("stock: on_hand %d reserved %d with %d units sold; want sold + available = %d",
			lvl.OnHand, lvl.Reserved, sold, crashStock)
	}
	var holds []struct {
		Reference string
		ExpiresAt time.Time
	}
	q(&holds, `SELECT reference, expires_at FROM reservations WHERE status = 'active'`)
	for _, h := range holds {
		if !told[h.Reference] {
			t.Errorf("an active hold for %s, which is no order", h.Reference)
		}
		if h.ExpiresAt.Before(time.Now()) {
			t.Errorf("the hold for %s outlived its expiry (%s)", h.Reference, h.ExpiresAt)
		}
	}
	var claimed, keys int64
	q(&claimed, `SELECT COUNT(*) FROM carts WHERE status = 'completing'`)
	q(&keys, `SELECT COUNT(*) FROM idempotency_keys WHERE status = 'in_progress'`)
	if claimed != 0 || keys != 0 {
		t.Errorf("%d carts and %d Idempotency-Keys left claimed", claimed, keys)
	}
	checkJournal(t, d, journal)
}

// checkJournal: every authorisation the test provider made belongs to an
// order's payment or was voided, and no reference was authorised twice.
func checkJournal(t *testing.T, d *db.DB, journal string) {
	t.Helper()
	entries, err := payments.ReadTestJournal(journal)
	if err != nil {
		t.Fatal(err)
	}
	voided := map[string]bool{}
	perReference := map[string]int{}
	for _, e := range entries {
		switch e.Op {
		case "void", "refund":
			voided[e.Ref] = true
		case "authorize":
			perReference[e.Reference]++
		}
	}
	var recorded []string
	if err := d.Conn(context.Background()).Raw(`SELECT provider_ref FROM payments`).Scan(&recorded).Error; err != nil {
		t.Fatal(err)
	}
	inOrder := map[string]bool{}
	for _, r := range recorded {
		inOrder[r] = true
	}
	for _, e := range entries {
		if e.Op != "authorize" {
			continue
		}
		if !inOrder[e.Ref] && !voided[e.Ref] {
			t.Errorf("authorisation %s (for %s) belongs to no order and was not voided", e.Ref, e.Reference)
		}
		if perReference[e.Reference] > 1 {
			t.Errorf("%s was authorised %d times", e.Reference, perReference[e.Reference])
		}
	}
}
