package webhooks

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The Node verifier (testdata/verify-node: verify.mjs and the npm package
// standardwebhooks pinned in its lockfile) is installed once per test
// process into the CI cache, like .ci/run's other npm tools.
var (
	nodeOnce sync.Once
	nodeDir  string // a directory with node_modules/standardwebhooks
	nodeErr  error
)

// nodeVerifier returns the directory verify.mjs runs from. Without node or
// npm, or when the package cannot be installed, the test is skipped, except
// under CI (CI=true), where it fails: CI must verify with the real package.
func nodeVerifier(t *testing.T) string {
	t.Helper()
	nodeOnce.Do(func() { nodeDir, nodeErr = installNodeVerifier() })
	if nodeErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the Node verifier is required under CI: %v", nodeErr)
		}
		t.Skipf("Node verifier unavailable (%v): install node and npm to run this test", nodeErr)
	}
	return nodeDir
}

func installNodeVerifier() (string, error) {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("%s not found", tool)
		}
	}
	src, err := filepath.Abs(filepath.Join("testdata", "verify-node"))
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			return "", err
		}
		h.Write(b)
	}
	cache := os.Getenv("STOREKEEP_CI_CACHE")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		cache = filepath.Join(home, ".cache", "storekeep-ci")
	}
	deps := filepath.Join(cache, "npm-webhooks-verify", hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(filepath.Join(deps, ".installed")); err != nil {
		tmp := fmt.Sprintf("%s.tmp.%d", deps, os.Getpid())
		_ = os.RemoveAll(tmp)
		if err := os.MkdirAll(tmp, 0o755); err != nil {
			return "", err
		}
		defer os.RemoveAll(tmp)
		for _, f := range []string{"package.json", "package-lock.json"} {
			b, _ := os.ReadFile(filepath.Join(src, f))
			if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
				return "", err
			}
		}
		cmd := exec.Command("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = tmp
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("npm ci: %w\n%s", err, out)
		}
		if err := os.WriteFile(filepath.Join(tmp, ".installed"), nil, 0o644); err != nil {
			return "", err
		}
		// Another process may have installed the same lockfile meanwhile:
		// keep theirs.
		_ = os.Rename(tmp, deps)
	}
	// verify.mjs beside the installed node_modules, in a directory of this
	// process: Node resolves packages from the script's directory.
	run, err := os.MkdirTemp("", "storekeep-verify-node-")
	if err != nil {
		return "", err
	}
	script, err := os.ReadFile(filepath.Join(src, "verify.mjs"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(run, "verify.mjs"), script, 0o644); err != nil {
		return "", err
	}
	if err := os.Symlink(filepath.Join(deps, "node_modules"), filepath.Join(run, "node_modules")); err != nil {
		return "", err
	}
	return run, nil
}

