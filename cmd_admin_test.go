package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"storekeep/internal/platform/dbtest"
)

func TestJWTSecretFromEnvironment(t *testing.T) {
	d := dbtest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	long := strings.Repeat("s", 32)
	got, err := jwtSecret(t.Context(), d, config{JWTSecret: long}, log)
	if err != nil || string(got) != long {
		t.Fatalf("jwtSecret = %q, %v; want the configured secret", got, err)
	}
	if _, err := jwtSecret(t.Context(), d, config{JWTSecret: "short"}, log); err == nil {
		t.Fatal("a 5-byte secret was accepted")
	}
	var n int64
	if err := d.Conn(t.Context()).Table("settings").Count(&n).Error; err != nil || n != 0 {
		t.Errorf("settings rows = %d, %v; a configured secret must not be stored", n, err)
	}
}

func TestJWTSecretGeneratedOnceAndStored(t *testing.T) {
	d := dbtest.New(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	first, err := jwtSecret(t.Context(), d, config{}, log)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) < 32 {
		t.Fatalf("generated secret has %d bytes", len(first))
	}
	if !strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("no warning logged when generating the secret: %s", logs.String())
	}
	logs.Reset()
	second, err := jwtSecret(t.Context(), d, config{}, log)
	if err != nil {
		t.Fatal(err)
	}
	if string(first) != string(second) {
		t.Error("a second start generated a different secret; nodes would reject each other's tokens")
	}
	if logs.Len() != 0 {
		t.Errorf("reusing the stored secret logged: %s", logs.String())
	}
}

func TestAdminCreate(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "admin.db")
	var out bytes.Buffer
	args := []string{"create", "--database-url", url, "--email", "Boss@Example.com", "--password", "a-long-password", "--role", "manager"}
	if err := cmdAdmin(context.Background(), args, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "created manager staff user boss@example.com (stf_") {
		t.Errorf("output = %q", out.String())
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"duplicate e-mail", []string{"--email", "boss@example.com", "--password", "a-long-password"}, "already exists"},
		{"unknown role", []string{"--email", "x@example.com", "--password", "a-long-password", "--role", "owner"}, "role must be one of"},
		{"short password", []string{"--email", "x@example.com", "--password", "short"}, "password must be at least 10"},
		{"missing e-mail", []string{"--password", "a-long-password"}, "--email and --password are required"},
		{"look-alike e-mail", []string{"--email", "b\u043ess@example.com", "--password", "a-long-password"}, "must not mix scripts"},
		{"full-width form of an existing e-mail", []string{"--email", "ｂｏｓｓ@example.com", "--password", "a-long-password"}, "already exists"},
		{"bidi control in the e-mail", []string{"--email", "boss\u202e@example.org", "--password", "a-long-password"}, "invisible or bidirectional"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := cmdAdmin(context.Background(), append([]string{"create", "--database-url", url}, tt.args...), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	if err := cmdAdmin(context.Background(), []string{"delete"}, io.Discard); err == nil {
		t.Error("an unknown admin subcommand succeeded")
	}
}

// TestJWTSecretNodesStartingTogetherAgree starts several "nodes" at once on
// one database: insert-if-absent means they all read the same secret.
func TestJWTSecretNodesStartingTogetherAgree(t *testing.T) {
	d := dbtest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	const nodes = 4
	got := make([]string, nodes)
	errc := make(chan error, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			s, err := jwtSecret(t.Context(), d, config{}, log)
			got[i] = string(s)
			errc <- err
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < nodes; i++ {
		if got[i] != got[0] {
			t.Fatalf("node %d got a different secret", i)
		}
	}
}
