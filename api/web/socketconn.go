package web

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/opmetrics"
)

// Socket is one accepted WebSocket. An idle socket costs one goroutine,
// its reader: frames to the client go through a bounded queue that a
// writer goroutine drains only while there is something to write, and
// pings run from a timer. So a fan-out never blocks on a slow client (a
// full queue drops the socket with 1013), and idle sockets stay small
// (docs/benchmarks.md, "Support sockets").
type Socket struct {
	s      *Sockets
	conn   *websocket.Conn
	ctx    context.Context
	cancel context.CancelFunc
	header string
	key    string
	ip     string // the client's address, for the unauthenticated cap

	qmu       sync.Mutex
	queue     [][]byte      // frames waiting for the writer; nil when idle
	writing   bool          // a writer goroutine is draining queue (under qmu)
	wake      chan struct{} // SendWait's: the writer made room
	ping      *time.Timer
	endOnce   sync.Once
	relOnce   sync.Once
	closeCode atomic.Int32
	reason    atomic.Value  // string
	closed    chan struct{} // closed once the close frame went out (or failed)
}

// Context ends when the socket does.
func (sk *Socket) Context() context.Context { return sk.ctx }

// authFrame is the first frame of a client that could not send headers.
type authFrame struct {
	Type  string `json:"type"`
	Token string `json:"token"`
}

// Credential returns the upgrade request's credential, or else waits
// (AuthTimeout) for a first frame {"type":"auth","token":"..."}. On
// failure it has closed the socket with 4401.
func (sk *Socket) Credential() (string, bool) {
	if sk.header != "" {
		return sk.header, true
	}
	if !sk.waitSlot() {
		sk.Close(CloseTooMany, "too many sockets waiting to authenticate")
		return "", false
	}
	defer sk.freeWaitSlot()
	// The read gets no deadline of its own: an expiring read context makes
	// the library drop the connection without a close frame, and the
	// client must learn why (4401).
	type read struct {
		typ  websocket.MessageType
		data []byte
		err  error
	}
	got := make(chan read, 1)
	go func() {
		typ, data, err := sk.conn.Read(context.Background())
		got <- read{typ, data, err}
	}()
	timer := time.NewTimer(sk.s.opts.AuthTimeout)
	defer timer.Stop()
	var r read
	select {
	case r = <-got:
	case <-timer.C:
		sk.Close(CloseUnauthenticated, "no auth frame in time")
		<-got
		return "", false
	case <-sk.ctx.Done():
		sk.Close(CloseGoingAway, "server shutting down")
		<-got
		return "", false
	}
	var f authFrame
	if r.err != nil || r.typ != websocket.MessageText || json.Unmarshal(r.data, &f) != nil || f.Type != "auth" || f.Token == "" {
		sk.Close(CloseUnauthenticated, `authenticate first: {"type":"auth","token":"..."}`)
		return "", false
	}
	return f.Token, true
}

// waitSlot counts the socket among its client's sockets waiting for an
// auth frame; false when that client already holds UnauthenticatedPerIP.
func (sk *Socket) waitSlot() bool {
	s := sk.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.waiting[sk.ip] >= s.opts.UnauthenticatedPerIP {
		return false
	}
	s.waiting[sk.ip]++
	return true
}

func (sk *Socket) freeWaitSlot() {
	s := sk.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.waiting[sk.ip]--; s.waiting[sk.ip] <= 0 {
		delete(s.waiting, sk.ip)
	}
}

// Authorize checks cred against p as the router checks other routes'
// credentials: an invalid one closes the socket with 4401, a principal of
// the wrong kind or role with 4403.
func (sk *Socket) Authorize(p Policy, cred string) (auth.Actor, bool) {
	actor, err := sk.s.authn.Authenticate(sk.ctx, cred, p.Audience)
	if err != nil {
		sk.Close(CloseUnauthenticated, "invalid or expired token")
		return auth.Actor{}, false
	}
	if (len(p.Kinds) > 0 && !kindIn(actor.Kind, p.Kinds)) ||
		(p.Audience == AudienceAdmin && !actor.HasRole(p.Roles...)) {
		sk.Close(CloseForbidden, "your role does not allow this")
		return auth.Actor{}, false
	}
	return actor, true
}

// LooksLikeJWT tells a signed token (header.payload.signature) from an
// opaque secret such as a guest's conversation token.
func LooksLikeJWT(cred string) bool { return strings.Count(cred, ".") == 2 }

// Claim counts the socket against principal key's cap; over the cap it
// closes the socket with 4429 and reports false.
func (sk *Socket) Claim(key string) bool {
	s := sk.s
	s.mu.Lock()
	over := s.byKey[key] >= s.opts.PerPrincipal
	if !over {
		s.byKey[key]++
		sk.key = key
	}
	s.mu.Unlock()
	if over {
		sk.Close(CloseTooMany, "too many open sockets")
	}
	return !over
}

// Send queues a frame; the same bytes may go to many sockets. A full queue
// (SendBuffer frames) ends the socket with 1013 (the client is too slow)
// and reports false.
func (sk *Socket) Send(frame []byte) bool {
	ok, full := sk.enqueue(frame)
	if full {
		sk.TooSlow()
	}
	return ok
}

// SendWait queues a frame, waiting for room; false once the socket ended.
func (sk *Socket) SendWait(frame []byte) bool {
	for {
		ok, full := sk.enqueue(frame)
		if !full {
			return ok
		}
		select {
		case <-sk.wake:
		case <-sk.ctx.Done():
			return false
		}
	}
}

