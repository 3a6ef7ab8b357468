// Package support is the customer support chat: conversations between a
// customer (or a guest holding a conversation token) and the shop, a bot
// that answers first (package bot implements Responder), agents who take
// over, and the changes that live sockets and the events outbox hear about.
// docs/support.md describes the behaviour.
package support
