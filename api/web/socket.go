package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// WebSocket close codes the server uses (RFC 6455 and the application range
// 4000-4999; docs/support-realtime.md lists them for clients).
const (
	CloseGoingAway       = websocket.StatusGoingAway       // 1001: the server shuts down
	ClosePolicyViolation = websocket.StatusPolicyViolation // 1008: a frame broke the protocol
	CloseTooBig          = websocket.StatusMessageTooBig   // 1009: a frame over the read limit
	CloseInternal        = websocket.StatusInternalError   // 1011
	CloseTryAgainLater   = websocket.StatusTryAgainLater   // 1013: too slow to keep up, or not ready
	CloseUnauthenticated = websocket.StatusCode(4401)
	CloseForbidden       = websocket.StatusCode(4403)
	CloseNotFound        = websocket.StatusCode(4404)
	CloseTooMany         = websocket.StatusCode(4429)
)

// StoreSocket is the policy of a store WebSocket route: a customer token or
// a guest's credential, read by the handler (SelfAuth).
var StoreSocket = Policy{Name: "socket:store", Audience: AudienceStore, SelfAuth: true}

// StaffSocket is the policy of an admin WebSocket route open to staff with
// one of roles (and admin), authenticated by the handler.
func StaffSocket(roles ...string) Policy {
	p := StaffRoles(roles...)
	p.Name = "socket:" + p.Name
	p.Kinds = []auth.Kind{auth.Staff}
	p.SelfAuth = true
	return p
}

// SocketOptions configure Sockets; zero values keep the defaults.
type SocketOptions struct {
	// Origins is the CORS allow-list: a browser's upgrade from any other
	// origin (than these and the server's own) is refused with 403.
	Origins []string
	// PerPrincipal caps the sockets one principal (customer, staff user,
	// guest conversation) holds open on this node (default 5).
	PerPrincipal int
	// AuthTimeout is how long the first frame may take when the upgrade
	// carried no credential (default 10 s).
	AuthTimeout time.Duration
	// PingInterval is how often the server pings (default 25 s);
	// PongTimeout how long the answer may take (default 10 s).
	PingInterval, PongTimeout time.Duration
	// WriteTimeout bounds one frame's write (default 10 s).
	WriteTimeout time.Duration
	// ReadLimit is the largest frame a client may send (default 16 KiB).
	ReadLimit int64
	// SendBuffer is how many frames may wait for a slow client before the
	// socket is dropped with 1013 (default 64).
	SendBuffer int
}

// DefaultSocketsPerPrincipal is SocketOptions.PerPrincipal's default.
const DefaultSocketsPerPrincipal = 5

func (o *SocketOptions) defaults() {
	if o.PerPrincipal <= 0 {
		o.PerPrincipal = DefaultSocketsPerPrincipal
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.AuthTimeout, 10*time.Second)
	def(&o.PingInterval, 25*time.Second)
	def(&o.PongTimeout, 10*time.Second)
	def(&o.WriteTimeout, 10*time.Second)
	if o.ReadLimit <= 0 {
		o.ReadLimit = 16 << 10
	}
	if o.SendBuffer <= 0 {
		o.SendBuffer = 64
	}
}

// ErrOriginNotAllowed answers an upgrade from an origin not in the CORS list.
var ErrOriginNotAllowed = errs.New(errs.Forbidden, "origin_not_allowed",
	"this origin may not open a WebSocket here")

// Sockets accepts and tracks a node's WebSockets: it checks the origin and
// upgrade, caps sockets per principal, and closes them all on shutdown.
type Sockets struct {
	opts  SocketOptions
	authn Authenticator

	mu     sync.Mutex
	byKey  map[string]int
	open   map[*Socket]struct{}
	closed bool
	wg     sync.WaitGroup
}

// NewSockets returns an empty socket registry.
func NewSockets(authn Authenticator, opts SocketOptions) *Sockets {
	opts.defaults()
	return &Sockets{opts: opts, authn: authn, byKey: map[string]int{}, open: map[*Socket]struct{}{}}
}

// Options returns the options in force (defaults filled in).
func (s *Sockets) Options() SocketOptions { return s.opts }

// Accept upgrades the request: a request without a WebSocket upgrade is
// 426 upgrade_required (as problem+json, nothing upgraded), a browser's
// from a foreign origin 403 origin_not_allowed. The Socket it returns is
// not authenticated yet (Credential) and runs once Run is called; the
// caller always ends it with Close or Run.
func (s *Sockets) Accept(c echo.Context) (*Socket, error) {
	req := c.Request()
	if !IsUpgrade(req) {
		c.Response().Header().Set("Upgrade", "websocket")
		return nil, echo.NewHTTPError(http.StatusUpgradeRequired,
			"this route speaks WebSocket: send a GET with Upgrade: websocket")
	}
	if !s.originAllowed(req) {
		return nil, ErrOriginNotAllowed
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, errs.New(errs.Unavailable, "shutting_down", "the server is shutting down")
	}
	conn, err := websocket.Accept(c.Response(), req, &websocket.AcceptOptions{
		InsecureSkipVerify: true, // the origin was checked above, against the CORS list
		CompressionMode:    websocket.CompressionDisabled,
	})
	if err != nil {
		return nil, err // Accept answered the client already
	}
	conn.SetReadLimit(s.opts.ReadLimit)
	// The request's context ends with the server's request timeout; a
	// socket lives longer, until it closes or the server shuts down.
	ctx, cancel := context.WithCancel(context.WithoutCancel(req.Context()))
	sk := &Socket{s: s, conn: conn, ctx: ctx, cancel: cancel, send: make(chan []byte, s.opts.SendBuffer),
		header: headerCredential(req)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		cancel()
		_ = conn.Close(CloseGoingAway, "server shutting down")
		return nil, errors.New("web: sockets closed")
	}
	s.open[sk] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	return sk, nil
}

