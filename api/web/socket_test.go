package web

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/labstack/echo/v4"
)

// TestSlowSocketIsDropped: frames for a client that never reads pile up
// in its bounded queue; once it is full Send refuses at once (the fan-out
// never waits for one slow client) and the socket is ended and released.
func TestSlowSocketIsDropped(t *testing.T) {
	t.Parallel()
	s := NewSockets(nil, SocketOptions{SendBuffer: 4, WriteTimeout: 200 * time.Millisecond})
	accepted := make(chan *Socket, 1)
	e := echo.New()
	e.GET("/ws", func(c echo.Context) error {
		sk, err := s.Accept(c)
		if err != nil {
			return err
		}
		sk.Serve(func(context.Context, []byte) {}, nil)
		accepted <- sk
		return nil
	})
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	conn, res, err := websocket.Dial(t.Context(), "ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Body != nil {
		_ = res.Body.Close()
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	sk := <-accepted

	frame := bytes.Repeat([]byte("x"), 256<<10)
	refused := false
	for range 1000 { // 256 MB: far more than socket buffers hold
		if !sk.Send(frame) {
			refused = true
			break
		}
	}
	if !refused {
		t.Fatal("1000 frames of 256 KB queued for a client that reads nothing")
	}
	if sk.Context().Err() == nil {
		t.Error("the slow socket was not ended")
	}
	if got := websocket.StatusCode(sk.closeCode.Load()); got != CloseTryAgainLater {
		t.Errorf("close code %d, want %d", got, CloseTryAgainLater)
	}
	deadline := time.Now().Add(15 * time.Second)
	for s.Count() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the dropped socket is still registered")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPlainGetIsUpgradeRequired: without the upgrade headers, Accept
// answers 426 and upgrades nothing.
func TestPlainGetIsUpgradeRequired(t *testing.T) {
	t.Parallel()
	s := NewSockets(nil, SocketOptions{})
	e := echo.New()
	c := e.NewContext(httptest.NewRequest("GET", "/ws", nil), httptest.NewRecorder())
	sk, err := s.Accept(c)
	if sk != nil || ProblemFor(err).Status != 426 || c.Response().Header().Get("Upgrade") != "websocket" {
		t.Errorf("Accept = %v, %v; want 426 with Upgrade: websocket", sk, err)
	}
}

// TestSilentSocketIsDropped: a client that stops answering pings (here:
// never reads, so never sends a pong) is closed with 1008 and released.
func TestSilentSocketIsDropped(t *testing.T) {
	t.Parallel()
	s := NewSockets(nil, SocketOptions{PingInterval: 50 * time.Millisecond, PongTimeout: 100 * time.Millisecond})
	accepted := make(chan *Socket, 1)
	e := echo.New()
	e.GET("/ws", func(c echo.Context) error {
		sk, err := s.Accept(c)
		if err != nil {
			return err
		}
		sk.Serve(func(context.Context, []byte) {}, nil)
		accepted <- sk
		return nil
	})
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	conn, res, err := websocket.Dial(t.Context(), "ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Body != nil {
		_ = res.Body.Close()
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	sk := <-accepted
	deadline := time.Now().Add(15 * time.Second)
	for s.Count() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("a socket that never answered a ping is still open")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := websocket.StatusCode(sk.closeCode.Load()); got != ClosePolicyViolation {
		t.Errorf("close code %d, want %d", got, ClosePolicyViolation)
	}
}

// TestUnauthenticatedSocketsAreCappedPerClient: sockets waiting for their
// auth frame have no principal yet; one client may hold only
// UnauthenticatedPerIP of them, the next is closed with 4429, and a slot is
// free again once a waiting socket has sent its frame.
func TestUnauthenticatedSocketsAreCappedPerClient(t *testing.T) {
	t.Parallel()
	s := NewSockets(nil, SocketOptions{UnauthenticatedPerIP: 2, AuthTimeout: 5 * time.Second})
	e := echo.New()
	e.GET("/ws", func(c echo.Context) error {
		sk, err := s.Accept(c)
		if err != nil {
			return err
		}
		if _, ok := sk.Credential(); ok {
			sk.Close(websocket.StatusNormalClosure, "authenticated")
		}
		return nil
	})
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	dial := func() *websocket.Conn {
		t.Helper()
		conn, res, err := websocket.Dial(t.Context(), "ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Body != nil {
			_ = res.Body.Close()
		}
		t.Cleanup(func() { _ = conn.CloseNow() })
		return conn
	}
	closeCode := func(conn *websocket.Conn) websocket.StatusCode {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		_, _, err := conn.Read(ctx)
		return websocket.CloseStatus(err)
	}
	waitingCount := func(n int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			s.mu.Lock()
			got := 0
			for _, v := range s.waiting {
				got += v
			}
			s.mu.Unlock()
			if got == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d sockets waiting, want %d", got, n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	first, _ := dial(), dial()
	waitingCount(2)
	if got := closeCode(dial()); got != CloseTooMany {
		t.Fatalf("third waiting socket: close code %d, want %d", got, CloseTooMany)
	}
	if err := first.Write(t.Context(), websocket.MessageText, []byte(`{"type":"auth","token":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if got := closeCode(first); got != websocket.StatusNormalClosure {
		t.Fatalf("authenticated socket: close code %d, want %d", got, websocket.StatusNormalClosure)
	}
	waitingCount(1)
	dial()
	waitingCount(2)
}
