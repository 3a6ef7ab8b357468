package live

import (
	"context"
	"sync"
	"time"

	"storekeep/internal/support"
)

// op is one unit of a shard's work; exactly one field is set.
type op struct {
	change *support.Change
	resync bool
	join   *Sub // start following (buffering) a conversation
	live   *Sub // the replay is over: flush the buffer, go live
	leave  *Sub
	// lastSeq: for join, the conversation's last seq read before joining
	// (a new topic starts there); for live, the replay's last seq.
	lastSeq int64
	done    chan struct{}
}

// topic is one followed conversation on this node.
type topic struct {
	lastSeq int64 // the last message seq loaded for it
	subs    map[*Sub]struct{}
}

// shard processes the changes of the conversations hashed to it, one at a
// time, so one conversation's frames keep their order.
type shard struct {
	h      *Hub
	mu     sync.Mutex
	queue  []op
	signal chan struct{}
	topics map[string]*topic // owned by run's goroutine
}

func newShard(h *Hub) *shard {
	return &shard{h: h, signal: make(chan struct{}, 1), topics: map[string]*topic{}}
}

func (sh *shard) push(o op) {
	sh.mu.Lock()
	sh.queue = append(sh.queue, o)
	sh.mu.Unlock()
	select {
	case sh.signal <- struct{}{}:
	default:
	}
}

// call pushes o and waits until it ran; false if ctx or the hub ended.
func (sh *shard) call(ctx context.Context, o op) bool {
	o.done = make(chan struct{})
	sh.push(o)
	select {
	case <-o.done:
		return true
	case <-ctx.Done():
		return false
	case <-sh.h.ctx.Done():
		return false
	}
}

func (sh *shard) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-sh.signal:
		}
		sh.mu.Lock()
		batch := sh.queue
		sh.queue = nil
		sh.mu.Unlock()
		for _, o := range batch {
			sh.do(ctx, o)
			if o.done != nil {
				close(o.done)
			}
		}
	}
}

func (sh *shard) do(ctx context.Context, o op) {
	switch {
	case o.join != nil:
		t := sh.topics[o.join.convID]
		if t == nil {
			t = &topic{lastSeq: o.lastSeq, subs: map[*Sub]struct{}{}}
			sh.topics[o.join.convID] = t
		}
		t.subs[o.join] = struct{}{}
	case o.live != nil:
		s := o.live
		s.cursor = max(s.cursor, o.lastSeq)
		for _, p := range s.buf {
			if p.seq == 0 || p.seq > s.cursor {
				s.cursor = max(s.cursor, p.seq)
				s.out.Send(p.frame)
			}
		}
		s.buf, s.buffering = nil, false
	case o.leave != nil:
		if t := sh.topics[o.leave.convID]; t != nil {
			delete(t.subs, o.leave)
			if len(t.subs) == 0 {
				delete(sh.topics, o.leave.convID)
			}
		}
	case o.resync:
		sh.resync(ctx)
	case o.change != nil:
		sh.change(ctx, *o.change)
	}
}

func (sh *shard) change(ctx context.Context, c support.Change) {
	switch c.Kind {
	case support.ChangeMessageCreated:
		sh.message(ctx, c)
	default:
		sh.conversation(ctx, c.ConversationID, true)
	}
}

// message delivers the messages of a followed conversation after its
// topic's last seq (normally just c's message; more when notifications
// came out of order), and c's message to the inbox.
func (sh *shard) message(ctx context.Context, c support.Change) {
	var named []byte
	if t := sh.topics[c.ConversationID]; t != nil {
		named = sh.catchUp(ctx, c.ConversationID, t, c.Seq)
	}
	inbox := sh.h.inboxSubs()
	if len(inbox) == 0 {
		return
	}
	if named == nil {
		msgs, err := sh.h.r.StaffMessages(ctx, c.ConversationID, c.Seq-1, 1)
		if err != nil {
			sh.h.log.Error("support live: load message", "conversation_id", c.ConversationID, "error", err.Error())
			return
		}
		if len(msgs) == 1 && msgs[0].Seq == c.Seq {
			named = encodeMessage(msgs[0])
		}
	}
	if named != nil {
		for _, s := range inbox {
			s.out.Send(named)
		}
	}
	// Each message changes the agents' unread count.
	sh.inboxConversation(ctx, c.ConversationID, inbox)
}

