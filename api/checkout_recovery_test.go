package api_test

import (
	"net/http"
	"testing"
	"time"

	"storekeep/internal/orders"
)

// TestCheckoutReplayAfterALostAnswer: the server committed a checkout's
// order and died before storing the answer for its Idempotency-Key (the
// key row stays in_progress). The client's retry with the same key, once
// the key's lock has timed out, gets that order (201, same id), not 409
// cart_completed; a new key on the completed cart is still 409.
func TestCheckoutReplayAfterALostAnswer(t *testing.T) {
	t.Parallel()
	s := newShop(t, 5, 0)
	p := s.guestWith(s.small, 1)
	p.ready()
	first := p.placeOrder("lost-answer")
	// What a SIGKILL between the order's commit and the key's completion
	// leaves behind.
	if err := s.h.DB.Conn(t.Context()).Exec(`UPDATE idempotency_keys SET status = 'in_progress',
		response_status = NULL, response_body = NULL, locked_at = ?`, time.Now().Add(-10*time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	var out struct {
		Order orders.Order `json:"order"`
	}
	p.checkout("lost-answer", "tok_visa").Expect(t, http.StatusCreated).JSON(t, &out)
	if out.Order.ID != first.ID || out.Order.Number != first.Number {
		t.Fatalf("retry got order %s (%s), want %s (%s)", out.Order.ID, out.Order.Number, first.ID, first.Number)
	}
	// The answer is now stored: a further retry replays it.
	resp := p.checkout("lost-answer", "tok_visa").Expect(t, http.StatusCreated)
	if resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Error("third try was not a replay")
	}
	p.checkout("another-key", "tok_visa").ExpectProblem(t, http.StatusConflict, "cart_completed")
	if n := countRows(t, s, `SELECT COUNT(*) FROM orders`); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
	if got := s.available(s.small); got != 4 {
		t.Errorf("available = %d, want 4", got)
	}
}
