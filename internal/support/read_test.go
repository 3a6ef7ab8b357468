package support_test

import (
	"testing"

	"storekeep/internal/support"
)

// TestReadMarkerThatDoesNotMovePublishesNothing: a read marker that stays
// where it is (the same seq again, or an older one) changes nothing, so no
// change goes to the hub. Otherwise every repeated "read" frame of a
// customer's socket, which nothing limits, would fan a conversation frame
// out to every inbox socket of every node.
func TestReadMarkerThatDoesNotMovePublishesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	mine := support.Access{CustomerID: e.cus.ID}
	c, _, _, err := e.svc.Start(ctx, support.StartInput{Message: "hello", CustomerID: e.cus.ID, IP: "203.0.113.9"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.PostAgent(ctx, "stf_agent", c.ID, "hi!", false); err != nil {
		t.Fatal(err)
	}
	count := func() int { return len(e.pub.kinds()) }
	before := count()
	if err := e.svc.MarkRead(ctx, mine, c.ID, 2); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.StaffMarkRead(ctx, c.ID, 1); err != nil {
		t.Fatal(err)
	}
	if got := count() - before; got != 2 {
		t.Fatalf("markers that moved published %d changes, want 2", got)
	}
	before = count()
	for _, seq := range []int64{2, 1, 0} {
		if err := e.svc.MarkRead(ctx, mine, c.ID, seq); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.StaffMarkRead(ctx, c.ID, 1); err != nil {
		t.Fatal(err)
	}
	if got := count() - before; got != 0 {
		t.Errorf("markers that did not move published %d changes, want none", got)
	}
}