// catchUp loads t's messages after t.lastSeq and sends the customer's to
// its followers; it returns the encoded frame of message seq (nil if not
// among them).
func (sh *shard) catchUp(ctx context.Context, convID string, t *topic, seq int64) []byte {
	var named []byte
	for {
		msgs, err := sh.h.r.StaffMessages(ctx, convID, t.lastSeq, support.MaxMessageLimit)
		if err != nil {
			sh.h.log.Error("support live: load messages", "conversation_id", convID, "error", err.Error())
			return named
		}
		for _, m := range msgs {
			frame := encodeMessage(m) // once, whatever the number of sockets
			t.lastSeq = m.Seq
			if m.Seq == seq {
				named = frame
			}
			if m.Internal {
				continue // never to a customer socket
			}
			for s := range t.subs {
				s.deliver(m.Seq, frame)
			}
		}
		if len(msgs) < support.MaxMessageLimit {
			return named
		}
	}
}

// deliver sends frame (message seq, or 0) to s unless s has it already.
func (s *Sub) deliver(seq int64, frame []byte) {
	if s.buffering {
		if len(s.buf) >= maxPending {
			s.out.TooSlow()
			return
		}
		s.buf = append(s.buf, pending{seq, frame})
		return
	}
	if seq != 0 && seq <= s.cursor {
		return
	}
	s.cursor = max(s.cursor, seq)
	s.out.Send(frame)
}

// conversation sends the changed conversation to its followers (customer
// view) and, when toInbox, to the inbox (staff view).
func (sh *shard) conversation(ctx context.Context, convID string, toInbox bool) {
	if t := sh.topics[convID]; t != nil {
		c, err := sh.h.r.CustomerConversation(ctx, convID)
		if err != nil {
			sh.h.log.Error("support live: load conversation", "conversation_id", convID, "error", err.Error())
		} else {
			frame := encodeConversation(c)
			for s := range t.subs {
				s.deliver(0, frame)
			}
		}
	}
	if toInbox {
		sh.inboxConversation(ctx, convID, sh.h.inboxSubs())
	}
}

func (sh *shard) inboxConversation(ctx context.Context, convID string, inbox []*Sub) {
	if len(inbox) == 0 {
		return
	}
	c, err := sh.h.r.StaffConversation(ctx, convID)
	if err != nil {
		sh.h.log.Error("support live: load conversation", "conversation_id", convID, "error", err.Error())
		return
	}
	frame := encodeConversation(c)
	for _, s := range inbox {
		s.out.Send(frame)
	}
}

// resyncWindow is how far before the last change heard an inbox resync
// looks for changes it may have missed.
const resyncWindow = 30 * time.Second

// resyncLimit caps what an inbox resync sends of each kind.
const resyncLimit = 200

// resync reloads every followed conversation from its last seq, and (the
// first shard only) sends the inbox what changed around the outage.
func (sh *shard) resync(ctx context.Context) {
	for convID, t := range sh.topics {
		sh.catchUp(ctx, convID, t, 0)
		sh.conversation(ctx, convID, false)
	}
	if sh != sh.h.shards[0] {
		return
	}
	inbox := sh.h.inboxSubs()
	if len(inbox) == 0 {
		return
	}
	since := time.Unix(0, sh.h.lastHeard.Load()).Add(-resyncWindow)
	convs, msgs, err := sh.h.r.ChangedSince(ctx, since, resyncLimit)
	if err != nil {
		sh.h.log.Error("support live: inbox resync", "error", err.Error())
		return
	}
	for _, c := range convs {
		frame := encodeConversation(c)
		for _, s := range inbox {
			s.out.Send(frame)
		}
	}
	for _, m := range msgs {
		frame := encodeMessage(m)
		for _, s := range inbox {
			s.out.Send(frame)
		}
	}
}
