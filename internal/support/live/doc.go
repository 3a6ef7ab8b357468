// Package live delivers support chat changes to open WebSockets on every
// API node (docs/support-realtime.md). The support service publishes a
// Change after each commit; the Hub sends its ids over a pubsub.Bus
// (PostgreSQL NOTIFY, or in process on SQLite); each node's Hub hears every
// change once, loads the message or conversation from the database once,
// encodes the frame once and queues the same bytes on each local socket
// that follows that conversation (customer sockets) or everything (staff
// inbox sockets).
//
// Invariants: a customer socket receives each non-internal message of its
// conversation exactly once and in seq order, replay included (each
// subscriber keeps a cursor, the last seq it was sent); work for one
// conversation runs on one shard goroutine, in order; after the bus
// resyncs (its listening connection was lost), every followed
// conversation is reloaded from its cursor, so nothing committed is missed.
package live
