package fault

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The server binary is built once per test run, from this module.
var (
	buildOnce sync.Once
	buildDir  string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// serverBinary builds `storekeep` into a temporary directory (once).
func serverBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Dir(filepath.Dir(file))
		if buildDir, buildErr = os.MkdirTemp("", "storekeep-fault-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "storekeep")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// node is one Storekeep server process on a loopback port.
type node struct {
	t    *testing.T
	bin  string
	addr string
	env  []string
	log  string
	cmd  *exec.Cmd
	done chan struct{}
}

// faultJWTSecret is shared by every node of a test, as production nodes
// share STOREKEEP_JWT_SECRET.
const faultJWTSecret = "fault-test-secret-fault-test-secret-0123456789"

// newNode prepares (does not start) a server over databaseURL. extra adds
// or overrides environment variables.
func newNode(t *testing.T, databaseURL string, extra map[string]string) *node {
	t.Helper()
	n := &node{t: t, bin: serverBinary(t), addr: freeAddr(t), log: filepath.Join(t.TempDir(), "server.log")}
	env := map[string]string{
		"DATABASE_URL":            databaseURL,
		"STOREKEEP_ADDR":          n.addr,
		"STOREKEEP_JWT_SECRET":    faultJWTSecret,
		"STOREKEEP_LOG_LEVEL":     "warn",
		"STOREKEEP_LOG_FORMAT":    "json",
		"STOREKEEP_TEST_PAYMENTS": "on",
	}
	for k, v := range extra {
		env[k] = v
	}
	n.env = append(os.Environ(), envList(env)...)
	t.Cleanup(n.kill)
	return n
}

func envList(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// URL is the node's base URL.
func (n *node) URL() string { return "http://" + n.addr }

// run runs the binary once with args (a command such as admin create).
func (n *node) run(args ...string) {
	n.t.Helper()
	cmd := exec.Command(n.bin, args...)
	cmd.Env = n.env
	if out, err := cmd.CombinedOutput(); err != nil {
		n.t.Fatalf("storekeep %v: %v\n%s", args, err, out)
	}
}

// start starts `storekeep serve` and waits until it answers /healthz.
func (n *node) start() {
	n.t.Helper()
	logf, err := os.OpenFile(n.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		n.t.Fatal(err)
	}
	cmd := exec.Command(n.bin, "serve")
	cmd.Env = n.env
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		n.t.Fatal(err)
	}
	n.cmd, n.done = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(n.done) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(n.URL() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-n.done:
			n.t.Fatalf("server exited at start; log:\n%s", n.tail())
		default:
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("server did not answer within 60 s; log:\n%s", n.tail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL (no shutdown of any kind) and waits for the exit.
func (n *node) kill() {
	if n.cmd == nil {
		return
	}
	select {
	case <-n.done:
	default:
		_ = n.cmd.Process.Signal(syscall.SIGKILL)
		<-n.done
	}
	n.cmd = nil
}

// tail is the end of the node's log, for failure messages.
func (n *node) tail() string {
	b, _ := os.ReadFile(n.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// requirePostgres skips a test that needs PostgreSQL when the suite runs
// on SQLite only.
func requirePostgres(t *testing.T) string {
	t.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		t.Skip("needs PostgreSQL: set TEST_DATABASE_URL")
	}
	return u
}

// waitUntil polls cond until it holds or ctx ends.
func waitUntil(ctx context.Context, cond func() bool) bool {
	for !cond() {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
	return true
}
