// Package notify is Storekeep's e-mail: templates per name and locale
// (embedded English and French defaults, staff overrides in
// notification_templates), the messages the shop means to send
// (notification_messages), and their delivery over SMTP as durable jobs.
//
// Invariants:
//   - Send records a message and enqueues its send job in the caller's
//     transaction, so a message exists exactly when its cause committed; a
//     message with a dedupe key is recorded at most once, so a replayed event
//     sends nothing twice.
//   - Nothing is rendered or sent inside a caller's transaction: the send job
//     renders the template, stores the result on the message and talks to
//     the SMTP server, retrying temporary failures with backoff; a permanent
//     refusal (a 5xx reply to the message) or a template that cannot render
//     fails the message with its reason, without retry.
//   - Without an SMTP server configured, messages are still recorded and
//     rendered, with the status not_sent.
//   - The package reads other domains only through the small interfaces in
//     deps.go and the events they record; docs/email.md describes the
//     behaviour.
package notify
