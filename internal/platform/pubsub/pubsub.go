// Package pubsub carries small notifications between the API nodes that
// share one database: on PostgreSQL through LISTEN/NOTIFY, one dedicated
// listening connection per node; on SQLite, which serves a single node, in
// process. A notification names what changed (ids only); receivers read the
// facts from the database, so a payload is never a second source of truth.
//
// Delivery is at most once per node: PostgreSQL drops notifications sent
// while a node's listening connection is down. The bus reconnects with
// backoff and then hands its handler a Resync event, after which the
// handler reloads what it shows from the database; with that, nothing
// committed is missed.
package pubsub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"storekeep/internal/platform/db"
)

// Event is one delivery to the handler.
type Event struct {
	// Payload is what a publisher sent (nil on a Resync).
	Payload []byte
	// Resync says notifications may have been lost: the listening
	// connection dropped and is back. The handler reloads from the database.
	Resync bool
}

// Handler receives the bus's events, one at a time, in the order the node
// received them. It should not block for long: later events wait for it.
type Handler func(ctx context.Context, e Event)

// Options tune a Bus; zero values keep the defaults.
type Options struct {
	Log *slog.Logger
	// MinBackoff and MaxBackoff bound the wait between reconnection
	// attempts (defaults 100 ms and 5 s; it doubles, with jitter).
	MinBackoff, MaxBackoff time.Duration
	// BeforeReconnect, when set, runs before each reconnection attempt of
	// the listening connection (tests hold the connection down with it to
	// publish while no node listens).
	BeforeReconnect func(ctx context.Context)
}

// MaxPayload is the largest payload PostgreSQL's NOTIFY takes (8000
// bytes, less a margin); Publish refuses longer ones on both databases.
const MaxPayload = 7900

// ErrPayloadTooLarge is Publish's answer to a payload over MaxPayload.
var ErrPayloadTooLarge = errors.New("pubsub: payload too large")

// Bus is one node's end of a notification channel.
type Bus struct {
	d       *db.DB
	channel string
	handler Handler
	opts    Options

	mu      sync.Mutex
	started bool
	ready   chan struct{} // closed once the node listens
	cancel  context.CancelFunc
	done    chan struct{}

	// In process (SQLite): published payloads waiting for the handler.
	qmu    sync.Mutex
	queue  [][]byte
	signal chan struct{}

	reconnects atomic.Int64
}

// New returns a bus on channel (a plain identifier) that delivers to h once
// started. It starts nothing: Start does, and Close stops it.
func New(d *db.DB, channel string, h Handler, opts Options) *Bus {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 100 * time.Millisecond
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(5*time.Second, opts.MinBackoff)
	}
	return &Bus{d: d, channel: channel, handler: h, opts: opts, ready: make(chan struct{}),
		done: make(chan struct{}), signal: make(chan struct{}, 1)}
}

// Start begins listening (the first call; later ones only wait) and
// returns once the node receives notifications, or with ctx's error if
// that takes longer than ctx allows (the bus keeps trying in the
// background). Events published after Start returns reach the handler.
func (b *Bus) Start(ctx context.Context) error {
	b.mu.Lock()
	if !b.started {
		b.started = true
		run, cancel := context.WithCancel(context.Background())
		b.cancel = cancel
		if b.d.Dialect() == db.Postgres {
			go b.listen(run)
		} else {
			close(b.ready)
			go b.drain(run)
		}
	}
	b.mu.Unlock()
	select {
	case <-b.ready:
		return nil
	case <-b.done:
		return errors.New("pubsub: bus closed")
	case <-ctx.Done():
		return fmt.Errorf("pubsub: not listening yet: %w", ctx.Err())
	}
}

// Publish sends payload to every node's handler. On PostgreSQL it is a
// NOTIFY through ctx's connection: inside a transaction (db.WithTx) it is
// delivered when that transaction commits and dropped if it rolls back,
// which is the ordering readers need. In process it is queued for the
// handler at once, so call it after the commit there.
func (b *Bus) Publish(ctx context.Context, payload []byte) error {
	if len(payload) > MaxPayload {
		return ErrPayloadTooLarge
	}
	if b.d.Dialect() == db.Postgres {
		if err := b.d.Conn(ctx).Exec(`SELECT pg_notify(?, ?)`, b.channel, string(payload)).Error; err != nil {
			return fmt.Errorf("pubsub: notify: %w", err)
		}
		return nil
	}
	b.mu.Lock()
	started := b.started
	b.mu.Unlock()
	if !started {
		return nil // nobody on this node listens yet, and there is no other node
	}
	b.qmu.Lock()
	b.queue = append(b.queue, payload)
	b.qmu.Unlock()
	select {
	case b.signal <- struct{}{}:
	default:
	}
	return nil
}

// Reconnects counts how many times the listening connection came back
// after it was lost (each followed by a Resync event).
func (b *Bus) Reconnects() int64 { return b.reconnects.Load() }

// Close stops the bus and waits for its handler to return.
func (b *Bus) Close() error {
	b.mu.Lock()
	started, cancel := b.started, b.cancel
	b.started = true // a Start after Close starts nothing
	b.mu.Unlock()
	if !started {
		close(b.done)
		return nil
	}
	if cancel != nil {
		cancel()
		<-b.done
	}
	return nil
}

// drain hands queued in-process payloads to the handler.
func (b *Bus) drain(ctx context.Context) {
	defer close(b.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.signal:
		}
		b.qmu.Lock()
		batch := b.queue
		b.queue = nil
		b.qmu.Unlock()
		for _, p := range batch {
			b.handler(ctx, Event{Payload: p})
		}
	}
}