// IsUpgrade reports whether r asks for a WebSocket upgrade.
func IsUpgrade(r *http.Request) bool {
	return headerHas(r.Header, "Connection", "upgrade") && headerHas(r.Header, "Upgrade", "websocket")
}

func headerHas(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// originAllowed: no Origin (not a browser), the server's own origin, or
// one in the CORS list.
func (s *Sockets) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if u, err := url.Parse(origin); err == nil && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range s.opts.Origins {
		if o == "*" || strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return true
		}
	}
	return false
}

// headerCredential is the credential the upgrade request carries:
// Authorization: Bearer, or a guest's X-Conversation-Token.
func headerCredential(r *http.Request) string {
	if b, ok := bearer(r); ok {
		return b
	}
	return strings.TrimSpace(r.Header.Get("X-Conversation-Token"))
}

// Close closes every socket with 1001 and waits (until ctx ends) for their
// handlers to return. Later upgrades are refused.
func (s *Sockets) Close(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	for sk := range s.open {
		sk.End(CloseGoingAway, "server shutting down")
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Count is how many sockets are open on this node.
func (s *Sockets) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.open)
}

// Socket is one accepted WebSocket. Frames to the client go through a
// bounded queue written by one goroutine, so a fan-out never blocks on a
// slow client: when the queue is full the socket is dropped with 1013.
type Socket struct {
	s      *Sockets
	conn   *websocket.Conn
	ctx    context.Context
	cancel context.CancelFunc
	send   chan []byte
	header string
	key    string

	writerDone chan struct{}
	endOnce    sync.Once
	relOnce    sync.Once
	closeCode  atomic.Int32
	reason     atomic.Value // string
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
		sk.Close(CloseUnauthenticated, "authenticate first: {\"type\":\"auth\",\"token\":...}")
		return "", false
	}
	return f.Token, true
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
// ends the socket with 1013 (the client is too slow) and reports false.
func (sk *Socket) Send(frame []byte) bool {
	select {
	case <-sk.ctx.Done():
		return false
	default:
	}
	select {
	case sk.send <- frame:
		return true
	default:
		sk.TooSlow()
		return false
	}
}

// SendWait queues a frame, waiting for room; false once the socket ended.
func (sk *Socket) SendWait(frame []byte) bool {
	select {
	case sk.send <- frame:
		return true
	case <-sk.ctx.Done():
		return false
	}
}

// TooSlow ends the socket with 1013: it fell too far behind.
func (sk *Socket) TooSlow() { sk.End(CloseTryAgainLater, "too slow: frames were not read in time") }

// SendJSON marshals v and queues it.
func (sk *Socket) SendJSON(v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	return sk.Send(b)
}

// End asks the socket to close with code (the writer sends the close frame
// after the frames already queued are dropped); it never blocks.
func (sk *Socket) End(code websocket.StatusCode, reason string) {
	sk.endOnce.Do(func() {
		sk.closeCode.Store(int32(code))
		sk.reason.Store(reason)
		sk.cancel()
	})
}

// Close closes the socket now, with code, from the handler's goroutine
// before Run (a refused authentication, the cap), and releases it.
func (sk *Socket) Close(code websocket.StatusCode, reason string) {
	sk.End(code, reason)
	sk.closeConn()
	sk.release()
}

// Start runs the writer: queued frames, and a ping every PingInterval, on
// a goroutine of its own, until the socket ends; it then sends the close
// frame, which ends Serve's read. Call Serve next.
func (sk *Socket) Start() {
	sk.writerDone = make(chan struct{})
	go func() {
		defer close(sk.writerDone)
		sk.write()
		sk.closeConn()
	}()
}

// Serve reads the client's frames on the caller's goroutine, handing each
// text frame to onFrame, until either side ends the socket; then it
// releases the socket. Start must have been called.
func (sk *Socket) Serve(onFrame func(ctx context.Context, frame []byte)) {
	sk.read(onFrame)
	<-sk.writerDone
	sk.release()
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

// write sends queued frames, and a ping every PingInterval, until the
// socket ends; a missed pong or a failed write ends it.
func (sk *Socket) write() {
	o := sk.s.opts
	ping := time.NewTicker(o.PingInterval)
	defer ping.Stop()
	for {
		select {
		case <-sk.ctx.Done():
			return
		case frame := <-sk.send:
			ctx, cancel := context.WithTimeout(context.Background(), o.WriteTimeout)
			err := sk.conn.Write(ctx, websocket.MessageText, frame)
			cancel()
			if err != nil {
				sk.End(CloseTryAgainLater, "write timed out")
				return
			}
		case <-ping.C:
			ctx, cancel := context.WithTimeout(context.Background(), o.PongTimeout)
			err := sk.conn.Ping(ctx)
			cancel()
			if err != nil {
				sk.End(ClosePolicyViolation, "no pong")
				return
			}
		}
	}
}

// closeConn sends the close frame End chose and waits (briefly) for the
// client's answer.
func (sk *Socket) closeConn() {
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
		s.mu.Unlock()
		s.wg.Done()
	})
}
