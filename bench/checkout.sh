#!/usr/bin/env bash
# bench/checkout.sh: completed checkouts per second on PostgreSQL (and
# SQLite), spread SKUs and one hot SKU, with the Go load program
# bench/checkout driving the whole storefront path (cart, lines, address,
# shipping, checkout with the test provider) against `storekeep serve` over
# the demo shop.
#
#   bash bench/checkout.sh                          # 3 runs x 20 s per mode and database
#   DURATION=5s RUNS=1 bash bench/checkout.sh       # quick look
#
# Settings (env): DURATION (20s), RUNS (3), WORKERS (16), DATABASES ("postgres sqlite"),
# BASE_PORT (18490). Loopback only; every process started here is stopped by
# PID on exit. Output: one line per run and a median table on stdout; logs in bench/out/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DURATION=${DURATION:-20s}
RUNS=${RUNS:-3}
WORKERS=${WORKERS:-16}
DATABASES=${DATABASES:-postgres sqlite}
BASE_PORT=${BASE_PORT:-18490}
OUT=$ROOT/bench/out
PG_PORT=${PGPORT:-54329}
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

log "bench: building storekeep and the load program"
CGO_ENABLED=0 go build -trimpath -o "$OUT/storekeep" .
go build -o "$OUT/checkout-load" ./bench/checkout

machine_header "$WORKERS concurrent shoppers, $DURATION per run, $RUNS runs per mode (interleaved)"

export STOREKEEP_JWT_SECRET=bench-secret-bench-secret-bench-secret-0123
# Every shopper of the load program is 127.0.0.1: lift the per-client cart
# creation limit (100 per 15 minutes by default), which one run passes.
export STOREKEEP_CART_CREATE_LIMIT=0
# The load program pays with the test provider, which a plain serve leaves off.
export STOREKEEP_TEST_PAYMENTS=on
declare -A ADDR
port=$BASE_PORT
for db in $DATABASES; do
  if [ "$db" = postgres ]; then
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then STARTED_PG=1; fi
    url=$(bash "$ROOT/.ci/pg-start" --fresh storekeep_bench_checkout)
  else
    rm -f "$OUT/checkout.db" "$OUT/checkout.db-wal" "$OUT/checkout.db-shm"
    url=sqlite:$OUT/checkout.db
  fi
  "$OUT/storekeep" seed --demo --database-url "$url" >"$OUT/checkout-seed-$db.log" 2>&1
  addr=127.0.0.1:$port
  port=$((port + 1))
  "$OUT/storekeep" serve --addr "$addr" --database-url "$url" >"$OUT/checkout-serve-$db.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 60); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$addr/readyz")" = 200 ] && break
    sleep 0.5
  done
  ADDR[$db]=$addr
done

email=$(awk '$1 == "staff" && $2 == "admin" {print $3; exit}' "$OUT/checkout-seed-${DATABASES%% *}.log")
pass=$(awk '$1 == "staff" && $2 == "admin" {print $5; exit}' "$OUT/checkout-seed-${DATABASES%% *}.log")

RESULTS=$OUT/checkout-results.txt
: >"$RESULTS"
for run in $(seq 1 "$RUNS"); do
  for db in $DATABASES; do
    for mode in spread hot; do
      line=$("$OUT/checkout-load" -url "http://${ADDR[$db]}" -email "$email" -password "$pass" \
        -mode "$mode" -workers "$WORKERS" -duration "$DURATION" | head -n 1)
      echo "db=$db run=$run $line" | tee -a "$RESULTS"
    done
  done
done

# Medians per database and mode.
echo
echo "| database | mode | checkouts/s | checkout p50 (ms) | checkout p99 (ms) | whole flow p50 (ms) | failed |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for db in $DATABASES; do
  for mode in spread hot; do
    med() { grep "db=$db " "$RESULTS" | grep "mode=$mode " | grep -o "$1=[0-9.]*" | cut -d= -f2 | sort -n |
      awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
    echo "| $db | $mode | $(med checkouts_per_s) | $(med checkout_p50_ms) | $(med checkout_p99_ms) | $(med flow_p50_ms) | $(med failed) |"
  done
done
