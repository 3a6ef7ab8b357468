// Package payments owns money movement with payment providers: the Provider
// interface, the built-in deterministic `test` provider, the Stripe provider,
// the payments recorded against orders, every provider operation on them and
// the verified, deduplicated provider webhooks that confirm async payments.
//
// Invariants, on both SQLite and PostgreSQL:
//   - no database transaction is open across a provider call: the service
//     refuses to call a provider with a transaction in ctx, and every money
//     movement is claimed in one short transaction (a guarded conditional
//     UPDATE checked by rows affected plus a pending payment_transactions
//     row), sent to the provider, then settled (or undone) in another;
//   - 0 <= refunded <= captured <= authorised on every payment (CHECK
//     constraints back up the guarded updates), so concurrent refunds can
//     never exceed the capture and only the claims that fit reach the provider;
//   - provider idempotency keys are derived from the payment, the operation
//     and the caller's key, so a retried request never moves money twice;
//   - a webhook event is applied at most once: its (provider, event id) is
//     inserted in the transaction of the status change it causes, and a
//     status only moves forward (pending -> authorized -> captured, or
//     pending -> failed); an event whose amount or currency differs from the
//     payment changes nothing and flags the payment for review.
package payments