// nodeCase is one delivery for the Node verifier to check.
type nodeCase struct {
	Name    string            `json:"name"`
	Secret  string            `json:"secret"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// nodeVerdict is the verifier's answer for one case.
type nodeVerdict struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	Type  string `json:"type"`
}

func runNode(t *testing.T, dir string, cases []nodeCase) map[string]nodeVerdict {
	t.Helper()
	in, _ := json.Marshal(map[string]any{"cases": cases})
	cmd := exec.Command("node", "verify.mjs")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node verify.mjs: %v\n%s", err, out)
	}
	got := map[string]nodeVerdict{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var v nodeVerdict
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("verifier said %q: %v", sc.Text(), err)
		}
		got[v.Name] = v
	}
	return got
}

// asCase turns a request the receiver got into a case.
func asCase(name, secret string, s seen) nodeCase {
	return nodeCase{Name: name, Secret: secret, Body: string(s.Body), Headers: map[string]string{
		"webhook-id": s.Header.Get("webhook-id"), "webhook-timestamp": s.Header.Get("webhook-timestamp"),
		"webhook-signature": s.Header.Get("webhook-signature")}}
}

// TestNodeStandardWebhooksVerifiesDeliveries: real deliveries (an event, a
// test ping) verify with the npm package standardwebhooks in a Node process;
// a tampered body, a timestamp more than 5 minutes off (the server's clock
// skewed) and a wrong secret are rejected; during a rotation overlap both
// secrets verify, and after a rotation without overlap only the new one.
func TestNodeStandardWebhooksVerifiesDeliveries(t *testing.T) {
	t.Parallel()
	dir := nodeVerifier(t)
	var skew atomic.Int64
	g := newRig(t, WithClock(func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }))
	rc := newReceiver(t, func(int, seen) int { return http.StatusOK })
	w := g.create(rc.URL+"/hook", "order.*")
	other := g.create(rc.URL+"/other", "refund.created")

	g.record("order.created", "order_1", map[string]any{"id": "order_1", "total": map[string]any{"amount": 1999, "currency": "EUR"}})
	g.drain()
	ping := func() seen {
		t.Helper()
		if d, err := g.svc.Test(t.Context(), admin, w.ID); err != nil || d.Status != StatusSucceeded {
			t.Fatalf("ping = %+v, %v", d, err)
		}
		got := rc.requests()
		return got[len(got)-1]
	}
	delivered := rc.requests()[0]
	skew.Store(int64(-6 * time.Minute))
	old := ping()
	skew.Store(int64(6 * time.Minute))
	early := ping()
	skew.Store(0)
	pinged := ping()

	rot, err := g.svc.RotateSecret(t.Context(), admin, w.ID, RotateInput{})
	if err != nil {
		t.Fatal(err)
	}
	overlap := ping()
	zero := 0
	rot2, err := g.svc.RotateSecret(t.Context(), admin, w.ID, RotateInput{OverlapSeconds: &zero})
	if err != nil {
		t.Fatal(err)
	}
	after := ping()

	tampered := asCase("tampered body", w.Secret, delivered)
	tampered.Body = strings.Replace(tampered.Body, "1999", "1", 1)
	cases := []nodeCase{
		asCase("event", w.Secret, delivered),
		asCase("ping", w.Secret, pinged),
		tampered,
		asCase("wrong secret", other.Secret, delivered),
		asCase("6 minutes old", w.Secret, old),
		asCase("6 minutes ahead", w.Secret, early),
		asCase("overlap, old secret", w.Secret, overlap),
		asCase("overlap, new secret", rot.Secret, overlap),
		asCase("after rotation, new secret", rot2.Secret, after),
		asCase("after rotation, replaced secret", rot.Secret, after),
	}
	got := runNode(t, dir, cases)
	want := map[string]string{ // name -> "" (verifies) or the library's error
		"event": "", "ping": "", "tampered body": "No matching signature found",
		"wrong secret": "No matching signature found", "6 minutes old": "Message timestamp too old",
		"6 minutes ahead": "Message timestamp too new", "overlap, old secret": "", "overlap, new secret": "",
		"after rotation, new secret": "", "after rotation, replaced secret": "No matching signature found",
	}
	for name, wantErr := range want {
		v, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: no verdict", name)
		case wantErr == "" && !v.OK:
			t.Errorf("%s: rejected by standardwebhooks: %s", name, v.Error)
		case wantErr != "" && (v.OK || v.Error != wantErr):
			t.Errorf("%s: verdict %+v, want rejected (%s)", name, v, wantErr)
		}
	}
	if got["event"].Type != "order.created" || got["ping"].Type != TestEventType {
		t.Errorf("payload types %q, %q", got["event"].Type, got["ping"].Type)
	}
	if n := len(strings.Fields(overlap.Header.Get("webhook-signature"))); n != 2 {
		t.Errorf("overlap delivery carries %d signatures, want 2", n)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if nodeDir != "" {
		_ = os.RemoveAll(nodeDir) // the symlinked cache stays
	}
	os.Exit(code)
}
