package fault

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"storekeep/internal/platform/dbtest"
)

// TestTwoNodesOnePostgres: two server processes share one PostgreSQL, as
// nodes behind a load balancer do. 40 shoppers race for 5 units, their
// carts made and checked out on alternate nodes: exactly 5 orders, the rest
// 409 insufficient_stock. An Idempotency-Key used on one node replays its
// stored answer on the other.
func TestTwoNodesOnePostgres(t *testing.T) {
	requirePostgres(t)
	d, url := dbtest.NewWithURL(t)
	a, b := newNode(t, url, nil), newNode(t, url, nil)
	a.start()
	b.start()
	nodes := []*client{newClient(a.URL()), newClient(b.URL())}
	admin := staffToken(t, a, nodes[0])
	variant, _, shipping := seedShop(t, nodes[0], admin, 5)

	const shoppers = 40
	carts := make([]string, shoppers)
	for i := range carts {
		cart, err := readyCart(nodes[i%2], variant, shipping, fmt.Sprintf("node%d@example.com", i), 1)
		if err != nil {
			t.Fatal(err)
		}
		carts[i] = cart
	}
	answers := make([]answer, shoppers)
	var wg sync.WaitGroup
	for i := range carts {
		// Checked out on the other node than the cart was made on.
		wg.Go(func() { answers[i] = nodes[(i+1)%2].checkout(carts[i], fmt.Sprintf("race-%d", i)) })
	}
	wg.Wait()
	won := -1
	count := map[string]int{}
	for i, ans := range answers {
		switch {
		case ans.Status == http.StatusCreated:
			count["201"]++
			won = i
		case ans.Status == http.StatusConflict && ans.code() == "insufficient_stock":
			count["409 insufficient_stock"]++
		default:
			t.Errorf("shopper %d: %v", i, ans)
		}
	}
	if count["201"] != 5 || count["409 insufficient_stock"] != 35 {
		t.Fatalf("answers = %v, want 5 orders and 35 insufficient_stock", count)
	}
	var orders, reserved int64
	if err := d.Conn(t.Context()).Raw(`SELECT COUNT(*) FROM orders`).Scan(&orders).Error; err != nil {
		t.Fatal(err)
	}
	if err := d.Conn(t.Context()).Raw(`SELECT reserved FROM stock_levels WHERE variant_id = ?`, variant).
		Scan(&reserved).Error; err != nil {
		t.Fatal(err)
	}
	if orders != 5 || reserved != 5 {
		t.Errorf("%d orders and %d units reserved, want 5 and 5", orders, reserved)
	}

	// The winner's key, replayed on the node that did not answer it.
	other := nodes[won%2]
	replay := other.checkout(carts[won], fmt.Sprintf("race-%d", won))
	if replay.Status != http.StatusCreated || replay.Header.Get("Idempotent-Replayed") != "true" ||
		!bytes.Equal(replay.Body, answers[won].Body) {
		t.Errorf("replay on the other node: %v (replayed %q), want the stored answer %s",
			replay, replay.Header.Get("Idempotent-Replayed"), answers[won].Body)
	}
}
