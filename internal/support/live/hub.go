package live

import (
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/pubsub"
	"storekeep/internal/support"
)

// Reader is what the hub reads, after a change, from the support service.
type Reader interface {
	StaffConversation(ctx context.Context, convID string) (support.Conversation, error)
	CustomerConversation(ctx context.Context, convID string) (support.Conversation, error)
	StaffMessages(ctx context.Context, convID string, after int64, limit int) ([]support.Message, error)
	ChangedSince(ctx context.Context, since time.Time, limit int) ([]support.Conversation, []support.Message, error)
}

// Sender is a socket's outgoing queue (web.Socket): Send never blocks (a
// full queue drops the socket); SendWait waits for room, for replays;
// TooSlow drops the socket (it fell too far behind).
type Sender interface {
	Send(frame []byte) bool
	SendWait(frame []byte) bool
	TooSlow()
}

// Channel is the PostgreSQL notification channel of support changes.
const Channel = "storekeep_support"

// Options tune a Hub.
type Options struct {
	Log *slog.Logger
	// Shards is how many goroutines process changes (default 4); one
	// conversation's changes always go to the same one, in order.
	Shards int
	// Bus configures the notification bus (tests hold reconnections).
	Bus pubsub.Options
	// StartTimeout bounds the wait for the node to listen (default 10 s).
	StartTimeout time.Duration
}

// Hub fans support changes out to this node's sockets; it implements
// support.Publisher.
type Hub struct {
	r      Reader
	bus    *pubsub.Bus
	log    *slog.Logger
	opts   Options
	shards []*shard

	startOnce sync.Once
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup

	imu   sync.Mutex
	inbox atomic.Pointer[[]*Sub] // copy on write: read on every change

	lastHeard atomic.Int64 // unix nanos of the last change heard
	subs      atomic.Int64 // open subscriptions
}

var _ support.Publisher = (*Hub)(nil)

// NewHub returns a hub over d reading through r. It starts on the first
// Join (a node without sockets listens to nothing) and stops with Close.
func NewHub(d *db.DB, r Reader, opts Options) *Hub {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Shards <= 0 {
		opts.Shards = 4
	}
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = 10 * time.Second
	}
	if opts.Bus.Log == nil {
		opts.Bus.Log = opts.Log
	}
	h := &Hub{r: r, log: opts.Log, opts: opts}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.bus = pubsub.New(d, Channel, h.hear, opts.Bus)
	for range opts.Shards {
		h.shards = append(h.shards, newShard(h))
	}
	h.inbox.Store(&[]*Sub{})
	return h
}

// Bus is the hub's notification bus (tests count its reconnections).
func (h *Hub) Bus() *pubsub.Bus { return h.bus }

// payload is a change on the wire: ids only, short keys (NOTIFY payloads
// are capped at 8000 bytes; these are about 120).
type payload struct {
	Kind string `json:"k"`
	Conv string `json:"c"`
	Seq  int64  `json:"s,omitempty"`
	Msg  string `json:"m,omitempty"`
}

// Publish sends c to every node. The service calls it after the commit;
// a failure is logged, never returned: the change itself stands, and
// sockets catch up on their next resync or reconnection.
func (h *Hub) Publish(ctx context.Context, c support.Change) {
	b, _ := json.Marshal(payload{Kind: c.Kind, Conv: c.ConversationID, Seq: c.Seq, Msg: c.MessageID})
	if err := h.bus.Publish(context.WithoutCancel(ctx), b); err != nil {
		h.log.Error("support publish", "conversation_id", c.ConversationID, "error", err.Error())
	}
}

// start starts the shards and the bus, once, and waits until this node
// listens.
func (h *Hub) start(ctx context.Context) error {
	h.startOnce.Do(func() {
		h.lastHeard.Store(time.Now().UnixNano())
		for _, sh := range h.shards {
			h.wg.Add(1)
			go func() {
				defer h.wg.Done()
				sh.run(h.ctx)
			}()
		}
	})
	ctx, cancel := context.WithTimeout(ctx, h.opts.StartTimeout)
	defer cancel()
	return h.bus.Start(ctx)
}

// Close stops listening and the shards.
func (h *Hub) Close() error {
	err := h.bus.Close()
	h.cancel()
	h.wg.Wait()
	return err
}

