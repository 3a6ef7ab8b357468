package live_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/support"
	"storekeep/internal/support/live"
)

// sink is a socket's queue that records the frames it is given.
type sink struct {
	mu     sync.Mutex
	frames []live.MessageFrame
	ready  int
	slow   bool
}

func (s *sink) Send(frame []byte) bool {
	var f live.MessageFrame
	if err := json.Unmarshal(frame, &f); err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch f.Type {
	case live.FrameMessage:
		s.frames = append(s.frames, f)
	case live.FrameReady:
		s.ready++
	}
	return true
}

func (s *sink) SendWait(frame []byte) bool { return s.Send(frame) }
func (s *sink) TooSlow()                   { s.mu.Lock(); s.slow = true; s.mu.Unlock() }

// seqs waits until s holds n message frames, then lists their seqs.
func (s *sink) seqs(t *testing.T, n int) []int64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		got := len(s.frames)
		s.mu.Unlock()
		if got >= n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d message frames, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // anything extra would show now
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, len(s.frames))
	for i, f := range s.frames {
		out[i] = f.Message.Seq
	}
	return out
}

func newHub(t *testing.T) (*db.DB, *support.Service, *live.Hub) {
	t.Helper()
	d := dbtest.New(t)
	svc := support.NewService(d)
	hub := live.NewHub(d, svc, live.Options{})
	t.Cleanup(func() { _ = hub.Close() })
	return d, svc, hub
}

// TestOutOfOrderNotifications: when the notification of seq 3 arrives
// before seq 2's, a follower still gets 2 then 3, once each; the inbox
// gets each message once.
func TestOutOfOrderNotifications(t *testing.T) {
	t.Parallel()
	d, svc, hub := newHub(t)
	ctx := t.Context()
	conv, _, token, err := svc.Start(ctx, support.StartInput{Message: "m1"})
	if err != nil {
		t.Fatal(err)
	}
	conv, err = svc.Conversation(ctx, support.Access{Token: token}, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var follower, inbox sink
	if _, err := hub.JoinConversation(ctx, conv, conv.LastSeq, &follower); err != nil {
		t.Fatal(err)
	}
	if _, err := hub.JoinInbox(ctx, &inbox); err != nil {
		t.Fatal(err)
	}
	// Posted without a publisher, then announced in the wrong order.
	quiet := support.NewService(d)
	m2, err := quiet.PostAgent(ctx, "", conv.ID, "m2", false)
	if err != nil {
		t.Fatal(err)
	}
	m3, err := quiet.PostAgent(ctx, "", conv.ID, "m3", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []support.Message{m3, m2} {
		hub.Publish(ctx, support.Change{Kind: support.ChangeMessageCreated, ConversationID: conv.ID, Seq: m.Seq, MessageID: m.ID})
	}
	if d := cmp.Diff([]int64{m2.Seq, m3.Seq}, follower.seqs(t, 2)); d != "" {
		t.Errorf("follower seqs (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int64{m3.Seq, m2.Seq}, inbox.seqs(t, 2)); d != "" {
		t.Errorf("inbox seqs, in notification order (-want +got):\n%s", d)
	}
}

// TestConcurrentPostsArriveInOrder: 20 agent replies posted at once reach
// a follower all, once, in seq order.
func TestConcurrentPostsArriveInOrder(t *testing.T) {
	t.Parallel()
	_, svc, hub := newHub(t)
	svc.SetPublisher(hub)
	ctx := t.Context()
	conv, _, _, err := svc.Start(ctx, support.StartInput{Message: "m1"})
	if err != nil {
		t.Fatal(err)
	}
	conv, err = svc.StaffConversation(ctx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var follower sink
	if _, err := hub.JoinConversation(ctx, conv, conv.LastSeq, &follower); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := svc.PostAgent(context.WithoutCancel(ctx), "", conv.ID, "reply", false); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	want := make([]int64, n)
	for i := range want {
		want[i] = conv.LastSeq + 1 + int64(i)
	}
	if d := cmp.Diff(want, follower.seqs(t, n)); d != "" {
		t.Errorf("follower seqs (-want +got):\n%s", d)
	}
}
