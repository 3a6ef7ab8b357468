// Package mailtest runs a real SMTP server for tests: mailpit
// (github.com/axllent/mailpit, pinned to Version), started on loopback ports
// for one test and stopped when it ends; the test reads what arrived through
// mailpit's HTTP API. The binary comes from MAILPIT_BIN, else a per-user
// cache where it is `go install`ed once. Without it the test is skipped,
// unless CI=true or STOREKEEP_REQUIRE_MAILPIT=1, where it fails.
package mailtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"storekeep/internal/platform/gotool"
)

// Version is the pinned mailpit (.ci/run installs the same).
const Version = "v1.33.1"

// Server is one running mailpit.
type Server struct {
	// SMTPAddr is host:port of its SMTP listener; SMTPURL the
	// STOREKEEP_SMTP_URL that reaches it (plain text, loopback).
	SMTPAddr, SMTPURL string
	// APIURL is the base of its HTTP API (http://127.0.0.1:port).
	APIURL string
	cmd    *exec.Cmd
	done   chan struct{}
	logs   *bytes.Buffer
	mu     sync.Mutex
}

// Options adjust the server.
type Options struct {
	// SMTPAddr, when set, is the SMTP address to listen on (a test that
	// starts the server late, after the app was configured with the address).
	SMTPAddr string
	// Args are extra mailpit flags (--smtp-tls-cert ..., --smtp-auth-accept-any).
	Args []string
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Start runs mailpit on free loopback ports until the test ends.
func Start(t testing.TB) *Server { return StartWith(t, Options{}) }

// StartWith is Start with options.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	binOnce.Do(func() { binPath, binErr = binary() })
	if binErr != nil {
		if os.Getenv("CI") == "true" || os.Getenv("STOREKEEP_REQUIRE_MAILPIT") == "1" {
			t.Fatalf("mailpit is required (CI): %v", binErr)
		}
		t.Skipf("mailpit not available (%v): set MAILPIT_BIN or run `go install github.com/axllent/mailpit@%s`", binErr, Version)
	}
	var lastErr error
	for range 3 { // a port found free can be taken before mailpit binds it
		smtp := o.SMTPAddr
		if smtp == "" {
			smtp = FreeAddr(t)
		}
		s, err := start(binPath, smtp, FreeAddr(t), o.Args)
		if err == nil {
			t.Cleanup(s.Stop)
			return s
		}
		lastErr = err
		if o.SMTPAddr != "" {
			break
		}
	}
	t.Fatalf("start mailpit: %v", lastErr)
	return nil
}

func start(bin, smtp, api string, extra []string) (*Server, error) {
	args := append([]string{"--smtp", smtp, "--listen", api, "--disable-version-check", "--smtp-disable-rdns",
		"--enable-chaos", "--max", "1000", "--quiet"}, extra...)
	cmd := exec.Command(bin, args...)
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{SMTPAddr: smtp, SMTPURL: "smtp://" + smtp + "?tls=none", APIURL: "http://" + api, cmd: cmd,
		done: make(chan struct{}), logs: logs}
	go func() { _ = cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return nil, fmt.Errorf("mailpit exited: %s", strings.TrimSpace(logs.String()))
		default:
		}
		if resp, err := http.Get(s.APIURL + "/readyz"); err == nil {
			_ = resp.Body.Close()
			if c, err := net.DialTimeout("tcp", smtp, time.Second); err == nil {
				_ = c.Close()
				return s, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Stop()
	return nil, errors.New("mailpit did not answer within 20 s")
}

// Stop kills this mailpit (by its own PID) and waits for it to exit; the
// test's cleanup calls it, and a test may call it earlier to take the SMTP
// server away.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Kill()
	<-s.done
}

// FreeAddr returns a loopback address no one listens on right now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// Address is a mailbox in mailpit's API.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is one message of mailpit's list.
type Summary struct {
	ID      string    `json:"ID"`
	From    Address   `json:"From"`
	To      []Address `json:"To"`
	Subject string    `json:"Subject"`
}

// Message is one message in full.
type Message struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Text      string    `json:"Text"`
	HTML      string    `json:"HTML"`
}

// Messages lists what arrived, newest first.
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var out struct {
		Messages []Summary `json:"messages"`
	}
	s.get(t, "/api/v1/messages?limit=1000", &out)
	return out.Messages
}

// Message reads one message.
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.get(t, "/api/v1/message/"+id, &m)
	return m
}

// WaitFor waits up to timeout for n messages to one address and returns
// them in full, oldest first; it fails the test otherwise.
func (s *Server) WaitFor(t testing.TB, to string, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var mine []Summary
		for _, m := range s.Messages(t) {
			for _, a := range m.To {
				if strings.EqualFold(a.Address, to) {
					mine = append(mine, m)
				}
			}
		}
		if len(mine) >= n {
			out := make([]Message, len(mine))
			for i, m := range mine {
				out[len(mine)-1-i] = s.Message(t, m.ID)
			}
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit: %d message(s) to %s after %s, want %d", len(mine), to, timeout, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Chaos makes the SMTP server answer code (a 4xx or 5xx) to every
// recipient with the given probability (0 turns it off).
func (s *Server) Chaos(t testing.TB, code, probability int) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"Recipient": map[string]int{"ErrorCode": code, "Probability": probability}})
	req, err := http.NewRequest(http.MethodPut, s.APIURL+"/api/v1/chaos", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("mailpit chaos: %s %s", resp.Status, b)
	}
}

func (s *Server) get(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(s.APIURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit GET %s: %s %s", path, resp.Status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
}

// binary finds or installs the pinned mailpit.
func binary() (string, error) {
	return gotool.Binary("MAILPIT_BIN", "github.com/axllent/mailpit", Version, "mailpit")
}
