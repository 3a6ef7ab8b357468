#!/usr/bin/env bash
# fault/run.sh: the fault tests at full length, against a local PostgreSQL.
#
#   bash fault/run.sh            # the crash test with 20 kills, then the others
#   KILLS=50 bash fault/run.sh   # more kill-and-restart rounds
#   bash fault/run.sh -run TestCrashMidCheckout   # extra flags go to go test
#
# It starts (or reuses) the throwaway PostgreSQL of .ci/pg-start on
# 127.0.0.1:${PGPORT:-54329}; the database-restart test starts a cluster of
# its own. The suite (`go test ./...`) runs the same tests with 5 kills.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
url=$(bash .ci/pg-start)
echo "PostgreSQL at $url" >&2
TEST_DATABASE_URL=$url STOREKEEP_FAULT_KILLS=${KILLS:-20} \
  go test -count=1 -v -timeout 60m ./fault "$@"
