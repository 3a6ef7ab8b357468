#!/usr/bin/env bash
# bench/run.sh: read throughput of the storefront catalog under wrk, on SQLite
# and on PostgreSQL with the demo shop, next to this machine's ceiling (a
# minimal echo handler answering ~2 KB of JSON, bench/ceiling) in the same run.
#
#   bash bench/run.sh                      # full run: 3 x 15 s per target
#   DURATION=5s RUNS=1 bash bench/run.sh   # quick look
#
# Settings (env): DURATION (15s), THREADS (2), CONNECTIONS (32), RUNS (3),
# WARMUP (3s), UNCACHED (1: also measure signed-in reads, which bypass the
# anonymous response cache; 0 skips them), LOG_LEVEL (server's STOREKEEP_LOG_LEVEL, default info: the
# access log is part of the real service), BASE_PORT (18480).
# Everything listens on 127.0.0.1; every process started here is stopped by
# PID on exit. Output: a markdown table on stdout, and logs plus a copy of the
# report in bench/out/ (ignored by git).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-3s}
LOG_LEVEL=${LOG_LEVEL:-info}
BASE_PORT=${BASE_PORT:-18480}
OUT=$ROOT/bench/out
PG_PORT=${PGPORT:-54329}
export PGPORT=$PG_PORT
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"

CEILING_ADDR=127.0.0.1:$BASE_PORT
SQLITE_ADDR=127.0.0.1:$((BASE_PORT + 1))
PG_ADDR=127.0.0.1:$((BASE_PORT + 2))

PIDS=()
STARTED_PG=0
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    # A server that ignores SIGTERM for 10 s is killed.
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$STARTED_PG" = 1 ]; then bash "$ROOT/.ci/pg-stop" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }

# Seconds of a wrk duration like 15s, 1m.
secs() {
  case "$1" in
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}

# --- tools -----------------------------------------------------------------
need_apt() {
  if [ "$(id -u)" != 0 ]; then log "bench: $1 is missing and installing it needs root"; exit 1; fi
  log "bench: installing $1 from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >&2
}
command -v wrk >/dev/null 2>&1 || need_apt wrk
command -v curl >/dev/null 2>&1 || need_apt curl

mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=$OUT/report-$STAMP.md

# --- machine ---------------------------------------------------------------
{
  echo "## Machine and build"
  echo
  echo '```'
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uname:    $(uname -a)"
  echo "nproc:    $(nproc)"
  echo "cpu:      $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:   $(free -h | awk '/^Mem:/ {print $2}')"
  echo "go:       $(go version)"
  echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "wrk:      $(wrk -v 2>&1 | head -n 1)"
  echo "load:     wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $RUNS runs per target (interleaved), warm-up $WARMUP"
  echo '```'
} | tee "$REPORT"

# --- build -----------------------------------------------------------------
log "bench: building storekeep and the ceiling server (CGO off, as the Docker image)"
CGO_ENABLED=0 go build -trimpath -o "$OUT/storekeep" .
CGO_ENABLED=0 go build -trimpath -o "$OUT/ceiling" ./bench/ceiling

# --- databases -------------------------------------------------------------
if ! (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then STARTED_PG=1; fi
PG_URL=$(bash "$ROOT/.ci/pg-start" --fresh storekeep_bench)
SQLITE_DB=$OUT/bench.db
rm -f "$SQLITE_DB" "$SQLITE_DB-wal" "$SQLITE_DB-shm"
SQLITE_URL=sqlite:$SQLITE_DB

export STOREKEEP_JWT_SECRET=bench-secret-bench-secret-bench-secret-0123
export STOREKEEP_LOG_LEVEL=$LOG_LEVEL
for url in "$SQLITE_URL" "$PG_URL"; do
  name=$([ "$url" = "$SQLITE_URL" ] && echo sqlite || echo postgres)
  log "bench: seeding the demo shop ($name; seed migrates first)"
  if ! "$OUT/storekeep" seed --demo --database-url "$url" >"$OUT/seed-$name.log" 2>&1; then
    log "bench: WARNING: 'storekeep seed --demo' failed ($name); measuring an empty catalog. See $OUT/seed-$name.log"
  fi
done

# --- servers ---------------------------------------------------------------
start() { # start NAME CMD...: runs CMD in the background, logging to OUT/NAME.log
  local name=$1; shift
  "$@" >"$OUT/$name.log" 2>&1 &
  PIDS+=($!)
}
wait_up() { # wait_up URL: up to 30 s for a 200
  for _ in $(seq 1 60); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ]; then return 0; fi
    sleep 0.5
  done
  log "bench: $1 did not answer 200 within 30 s"; return 1
}
start ceiling "$OUT/ceiling" -addr "$CEILING_ADDR"
start serve-sqlite "$OUT/storekeep" serve --addr "$SQLITE_ADDR" --database-url "$SQLITE_URL"
start serve-postgres "$OUT/storekeep" serve --addr "$PG_ADDR" --database-url "$PG_URL"
wait_up "http://$CEILING_ADDR/ceiling"
wait_up "http://$SQLITE_ADDR/readyz"
wait_up "http://$PG_ADDR/readyz"

# A product handle from the list itself (no jq: the first "handle" field).
first_handle() {
  curl -s "http://$1/v1/store/products?limit=1" | grep -o '"handle": *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/' || true
}

