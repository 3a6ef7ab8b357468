// Command support measures the support chat's WebSocket fan-out against
// running Storekeep servers: after 32 warm-up sockets per server it opens
// -sockets customer sockets on one guest conversation, spread round-robin
// over the servers (-urls: one node, or several nodes over one
// PostgreSQL), then posts -messages messages through a warm-up socket on
// the first server and records, for every measured socket, the time from
// sending a message to receiving it. It reports the
// delivery latency (p50, p99, max), and each server's memory per idle
// socket: the growth of Go heap plus goroutine stacks in use (read just
// after a garbage collection), and of the resident set, between before and
// after the sockets opened, divided by the sockets that server holds.
//
//	go run ./bench/support -urls http://127.0.0.1:18500 -database-url sqlite:bench/out/support.db
//
// The conversation is created directly in the database (-database-url, the
// servers' own), as a guest's, so every socket is the same principal: start
// the servers with STOREKEEP_SUPPORT_SOCKETS_PER_PRINCIPAL above -sockets
// plus the warm-up ones (bench/support.sh does). Only loopback servers.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"storekeep/internal/platform/db"
	"storekeep/internal/support"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "support bench:", err)
		os.Exit(1)
	}
}

type config struct {
	urls              []string
	databaseURL       string
	sockets, messages int
	interval, settle  time.Duration
}

func run() error {
	var c config
	var urls string
	flag.StringVar(&urls, "urls", "http://127.0.0.1:18500", "comma-separated server base URLs (loopback only)")
	flag.StringVar(&c.databaseURL, "database-url", "", "the servers' database, to create the conversation")
	flag.IntVar(&c.sockets, "sockets", 1000, "listening sockets, spread over the servers")
	flag.IntVar(&c.messages, "messages", 20, "messages to fan out")
	flag.DurationVar(&c.interval, "interval", 100*time.Millisecond, "pause between messages")
	flag.DurationVar(&c.settle, "settle", 3*time.Second, "idle time before each memory reading")
	flag.Parse()
	c.urls = strings.Split(urls, ",")
	for _, u := range c.urls {
		p, err := url.Parse(u)
		if err != nil || (p.Hostname() != "127.0.0.1" && p.Hostname() != "localhost") {
			return fmt.Errorf("%q is not a loopback URL", u)
		}
	}
	ctx := context.Background()
	convID, token, err := conversation(ctx, c.databaseURL)
	if err != nil {
		return err
	}
	// Warm-up: 32 sockets per node opened at once (the concurrency the
	// measured sockets open with), kept open and drained, so what the first
	// sockets of a node start once (the listening connection, the hub, the
	// database pool's connections) is in the baseline, not in the per-socket
	// figure. The first one of the first node is the sender.
	warm, err := openAll(ctx, c.urls, warmup*len(c.urls), convID, token)
	if err != nil {
		return err
	}
	for _, conn := range warm[1:] {
		go discard(conn)
	}
	sender := warm[0]
	go discard(sender)
	time.Sleep(c.settle)
	before, err := memory(c.urls)
	if err != nil {
		return err
	}
	b := &bench{sent: make([]time.Time, c.messages), got: make([][]time.Duration, c.messages)}
	socks, err := openAll(ctx, c.urls, c.sockets, convID, token)
	if err != nil {
		return fmt.Errorf("opening sockets: %w", err)
	}
	perNode := make([]int, len(c.urls))
	for i := range c.sockets {
		perNode[i%len(c.urls)]++
	}
	time.Sleep(c.settle)
	after, err := memory(c.urls)
	if err != nil {
		return err
	}
	var readers sync.WaitGroup
	for _, conn := range socks {
		readers.Go(func() { b.listen(conn) })
	}
	for i := range c.messages {
		b.mu.Lock()
		b.sent[i] = time.Now()
		b.mu.Unlock()
		frame, _ := json.Marshal(map[string]string{"type": "message", "body": "bench " + strconv.Itoa(i)})
		if err := sender.Write(ctx, websocket.MessageText, frame); err != nil {
			return err
		}
		if err := b.waitAll(i, c.sockets, 10*time.Second); err != nil {
			return err
		}
		time.Sleep(c.interval)
	}
	for _, conn := range append(socks, warm...) {
		_ = conn.Close(websocket.StatusNormalClosure, "")
	}
	readers.Wait()
	b.report(c, perNode, before, after)
	return nil
}

// warmup is how many sockets per node open before the baseline reading.
const warmup = 32

// openAll opens n sockets spread round-robin over urls, 32 at a time.
func openAll(ctx context.Context, urls []string, n int, convID, token string) ([]*websocket.Conn, error) {
	socks := make([]*websocket.Conn, n)
	var wg sync.WaitGroup
	errc := make(chan error, n)
	sem := make(chan struct{}, 32)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			conn, err := dial(ctx, urls[i%len(urls)], convID, token)
			if err != nil {
				errc <- err
				return
			}
			socks[i] = conn
		})
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return nil, err
	}
	return socks, nil
}

// discard reads and drops conn's frames until it closes.
func discard(conn *websocket.Conn) {
	for {
		if _, _, err := conn.Read(context.Background()); err != nil {
			return
		}
	}
}

