// Package webhooks delivers Storekeep's events to integrators' HTTP
// endpoints, signed per the Standard Webhooks specification
// (docs/webhooks.md).
//
// It owns three tables: webhooks (the endpoints, with their sealed signing
// secrets), webhook_messages (one event on its way to one endpoint: the body
// every attempt sends) and webhook_deliveries (one row per attempt: the
// delivery log).
//
// Invariants:
//   - A message and its first attempt's durable job are written in the
//     transaction that hands the event over (the events dispatcher's), so an
//     event is delivered at least once to every endpoint subscribed when it
//     was dispatched; a retry is a new attempt row and a new job, written
//     with the previous attempt's outcome.
//   - No network I/O happens inside a transaction: an attempt is claimed in
//     one, sent with nothing open, and recorded in another.
//   - Every attempt of a message carries the same webhook-id (the event id)
//     and the same body; only webhook-timestamp and the signature change.
//   - A message waits while an earlier message about the same resource to the
//     same endpoint is pending, so one resource's events arrive in order.
//   - The server never connects to a loopback, private, link-local or
//     otherwise internal address, checked on the resolved addresses and again
//     on the socket being dialled (Guard), unless AllowPrivate is set.
//   - A secret is shown once (creation or rotation); at rest it is sealed.
package webhooks