# A customer access token, from the demo login that the seed printed
# ("customer  EMAIL / PASSWORD ..."). Requests carrying a credential bypass the
# store's anonymous response cache, so they measure handler + database.
customer_token() { # customer_token ADDR SEEDLOG
  local email pass
  read -r email pass < <(awk '$1 == "customer" && $3 == "/" {print $2, $4; exit}' "$2") || true
  [ -n "${email:-}" ] || return 0
  curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$pass\"}" "http://$1/v1/auth/customers/login" |
    grep -o '"access_token": *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/' || true
}

# --- targets ---------------------------------------------------------------
# name|database|url|bearer token (empty: anonymous)
TARGETS=("ceiling|-|http://$CEILING_ADDR/ceiling|")
for side in sqlite postgres; do
  addr=$([ $side = sqlite ] && echo "$SQLITE_ADDR" || echo "$PG_ADDR")
  list="http://$addr/v1/store/products?limit=20"
  handle=$(first_handle "$addr")
  page=""
  if [ -n "$handle" ]; then
    page="http://$addr/v1/store/products/$handle"
  else
    log "bench: no product handle from $side (empty catalog or no catalog routes): skipping the product page"
  fi
  TARGETS+=("GET /v1/store/products?limit=20|$side|$list|")
  [ -z "$page" ] || TARGETS+=("GET /v1/store/products/{handle}|$side|$page|")
  if [ "${UNCACHED:-1}" != 0 ]; then
    token=$(customer_token "$addr" "$OUT/seed-$side.log")
    if [ -n "$token" ]; then
      TARGETS+=("GET /v1/store/products?limit=20, signed in (uncached)|$side|$list|$token")
      [ -z "$page" ] || TARGETS+=("GET /v1/store/products/{handle}, signed in (uncached)|$side|$page|$token")
    else
      log "bench: no customer token from $side (no demo login): skipping the uncached targets"
    fi
  fi
done

# Sanity: each target must answer 200, or its numbers would measure errors.
for t in "${TARGETS[@]}"; do
  IFS='|' read -r name db url token <<<"$t"
  auth=()
  [ -z "$token" ] || auth=(-H "Authorization: Bearer $token")
  code=$(curl -s "${auth[@]}" -o "$OUT/sample.json" -w '%{http_code}' "$url")
  log "bench: $name ($db) -> $code, $(wc -c <"$OUT/sample.json") bytes"
done

# --- load ------------------------------------------------------------------
WRK_LIMIT=$(($(secs "$DURATION") + 30))
run_wrk() { # run_wrk DURATION URL LOGFILE [TOKEN]
  local auth=()
  [ -z "${4:-}" ] || auth=(-H "Authorization: Bearer $4")
  timeout "$WRK_LIMIT" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --timeout 5s --latency "${auth[@]}" "$2" >"$3" 2>&1 || true
}
for t in "${TARGETS[@]}"; do
  IFS='|' read -r name db url token <<<"$t"
  run_wrk "$WARMUP" "$url" /dev/null "$token"
done
for run in $(seq 1 "$RUNS"); do
  i=0
  for t in "${TARGETS[@]}"; do
    IFS='|' read -r name db url token <<<"$t"
    log "bench: run $run/$RUNS: $name ($db)"
    run_wrk "$DURATION" "$url" "$OUT/wrk-$i-$run.txt" "$token"
    i=$((i + 1))
  done
done

# --- report ----------------------------------------------------------------
# req/s, p99 in ms and non-2xx count from one wrk output.
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() {
  awk '$1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1;
    printf "%.2f\n", v * f}' "$1"
}
errors() {
  awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {for (i = 4; i <= NF; i += 2) {gsub(/,/, "", $i); n += $i}} END {print n + 0}' "$1"
}
median() { sort -g | awk '{a[NR] = $1} END {if (NR == 0) print "n/a"; else print a[int((NR + 1) / 2)]}'; }

{
  echo
  echo "## Results (median of $RUNS)"
  echo
  echo "| target | database | req/s | p99 (ms) | vs ceiling | errors |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
} | tee -a "$REPORT"
i=0
CEIL=""
for t in "${TARGETS[@]}"; do
  IFS='|' read -r name db url _ <<<"$t"
  files=()
  for run in $(seq 1 "$RUNS"); do files+=("$OUT/wrk-$i-$run.txt"); done
  r=$(for f in "${files[@]}"; do rps "$f"; done | median)
  p=$(for f in "${files[@]}"; do p99 "$f"; done | median)
  e=$(for f in "${files[@]}"; do errors "$f"; done | awk '{n += $1} END {print n + 0}')
  [ -n "$CEIL" ] || CEIL=$r
  ratio=$(awk -v a="$r" -v b="$CEIL" 'BEGIN {if (b + 0 > 0 && a != "n/a") printf "%.0f%%", 100 * a / b; else print "n/a"}')
  printf '| %s | %s | %.0f | %s | %s | %s |\n' "$name" "$db" "${r/n\/a/0}" "$p" "$ratio" "$e" | tee -a "$REPORT"
  i=$((i + 1))
done
{
  echo
  echo "errors: non-2xx responses plus socket errors over all runs; a target with errors measured failures, not reads."
} | tee -a "$REPORT"
log "bench: report saved to ${REPORT#"$ROOT"/}; raw wrk output in bench/out/wrk-*.txt"
