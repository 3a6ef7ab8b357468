package api_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReplayKeepsItsBodyAndHasItsOwnRequestID is issue 9's item 11. A
// replayed answer is the stored one, byte for byte: a problem body keeps
// the request_id of the request that produced it (the one whose log lines
// tell what happened), while X-Request-Id is the replay's own id, new on
// every request, as it is for a replayed success (whose body has no id).
func TestReplayKeepsItsBodyAndHasItsOwnRequestID(t *testing.T) {
	t.Parallel()
	s := newShop(t, 5, 5)

	// A stored 4xx: checkout of a cart with no address or shipping method.
	p := s.guestWith(s.small, 1)
	first := p.checkout("replay-problem", "tok_visa")
	firstProblem := first.ExpectProblem(t, http.StatusUnprocessableEntity, "cart_incomplete")
	if firstProblem.RequestID != first.Header.Get("X-Request-Id") {
		t.Fatalf("first answer: request_id %q, X-Request-Id %q", firstProblem.RequestID, first.Header.Get("X-Request-Id"))
	}
	replay := p.checkout("replay-problem", "tok_visa")
	replay.ExpectProblem(t, http.StatusUnprocessableEntity, "cart_incomplete")
	if replay.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatal("the second answer is not a replay")
	}
	if d := cmp.Diff(string(first.Body), string(replay.Body)); d != "" {
		t.Errorf("the replayed body differs from the stored one (-first +replay):\n%s", d)
	}
	if id := replay.Header.Get("X-Request-Id"); id == "" || id == first.Header.Get("X-Request-Id") {
		t.Errorf("replay X-Request-Id = %q, want a new id (first was %q)", id, first.Header.Get("X-Request-Id"))
	}

	// A stored 201: the body is the order; the header is again the replay's.
	p.ready()
	placed := p.checkout("replay-order", "tok_visa").Expect(t, http.StatusCreated)
	again := p.checkout("replay-order", "tok_visa").Expect(t, http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(placed.Body) {
		t.Errorf("the order's replay is not the stored answer: replayed %q", again.Header.Get("Idempotent-Replayed"))
	}
	if id := again.Header.Get("X-Request-Id"); id == "" || id == placed.Header.Get("X-Request-Id") {
		t.Errorf("replay X-Request-Id = %q, want a new id (first was %q)", id, placed.Header.Get("X-Request-Id"))
	}
}