// hear is the bus's handler: it routes a change to its conversation's
// shard, or a resync to all of them.
func (h *Hub) hear(_ context.Context, e pubsub.Event) {
	if e.Resync {
		for _, sh := range h.shards {
			sh.push(op{resync: true})
		}
		return
	}
	var p payload
	if err := json.Unmarshal(e.Payload, &p); err != nil || p.Conv == "" {
		h.log.Warn("support notification ignored", "payload", string(e.Payload))
		return
	}
	h.lastHeard.Store(time.Now().UnixNano())
	c := support.Change{Kind: p.Kind, ConversationID: p.Conv, Seq: p.Seq, MessageID: p.Msg}
	h.shardOf(p.Conv).push(op{change: &c})
}

func (h *Hub) shardOf(convID string) *shard {
	f := fnv.New32a()
	_, _ = f.Write([]byte(convID))
	return h.shards[int(f.Sum32()%uint32(len(h.shards)))]
}

// ErrClosed is Join's answer once the hub is closed.
var ErrClosed = errors.New("live: hub closed")

// Sub is one socket's subscription.
type Sub struct {
	h      *Hub
	convID string // "" for the inbox
	left   atomic.Bool
	out    Sender
	// Owned by the conversation's shard goroutine:
	cursor    int64     // last seq sent
	buffering bool      // the replay runs; live frames wait in buf
	buf       []pending // frames heard during the replay
}

type pending struct {
	seq   int64 // 0: not a message (always sent)
	frame []byte
}

// maxPending is how many frames may pile up during a replay before the
// socket is dropped (a replay that slow is a client that cannot keep up).
const maxPending = 256

// JoinConversation follows conv (whose LastSeq the caller just read) for a
// customer socket: it sends every message after after (internal notes
// left out), then {"type":"ready"}, then live frames, without gaps or
// duplicates.
func (h *Hub) JoinConversation(ctx context.Context, conv support.Conversation, after int64, out Sender) (*Sub, error) {
	if err := h.start(ctx); err != nil {
		return nil, err
	}
	s := &Sub{h: h, convID: conv.ID, out: out, buffering: true}
	h.subs.Add(1)
	sh := h.shardOf(conv.ID)
	if !sh.call(ctx, op{join: s, lastSeq: conv.LastSeq}) {
		s.Leave() // queued after the join, which may still run
		return nil, ErrClosed
	}
	cursor := min(max(after, 0), conv.LastSeq)
	last, err := h.replay(ctx, conv.ID, cursor, out)
	if err != nil {
		s.Leave()
		return nil, err
	}
	last = max(last, conv.LastSeq)
	if !out.SendWait(encodeReady(last)) {
		s.Leave()
		return nil, context.Canceled
	}
	if !sh.call(ctx, op{live: s, lastSeq: last}) {
		s.Leave()
		return nil, ErrClosed
	}
	return s, nil
}

// replay sends the customer view of conv's messages after cursor and
// returns the last seq it read.
func (h *Hub) replay(ctx context.Context, convID string, cursor int64, out Sender) (int64, error) {
	for {
		msgs, err := h.r.StaffMessages(ctx, convID, cursor, support.MaxMessageLimit)
		if err != nil {
			return cursor, err
		}
		for _, m := range msgs {
			cursor = m.Seq
			if !m.Internal && !out.SendWait(encodeMessage(m)) {
				return cursor, context.Canceled
			}
		}
		if len(msgs) < support.MaxMessageLimit {
			return cursor, nil
		}
	}
}

// JoinInbox follows every conversation for a staff socket, from now on,
// and sends {"type":"ready","last_seq":0} once it does.
func (h *Hub) JoinInbox(ctx context.Context, out Sender) (*Sub, error) {
	if err := h.start(ctx); err != nil {
		return nil, err
	}
	s := &Sub{h: h, out: out}
	h.subs.Add(1)
	h.imu.Lock()
	subs := append(append([]*Sub{}, *h.inbox.Load()...), s)
	h.inbox.Store(&subs)
	h.imu.Unlock()
	if !out.SendWait(encodeReady(0)) {
		s.Leave()
		return nil, context.Canceled
	}
	return s, nil
}

// Leave ends the subscription.
func (s *Sub) Leave() {
	h := s.h
	if !s.left.CompareAndSwap(false, true) {
		return
	}
	h.subs.Add(-1)
	if s.convID != "" {
		h.shardOf(s.convID).push(op{leave: s})
		return
	}
	h.imu.Lock()
	defer h.imu.Unlock()
	old := *h.inbox.Load()
	subs := make([]*Sub, 0, len(old))
	for _, x := range old {
		if x != s {
			subs = append(subs, x)
		}
	}
	h.inbox.Store(&subs)
}

func (h *Hub) inboxSubs() []*Sub { return *h.inbox.Load() }

// Subscribers counts this node's subscriptions (conversation followers
// and inbox sockets), for tests and metrics.
func (h *Hub) Subscribers() int64 { return h.subs.Load() }
