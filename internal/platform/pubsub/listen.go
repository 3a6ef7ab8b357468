package pubsub

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
)

// listen keeps one LISTEN connection open until ctx ends, reconnecting
// with backoff when it is lost. After a reconnection it hands the handler
// a Resync event, once the new connection listens: anything committed
// from then on is notified, anything before can be reloaded.
func (b *Bus) listen(ctx context.Context) {
	defer close(b.done)
	log := b.opts.Log.With("channel", b.channel)
	first := true
	backoff := b.opts.MinBackoff
	for ctx.Err() == nil {
		if !first && b.opts.BeforeReconnect != nil {
			b.opts.BeforeReconnect(ctx)
		}
		conn, err := b.connect(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Warn("pubsub listen connection failed", "error", err.Error(), "retry_in", backoff.String())
			sleep(ctx, backoff)
			backoff = min(2*backoff+rand.N(backoff/2+1), b.opts.MaxBackoff)
			continue
		}
		backoff = b.opts.MinBackoff
		if first {
			first = false
			close(b.ready)
		} else {
			b.reconnects.Add(1)
			log.Info("pubsub listening again; resyncing")
			b.handler(ctx, Event{Resync: true})
		}
		err = b.receive(ctx, conn)
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = conn.Close(cctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		log.Warn("pubsub listen connection lost", "error", err.Error())
	}
}

func (b *Bus) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := b.d.ListenConn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{b.channel}.Sanitize()); err != nil {
		_ = conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}

// receive hands each notification to the handler until the connection
// fails or ctx ends.
func (b *Bus) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		b.handler(ctx, Event{Payload: []byte(n.Payload)})
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