// enqueue adds frame unless the queue is full or the socket ended, and
// starts a writer unless one runs. The queue is a slice, nil when empty,
// so an idle socket holds no buffer for it.
func (sk *Socket) enqueue(frame []byte) (ok, full bool) {
	if sk.ctx.Err() != nil {
		return false, false
	}
	sk.qmu.Lock()
	if len(sk.queue) >= sk.s.opts.SendBuffer {
		sk.qmu.Unlock()
		return false, true
	}
	sk.queue = append(sk.queue, frame)
	start := !sk.writing
	sk.writing = true
	sk.qmu.Unlock()
	if start {
		go sk.drain()
	}
	return true, false
}

// TooSlow ends the socket with 1013: it fell too far behind.
func (sk *Socket) TooSlow() { sk.End(CloseTryAgainLater, "too slow: frames were not read in time") }

// drain writes queued frames until the queue is empty, then exits: an idle
// socket has no writer goroutine.
func (sk *Socket) drain() {
	for {
		sk.qmu.Lock()
		batch := sk.queue
		sk.queue = nil
		if len(batch) == 0 || sk.ctx.Err() != nil {
			sk.writing = false
			sk.qmu.Unlock()
			return
		}
		sk.qmu.Unlock()
		select { // room again for a waiting SendWait
		case sk.wake <- struct{}{}:
		default:
		}
		for _, frame := range batch {
			if sk.ctx.Err() != nil {
				break
			}
			// Not sk.ctx: a canceled write context drops the connection
			// without a close frame.
			ctx, cancel := context.WithTimeout(context.Background(), sk.s.opts.WriteTimeout)
			err := sk.conn.Write(ctx, websocket.MessageText, frame)
			cancel()
			if err != nil {
				sk.End(CloseTryAgainLater, "write timed out")
				break
			}
		}
	}
}

// schedulePing arms the next ping; pingNow sends it and waits for the pong
// on the timer's goroutine (the reader answers control frames).
func (sk *Socket) schedulePing() {
	// Armed after the assignment, so pingNow always sees sk.ping.
	sk.ping = time.AfterFunc(time.Hour, sk.pingNow)
	sk.ping.Reset(sk.s.opts.PingInterval)
}

func (sk *Socket) pingNow() {
	if sk.ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), sk.s.opts.PongTimeout)
	err := sk.conn.Ping(ctx)
	cancel()
	if err != nil {
		sk.End(ClosePolicyViolation, "no pong")
		return
	}
	sk.ping.Reset(sk.s.opts.PingInterval)
}

// End closes the socket with code, from any goroutine, without blocking:
// queued frames are dropped and the close frame goes out from a goroutine
// of its own. The first code wins.
func (sk *Socket) End(code websocket.StatusCode, reason string) {
	sk.endOnce.Do(func() {
		sk.closeCode.Store(int32(code))
		sk.reason.Store(reason)
		sk.cancel()
		go sk.closeConn()
	})
}

// Close closes the socket with code and waits for the close frame, from
// the handler before Serve (a refused authentication, the cap), and
// releases it.
func (sk *Socket) Close(code websocket.StatusCode, reason string) {
	sk.End(code, reason)
	<-sk.closed
	sk.release()
}

// Serve starts the socket's reader, which hands each text frame to
// onFrame until either side ends the socket, then calls onEnd and releases
// the socket. It returns at once: the handler returns, and the connection
// lives on without it.
func (sk *Socket) Serve(onFrame func(ctx context.Context, frame []byte), onEnd func()) {
	sk.schedulePing()
	go func() {
		sk.read(onFrame)
		sk.ping.Stop()
		<-sk.closed
		if onEnd != nil {
			onEnd()
		}
		sk.release()
	}()
}

func (sk *Socket) read(onFrame func(ctx context.Context, frame []byte)) {
	for {
		// Not sk.ctx: a canceled read context drops the connection without
		// a close frame; closeConn ends this read instead.
		typ, data, err := sk.conn.Read(context.Background())
		if err != nil {
			var ce websocket.CloseError
			switch {
			case errors.As(err, &ce) || sk.ctx.Err() != nil:
				sk.End(websocket.StatusNormalClosure, "")
			case strings.Contains(err.Error(), "read limited"):
				sk.End(CloseTooBig, "frame too large")
			default:
				sk.End(ClosePolicyViolation, "")
			}
			return
		}
		if typ != websocket.MessageText {
			sk.End(websocket.StatusUnsupportedData, "text frames only")
			return
		}
		onFrame(sk.ctx, data)
	}
}

// closeConn sends the close frame End chose and waits (briefly, in the
// library) for the client's answer.
func (sk *Socket) closeConn() {
	defer close(sk.closed)
	code := websocket.StatusCode(sk.closeCode.Load())
	reason, _ := sk.reason.Load().(string)
	if code == websocket.StatusNormalClosure && reason == "" {
		_ = sk.conn.CloseNow()
		return
	}
	_ = sk.conn.Close(code, reason)
}

// release removes the socket from the registry and its principal's count.
func (sk *Socket) release() {
	sk.relOnce.Do(func() {
		s := sk.s
		s.mu.Lock()
		if sk.key != "" {
			if s.byKey[sk.key]--; s.byKey[sk.key] <= 0 {
				delete(s.byKey, sk.key)
			}
		}
		delete(s.open, sk)
		opmetrics.OpenSockets.Dec()
		s.mu.Unlock()
		s.wg.Done()
	})
}
