package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"storekeep/api/apitest"
	"storekeep/internal/support"
)

// liveSupport is a support service over the harness's database whose
// changes go to the server's hub, as the server's own service's do: the
// tests make conversations and agent replies through it.
func liveSupport(t testing.TB, h *apitest.Harness) *support.Service {
	t.Helper()
	svc := support.NewService(h.DB)
	svc.SetPublisher(h.Server.Live)
	return svc
}

// wsFrame is any server frame.
type wsFrame struct {
	Type         string                `json:"type"`
	Message      *support.Message      `json:"message"`
	Conversation *support.Conversation `json:"conversation"`
	LastSeq      int64                 `json:"last_seq"`
	Code         string                `json:"code"`
	Detail       string                `json:"detail"`
}

// wsClient is a test's socket: a goroutine reads every frame into frames
// and, when the socket ends, its close code into closed.
type wsClient struct {
	t      testing.TB
	conn   *websocket.Conn
	frames chan wsFrame
	closed chan websocket.StatusCode
}

// wsDial opens path on h's server with header (nil: none). It fails the
// test if the upgrade is refused.
func wsDial(t testing.TB, h *apitest.Harness, path string, header http.Header) *wsClient {
	t.Helper()
	c, status, err := wsTry(t, h, path, header)
	if err != nil {
		t.Fatalf("dial %s: %v (HTTP %d)", path, err, status)
	}
	return c
}

// wsTry dials and returns the refusal (with its HTTP status) instead of failing.
func wsTry(t testing.TB, h *apitest.Harness, path string, header http.Header) (*wsClient, int, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.URL, "http")+path,
		&websocket.DialOptions{HTTPHeader: header})
	status := 0
	if res != nil {
		status = res.StatusCode
		if res.Body != nil {
			_ = res.Body.Close()
		}
	}
	if err != nil {
		return nil, status, err
	}
	conn.SetReadLimit(1 << 20)
	c := &wsClient{t: t, conn: conn, frames: make(chan wsFrame, 1024), closed: make(chan websocket.StatusCode, 1)}
	go c.read()
	t.Cleanup(func() { _ = conn.CloseNow() })
	return c, status, nil
}

func (c *wsClient) read() {
	for {
		_, data, err := c.conn.Read(context.Background())
		if err != nil {
			c.closed <- websocket.CloseStatus(err)
			close(c.frames)
			return
		}
		var f wsFrame
		if err := json.Unmarshal(data, &f); err != nil {
			f = wsFrame{Type: "undecodable: " + string(data)}
		}
		c.frames <- f
	}
}

func bearerHeader(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

// send writes one client frame.
func (c *wsClient) send(v any) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// next returns the next frame, failing after 10 s or if the socket closed.
func (c *wsClient) next() wsFrame {
	c.t.Helper()
	select {
	case f, ok := <-c.frames:
		if !ok {
			c.t.Fatalf("socket closed (%d) while a frame was expected", <-c.closed)
		}
		return f
	case <-time.After(10 * time.Second):
		c.t.Fatal("no frame within 10 s")
	}
	return wsFrame{}
}

// nextOf skips frames until one of type typ.
func (c *wsClient) nextOf(typ string) wsFrame {
	c.t.Helper()
	for {
		if f := c.next(); f.Type == typ {
			return f
		}
	}
}

// ready reads frames up to {"type":"ready"} and returns the messages before it.
func (c *wsClient) ready() ([]support.Message, int64) {
	c.t.Helper()
	var msgs []support.Message
	for {
		f := c.next()
		switch f.Type {
		case "message":
			msgs = append(msgs, *f.Message)
		case "ready":
			return msgs, f.LastSeq
		}
	}
}

// closedWith waits for the socket to end and checks its close code.
func (c *wsClient) closedWith(want websocket.StatusCode) {
	c.t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case f, ok := <-c.frames:
			if ok {
				c.t.Logf("frame before the close: %s", f.Type)
				continue
			}
			if got := <-c.closed; got != want {
				c.t.Fatalf("closed with %d, want %d", got, want)
			}
			return
		case <-deadline:
			c.t.Fatalf("socket still open, want close %d", want)
		}
	}
}

// bodies lists the messages' bodies.
func bodies(ms []support.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Body
	}
	return out
}
