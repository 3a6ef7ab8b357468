// Package automations owns automation rules ("when <event> happens, wait,
// then if these conditions hold, do these things"), their runs and the
// discount codes they (or staff) issue to one customer. See
// docs/automations.md.
//
// Invariants:
//   - a rule runs at most once per triggering event: the events consumer
//     (OnEvent, inside the outbox's dispatch transaction) inserts one run
//     row per rule and event under a unique key, and enqueues the run's
//     durable job in the same transaction;
//   - a run's job does all its work (condition checks, every action, the
//     run's outcome) in one transaction that first claims the run with a
//     guarded update, so a retried or duplicated job changes nothing once
//     the run is finished, and a failed attempt leaves nothing half done;
//   - every action is local to the database (codes, memberships, e-mail and
//     webhook deliveries are rows plus durable jobs of their own domains):
//     no network call happens inside the run's transaction;
//   - an issued code is a promotion restricted to its customer
//     (checkout.Promotion.CustomerID), single use, recorded once per
//     dedupe key (run id and action index), and announced by one
//     discount.issued event.
//
// The package reaches other domains only through the small interfaces in
// deps.go, which api/routes_automations.go fills in.
package automations
