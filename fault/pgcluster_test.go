package fault

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"storekeep/internal/platform/db"
)

// cluster is a PostgreSQL server of the test's own, on a loopback port, so
// the test can restart or kill it without disturbing the rest of the suite.
type cluster struct {
	t    *testing.T
	bin  string
	data string
	port int
	// asPostgres runs a server command as the 'postgres' OS user when the
	// test runs as root (the server refuses root), directly otherwise.
	asPostgres func(name string, args ...string) *exec.Cmd
}

// startCluster initialises and starts a throwaway cluster (Debian's
// PostgreSQL binaries, as .ci/pg-start installs them), trusting loopback
// connections only, and creates database storekeep. It skips the test
// when no PostgreSQL server binaries are installed.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		t.Skip("no PostgreSQL server binaries in /usr/lib/postgresql (.ci/pg-start installs them)")
	}
	sort.Slice(bins, func(i, j int) bool { return version(bins[i]) < version(bins[j]) })
	c := &cluster{t: t, bin: filepath.Dir(bins[len(bins)-1])}
	c.asPostgres = exec.Command
	data, err := os.MkdirTemp("", "storekeep-fault-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c.data = data
	t.Cleanup(func() { _ = os.RemoveAll(data) })
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root without a 'postgres' user to run the server as")
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(data, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.asPostgres = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
		}
	}
	c.port = freePort(t)
	c.must("initdb", "-D", c.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
	c.start()
	t.Cleanup(func() { _ = c.asPostgres(c.path("pg_ctl"), "-D", c.data, "-m", "immediate", "stop").Run() })
	admin, err := db.Open(context.Background(), c.url("postgres"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.SQL().ExecContext(context.Background(), `CREATE DATABASE storekeep`); err != nil {
		t.Fatal(err)
	}
	return c
}

func version(pgCtl string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(pgCtl))))
	return v
}

func freePort(t *testing.T) int {
	t.Helper()
	_, p, _ := strings.Cut(freeAddr(t), ":")
	n, _ := strconv.Atoi(p)
	return n
}

func (c *cluster) path(tool string) string { return filepath.Join(c.bin, tool) }

// url is the connection URL of database name.
func (c *cluster) url(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, name)
}

func (c *cluster) must(tool string, args ...string) {
	c.t.Helper()
	if out, err := c.asPostgres(c.path(tool), args...).CombinedOutput(); err != nil {
		c.t.Fatalf("%s %v: %v\n%s", tool, args, err, out)
	}
}

// start starts the server and waits until it accepts connections.
func (c *cluster) start() {
	c.t.Helper()
	c.must("pg_ctl", "-D", c.data, "-l", filepath.Join(c.data, "server.log"), "-w", "-t", "60",
		"-o", fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s -c max_connections=100",
			c.port, c.data), "start")
}

// stop stops the server: mode "fast" (sessions are ended cleanly) or
// "immediate" (no shutdown at all, as a crash; recovery replays the WAL).
func (c *cluster) stop(mode string) {
	c.t.Helper()
	c.must("pg_ctl", "-D", c.data, "-m", mode, "-w", "-t", "60", "stop")
}

// downFor stops the server with mode, keeps it down for d, and starts it.
func (c *cluster) downFor(mode string, d time.Duration) {
	c.t.Helper()
	c.stop(mode)
	time.Sleep(d)
	c.start()
}
