// Package fault holds Storekeep's fault tests: the guarantees of
// docs/reliability.md checked against real processes and real databases
// while something breaks.
//
//   - the server process killed with SIGKILL in the middle of concurrent
//     checkouts, restarted, every client retrying with its Idempotency-Key
//     (crash_test.go, PostgreSQL);
//   - PostgreSQL restarted under reads and checkouts (dbrestart_test.go, a
//     cluster of the test's own);
//   - two API processes on one PostgreSQL (nodes_test.go);
//   - the embedded SQLite under 32 concurrent writers (sqlite_test.go);
//   - a webhook delivery whose server is killed between attempts, twice,
//     and restarted: it completes (webhooks_test.go, PostgreSQL or SQLite).
//
// They run with the rest of the suite (`go test ./...`; the PostgreSQL ones
// when TEST_DATABASE_URL is set). fault/run.sh runs the crash test with 20
// kills instead of the suite's 5. The package has no code of its own: only
// tests and their helpers.
package fault
