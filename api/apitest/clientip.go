package apitest

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// clientsByIP holds one HTTP client per client IP a test sends from.
type clientsByIP struct {
	mu sync.Mutex
	m  map[string]*http.Client
}

// clientFor returns the client that connects from the loopback address ip,
// or the default client when ip is empty. Linux routes all of 127.0.0.0/8
// to the loopback interface, so a connection bound to 127.0.0.7 reaches the
// test server on 127.0.0.1 and the server's TCP peer (its client IP, with no
// proxy trusted) is 127.0.0.7: per-IP limits are tested with real peers,
// not forged headers.
func (h *Harness) clientFor(ip string) *http.Client {
	if ip == "" {
		return h.client
	}
	h.clients.mu.Lock()
	defer h.clients.mu.Unlock()
	if c, ok := h.clients.m[ip]; ok {
		return c
	}
	addr := net.ParseIP(ip)
	if addr == nil || !addr.IsLoopback() {
		h.T.Fatalf("apitest: ClientIP %q must be a loopback address", ip)
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: addr}, Timeout: 10 * time.Second}
	c := &http.Client{Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4}}
	if h.clients.m == nil {
		h.clients.m = map[string]*http.Client{}
	}
	h.clients.m[ip] = c
	h.T.Cleanup(c.CloseIdleConnections)
	return c
}