// conversation starts a guest conversation in the servers' database.
func conversation(ctx context.Context, databaseURL string) (string, string, error) {
	if databaseURL == "" {
		return "", "", errors.New("-database-url is required")
	}
	d, err := db.Open(ctx, databaseURL, slog.New(slog.DiscardHandler))
	if err != nil {
		return "", "", err
	}
	defer d.Close()
	conv, _, token, err := support.NewService(d).Start(ctx, support.StartInput{Message: "bench"})
	return conv.ID, token, err
}

func dial(ctx context.Context, base, convID, token string) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+
		"/v1/store/support/conversations/"+convID+"/ws", &websocket.DialOptions{
		HTTPHeader: http.Header{"X-Conversation-Token": {token}}})
	if res != nil && res.Body != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 20)
	for { // up to ready: the replay
		_, data, err := conn.Read(ctx)
		if err != nil {
			return nil, err
		}
		if strings.Contains(string(data), `"type":"ready"`) {
			return conn, nil
		}
	}
}

type bench struct {
	mu   sync.Mutex
	sent []time.Time
	got  [][]time.Duration // per message, one latency per socket
}

type frame struct {
	Type    string `json:"type"`
	Message struct {
		Body string `json:"body"`
	} `json:"message"`
}

// listen records when each bench message arrives on conn.
func (b *bench) listen(conn *websocket.Conn) {
	for {
		_, data, err := conn.Read(context.Background())
		if err != nil {
			return
		}
		now := time.Now()
		var f frame
		if json.Unmarshal(data, &f) != nil || f.Type != "message" || !strings.HasPrefix(f.Message.Body, "bench ") {
			continue
		}
		i, err := strconv.Atoi(strings.TrimPrefix(f.Message.Body, "bench "))
		if err != nil || i < 0 || i >= len(b.sent) {
			continue
		}
		b.mu.Lock()
		b.got[i] = append(b.got[i], now.Sub(b.sent[i]))
		b.mu.Unlock()
	}
}

func (b *bench) waitAll(i, n int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		b.mu.Lock()
		got := len(b.got[i])
		b.mu.Unlock()
		if got >= n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("message %d reached %d of %d sockets in %s", i, got, n, limit)
		}
		time.Sleep(time.Millisecond)
	}
}

// memory reads each server's heap and stack in use, resident set and
// goroutines from /metrics (Prometheus text format), each just after a
// garbage collection: it scrapes until the server's GC count moves (the
// scrapes themselves allocate, which brings the next collection on), so
// the heap figure is what is live, not what the collector has not yet
// reclaimed of the connections' setup.
func memory(urls []string) ([]map[string]float64, error) {
	out := make([]map[string]float64, len(urls))
	for i, u := range urls {
		first, err := scrape(u)
		if err != nil {
			return nil, err
		}
		deadline := time.Now().Add(2 * time.Minute)
		for {
			m, err := scrape(u)
			if err != nil {
				return nil, err
			}
			if m["go_gc_duration_seconds_count"] > first["go_gc_duration_seconds_count"] {
				// The collector sweeps the spans it freed in the
				// background after the cycle: give it a moment.
				time.Sleep(time.Second)
				if out[i], err = scrape(u); err != nil {
					return nil, err
				}
				break
			}
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("%s: no garbage collection in 2 minutes", u)
			}
		}
	}
	return out, nil
}

var memoryMetrics = []string{"go_memstats_heap_inuse_bytes", "go_memstats_stack_inuse_bytes",
	"process_resident_memory_bytes", "go_goroutines", "go_gc_duration_seconds_count"}

func scrape(u string) (map[string]float64, error) {
	res, err := http.Get(u + "/metrics")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	m := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if ok && slices.Contains(memoryMetrics, name) {
			m[name], _ = strconv.ParseFloat(val, 64)
		}
	}
	if len(m) < len(memoryMetrics) {
		return nil, fmt.Errorf("%s/metrics: memory figures missing (is it a loopback request?)", u)
	}
	return m, nil
}

// report prints one line: latencies in ms, and per node the memory per
// socket in KB (key=value, for bench/support.sh).
func (b *bench) report(c config, perNode []int, before, after []map[string]float64) {
	var all []time.Duration
	for _, g := range b.got {
		all = append(all, g...)
	}
	slices.Sort(all)
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) }
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	fmt.Printf("nodes=%d sockets=%d messages=%d deliveries=%d p50_ms=%s p99_ms=%s max_ms=%s", len(c.urls),
		c.sockets, c.messages, len(all), ms(pct(0.50)), ms(pct(0.99)), ms(all[len(all)-1]))
	for i := range c.urls {
		n := float64(perNode[i])
		delta := func(k string) float64 { return after[i][k] - before[i][k] }
		heap := (delta("go_memstats_heap_inuse_bytes") + delta("go_memstats_stack_inuse_bytes")) / n / 1024
		fmt.Printf(" node%d_sockets=%d node%d_heap_kb=%.1f node%d_stack_kb=%.1f node%d_rss_kb=%.1f node%d_goroutines=%.2f",
			i, perNode[i], i, heap, i, delta("go_memstats_stack_inuse_bytes")/n/1024,
			i, delta("process_resident_memory_bytes")/n/1024, i, delta("go_goroutines")/n)
	}
	fmt.Println()
}
