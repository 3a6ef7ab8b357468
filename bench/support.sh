#!/usr/bin/env bash
# bench/support.sh: support chat WebSocket fan-out. For each target, a fresh
# `storekeep serve` (or two, over one PostgreSQL) takes SOCKETS customer
# sockets on one conversation (after 32 warm-up sockets per node); the Go
# load program bench/support posts MESSAGES messages through a warm-up
# socket and times every delivery to the SOCKETS sockets, and reads each
# server's memory (just after a garbage collection) before and after the
# SOCKETS sockets opened.
#
#   bash bench/support.sh                       # 3 runs per target
#   RUNS=1 SOCKETS=200 bash bench/support.sh    # quick look
#
# Targets (env TARGETS): sqlite (one node), postgres (one node), postgres2
# (two nodes on one PostgreSQL, sockets split between them, messages sent on
# the first: half the deliveries cross LISTEN/NOTIFY). Settings: RUNS (3),
# SOCKETS (1000), MESSAGES (20), BASE_PORT (18500). Loopback only; every
# process started here is stopped by PID on exit. Output: one line per run
# and a median table on stdout; server logs in bench/out/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
SOCKETS=${SOCKETS:-1000}
MESSAGES=${MESSAGES:-20}
TARGETS=${TARGETS:-sqlite postgres postgres2}
BASE_PORT=${BASE_PORT:-18500}
OUT=$ROOT/bench/out
PG_PORT=${PGPORT:-54329}
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

log "bench: building storekeep and the load program"
CGO_ENABLED=0 go build -trimpath -o "$OUT/storekeep" .
go build -o "$OUT/support-load" ./bench/support

machine_header "$SOCKETS sockets on one conversation, $MESSAGES messages, $RUNS runs per target (interleaved)"

export STOREKEEP_JWT_SECRET=bench-secret-bench-secret-bench-secret-0123
# Every socket of the load program is the same guest: lift the cap.
export STOREKEEP_SUPPORT_SOCKETS_PER_PRINCIPAL=$((SOCKETS + 100))
export STOREKEEP_ACCESS_LOG=errors

# start_node NAME URL PORT: a server on 127.0.0.1:PORT, ready.
start_node() {
  local addr=127.0.0.1:$3
  "$OUT/storekeep" serve --addr "$addr" --database-url "$2" >>"$OUT/support-serve-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 60); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$addr/readyz")" = 200 ] && return 0
    sleep 0.5
  done
  log "bench: $1 did not become ready"; return 1
}

RESULTS=$OUT/support-results.txt
: >"$RESULTS"
for run in $(seq 1 "$RUNS"); do
  for target in $TARGETS; do
    urls=http://127.0.0.1:$BASE_PORT
    if [ "$target" = sqlite ]; then
      rm -f "$OUT/support.db" "$OUT/support.db-wal" "$OUT/support.db-shm"
      dburl=sqlite:$OUT/support.db
      "$OUT/storekeep" migrate up --database-url "$dburl" >/dev/null 2>&1
      start_node sqlite "$dburl" "$BASE_PORT"
    else
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then STARTED_PG=1; fi
      dburl=$(bash "$ROOT/.ci/pg-start" --fresh storekeep_bench_support)
      "$OUT/storekeep" migrate up --database-url "$dburl" >/dev/null 2>&1
      start_node "$target-a" "$dburl" "$BASE_PORT"
      if [ "$target" = postgres2 ]; then
        start_node "$target-b" "$dburl" $((BASE_PORT + 1))
        urls=$urls,http://127.0.0.1:$((BASE_PORT + 1))
      fi
    fi
    line=$("$OUT/support-load" -urls "$urls" -database-url "$dburl" -sockets "$SOCKETS" -messages "$MESSAGES")
    echo "target=$target run=$run $line" | tee -a "$RESULTS"
    stop_servers
  done
done

# Medians per target.
echo
echo "| target | sockets | p50 (ms) | p99 (ms) | max (ms) | heap+stack per socket (KB) | RSS per socket (KB) | goroutines per socket |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for target in $TARGETS; do
  med() { grep "target=$target " "$RESULTS" | grep -o " $1=[0-9.-]*" | cut -d= -f2 | sort -n |
    awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
  echo "| $target | $SOCKETS | $(med p50_ms) | $(med p99_ms) | $(med max_ms) | $(med node0_heap_kb) | $(med node0_rss_kb) | $(med node0_goroutines) |"
done
