package payments

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"storekeep/internal/platform/gotool"
)

// The binary is looked up (and installed) once per test process.
var (
	mockOnce sync.Once
	mockBin  string
	mockErr  error
)

// stripeMockVersion is the pinned stripe-mock (.ci/run installs the same).
const stripeMockVersion = "v0.203.0"

// startStripeMock runs stripe-mock on a free loopback port for the test and
// returns its base URL. The binary comes from STRIPE_MOCK_BIN, else
// $(go env GOPATH)/bin, else `go install` into the user cache dir. If none
// works the test is skipped, unless STOREKEEP_REQUIRE_STRIPE_MOCK=1 (CI),
// where it fails.
func startStripeMock(t *testing.T) string {
	t.Helper()
	mockOnce.Do(func() { mockBin, mockErr = stripeMockBinary() })
	bin, err := mockBin, mockErr
	if err != nil {
		if os.Getenv("STOREKEEP_REQUIRE_STRIPE_MOCK") == "1" {
			t.Fatalf("stripe-mock is required (STOREKEEP_REQUIRE_STRIPE_MOCK=1): %v", err)
		}
		t.Skipf("stripe-mock not available (%v): set STRIPE_MOCK_BIN or run `go install github.com/stripe/stripe-mock@%s`", err, stripeMockVersion)
	}
	// Both listeners on loopback with ports the kernel picks: stripe-mock
	// otherwise also serves HTTPS on [::]:12112, which concurrent test
	// processes would fight over. The HTTP address is read from its log.
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start stripe-mock: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // by PID: only the process this test started
		_ = cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening for HTTP at address: "); ok {
				found <- strings.TrimSpace(a)
				break
			}
		}
		close(found)
		_, _ = io.Copy(io.Discard, stdout) // keep the pipe drained
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			t.Fatal("stripe-mock exited without listening")
		}
		return "http://" + addr
	case <-time.After(20 * time.Second):
		t.Fatal("stripe-mock did not start listening within 20 s")
	}
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func stripeMockBinary() (string, error) {
	return gotool.Binary("STRIPE_MOCK_BIN", "github.com/stripe/stripe-mock", stripeMockVersion, "stripe-mock")
}
