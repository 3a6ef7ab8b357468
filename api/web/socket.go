package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/opmetrics"
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
	// UnauthenticatedPerIP caps the sockets one client address may hold
	// while they wait for their auth frame (default 20): before it has
	// authenticated a socket has no principal to count against.
	UnauthenticatedPerIP int
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
	if o.UnauthenticatedPerIP <= 0 {
		o.UnauthenticatedPerIP = 20
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

	mu    sync.Mutex
	byKey map[string]int
	// waiting counts, per client IP, sockets waiting for their auth frame.
	waiting map[string]int
	open    map[*Socket]struct{}
	closed  bool
	wg      sync.WaitGroup
}

// NewSockets returns an empty socket registry.
func NewSockets(authn Authenticator, opts SocketOptions) *Sockets {
	opts.defaults()
	return &Sockets{opts: opts, authn: authn, byKey: map[string]int{}, waiting: map[string]int{}, open: map[*Socket]struct{}{}}
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
	conn, err := websocket.Accept(smallBuffers{c.Response()}, req, &websocket.AcceptOptions{
		InsecureSkipVerify: true, // the origin was checked above, against the CORS list
		CompressionMode:    websocket.CompressionDisabled,
	})
	if err != nil {
		return nil, err // Accept answered the client already
	}
	conn.SetReadLimit(s.opts.ReadLimit)
	// The request's context ends with the server's request timeout; a
	// socket lives longer, until it closes or the server shuts down. (Not
	// derived from the request's, so it keeps none of its values alive.)
	ctx, cancel := context.WithCancel(context.Background())
	sk := &Socket{s: s, conn: conn, ctx: ctx, cancel: cancel, header: headerCredential(req), ip: c.RealIP(),
		closed: make(chan struct{}), wake: make(chan struct{}, 1)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		cancel()
		_ = conn.Close(CloseGoingAway, "server shutting down")
		return nil, errors.New("web: sockets closed")
	}
	s.open[sk] = struct{}{}
	opmetrics.OpenSockets.Inc()
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

// socketBuffer is the size of a socket's read and write buffers. net/http
// hands a hijacked connection 4 KiB of each, which the WebSocket library
// keeps for the socket's life; chat frames are a few hundred bytes, and
// larger ones (up to ReadLimit, or a 4 000-character message) only take a
// few more system calls.
const socketBuffer = 512

// smallBuffers is the response writer given to websocket.Accept: its
// Hijack swaps net/http's buffers for socketBuffer-sized ones, keeping any
// bytes the client sent past the upgrade request. It is what brings an
// idle socket under 20 KB (docs/benchmarks.md, "Support sockets").
type smallBuffers struct{ http.ResponseWriter }

// Hijack implements http.Hijacker.
func (w smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if n := brw.Reader.Buffered(); n > 0 {
		// Bytes the client sent right behind its upgrade request (a
		// browser's first frame often is): the library resets the reader
		// it is given onto the connection itself (coder/websocket's accept
		// does Reader.Reset(conn)), so they must come out of the
		// connection's own Read, or they are lost.
		early, _ := brw.Peek(n)
		conn = &earlyConn{Conn: conn, r: io.MultiReader(bytes.NewReader(bytes.Clone(early)), conn)}
	}
	// net/http flushed the 101 answer before handing the connection over,
	// so brw.Writer holds nothing.
	return conn, bufio.NewReadWriter(bufio.NewReaderSize(conn, socketBuffer), bufio.NewWriterSize(conn, socketBuffer)), nil
}

// earlyConn is a hijacked connection whose reads start with the bytes
// net/http had already buffered.
type earlyConn struct {
	net.Conn
	r io.Reader
}

func (c *earlyConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// Unwrap lets http.ResponseController reach the real writer.
func (w smallBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }
