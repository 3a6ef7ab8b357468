# bench/lib.sh: what the benchmark scripts share. Sourced (not run) after the
# script has set ROOT, OUT and PG_PORT; it sets up the process bookkeeping,
# the exit trap and the machine header.

export PGPORT=$PG_PORT
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
mkdir -p "$OUT"

# PIDS are the servers this script started; STARTED_PG is 1 when it also
# started the local PostgreSQL, which it then stops on exit.
PIDS=()
STARTED_PG=0

# stop_servers stops every server in PIDS by its PID (SIGTERM, then SIGKILL
# after 10 s).
stop_servers() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  PIDS=()
}
cleanup() {
  stop_servers
  if [ "$STARTED_PG" = 1 ]; then bash "$ROOT/.ci/pg-stop" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '%s\n' "$*" >&2; }

# machine_header prints the machine, toolchain and commit, then the load
# line it is given, as a fenced block for docs/benchmarks.md.
machine_header() {
  echo '```'
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uname:    $(uname -a)"
  echo "nproc:    $(nproc)"
  echo "cpu:      $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "go:       $(go version)"
  echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "load:     $1"
  echo '```'
}
