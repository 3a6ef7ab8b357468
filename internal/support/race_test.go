package support_test

import (
	"sync"
	"testing"

	"storekeep/internal/support"
)

// TestConcurrentRatingsCountOnce: ten ratings of one closed conversation
// sent at once: exactly one is taken, the others are already_rated, and
// the stored score is the taken one's. (On PostgreSQL, a read that does not
// lock the row let every rating through, each overwriting the last.)
func TestConcurrentRatingsCountOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	a := support.Access{CustomerID: e.cus.ID}
	c, _, _, err := e.svc.Start(ctx, support.StartInput{Message: "hello", CustomerID: e.cus.ID, IP: "203.0.113.9"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Close(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	const n = 10
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		taken []int
		other []error
	)
	for i := range n {
		wg.Add(1)
		go func(score int) {
			defer wg.Done()
			_, err := e.svc.Rate(ctx, a, c.ID, score, "")
			mu.Lock()
			defer mu.Unlock()
			switch code(err) {
			case "":
				taken = append(taken, score)
			case "already_rated":
			default:
				other = append(other, err)
			}
		}(i%5 + 1)
	}
	wg.Wait()
	if len(other) > 0 {
		t.Fatalf("unexpected errors: %v", other)
	}
	if len(taken) != 1 {
		t.Fatalf("%d ratings were taken (%v), want exactly 1", len(taken), taken)
	}
	got, err := e.svc.Conversation(ctx, a, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rating == nil || *got.Rating != taken[0] {
		t.Errorf("stored rating %v, want %d", got.Rating, taken[0])
	}
}

// TestCloseRacingACustomerMessageStaysClosed: an agent closes a pending
// conversation while its customer writes. Either order is fine (the
// message lands before the close, or it is refused as
// conversation_closed), but a successful close must leave the conversation
// closed: the customer's message must not reopen it behind the agent's back
// (status open with closed_at set).
func TestCloseRacingACustomerMessageStaysClosed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	a := support.Access{CustomerID: e.cus.ID}
	for round := range 15 {
		c, _, _, err := e.svc.Start(ctx, support.StartInput{Message: "hello", CustomerID: e.cus.ID, IP: "203.0.113.9"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.PostAgent(ctx, "stf_agent", c.ID, "how can I help?", false); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var postErr, closeErr error
		wg.Add(2)
		go func() { defer wg.Done(); _, postErr = e.svc.PostCustomer(ctx, a, c.ID, "still there?", "203.0.113.9") }()
		go func() { defer wg.Done(); _, closeErr = e.svc.Close(ctx, c.ID) }()
		wg.Wait()
		if closeErr != nil || (postErr != nil && code(postErr) != "conversation_closed") {
			t.Fatalf("round %d: close %v, post %v", round, closeErr, postErr)
		}
		got, err := e.svc.StaffConversation(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != support.StatusClosed || got.ClosedAt == nil {
			t.Fatalf("round %d: after a close and a post: status %s, closed_at %v", round, got.Status, got.ClosedAt)
		}
	}
}
