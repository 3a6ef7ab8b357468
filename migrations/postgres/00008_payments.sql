-- +goose Up
-- Payments: one row per payment attempt recorded against an order, a log of
-- every money-moving provider operation, and the provider webhook events
-- already handled. Owned by internal/payments.
--
-- Invariants (the service checks first and reports clear errors; these
-- CHECKs are the backstop that makes concurrent requests safe):
--   0 <= refunded_amount <= captured_amount <= amount on every payment: the
--   service changes captured_amount and refunded_amount only with guarded
--   conditional UPDATEs checked by rows affected, never read-then-write;
--   a provider operation is claimed in the database (payment_transactions,
--   unique per payment, kind and derived idempotency key) before the provider
--   is called, and no transaction is held open across the call;
--   a provider webhook event is applied at most once: its (provider, event_id)
--   is inserted in the same transaction as the status change it causes.

-- payments: what a provider authorised for an order. order_id has no foreign
-- key: orders arrive in a later migration and own the link. amount is the
-- authorised amount in minor units of currency.
CREATE TABLE payments (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL,
    provider        TEXT NOT NULL,
    method          TEXT NOT NULL,
    provider_ref    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('pending', 'authorized', 'captured',
                        'partially_refunded', 'refunded', 'voided', 'failed')),
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    amount          BIGINT NOT NULL CHECK (amount >= 0),
    captured_amount BIGINT NOT NULL DEFAULT 0 CHECK (captured_amount >= 0 AND captured_amount <= amount),
    refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= captured_amount),
    decline_code    TEXT NOT NULL DEFAULT '',
    -- review_reason is set when a verified webhook disagreed with the payment
    -- (payment_amount_mismatch): the payment is not confirmed, a person looks.
    review_reason   TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX payments_order_idx ON payments (order_id, created_at);
-- Webhooks find their payment by the provider's reference.
CREATE UNIQUE INDEX payments_provider_ref_idx ON payments (provider, provider_ref) WHERE provider_ref <> '';

-- payment_transactions: every provider operation on a payment, claimed
-- (pending) before the provider is called and settled (succeeded or failed)
-- after. A pending row older than a few minutes is an operation whose outcome
-- is unknown (crash mid-call): reconciliation asks the provider.
-- idempotency_key is the derived key sent to the provider.
CREATE TABLE payment_transactions (
    id              TEXT PRIMARY KEY,
    payment_id      TEXT NOT NULL REFERENCES payments (id),
    kind            TEXT NOT NULL CHECK (kind IN ('authorize', 'capture', 'void', 'refund')),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    amount          BIGINT NOT NULL CHECK (amount >= 0),
    provider_ref    TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL,
    -- prev_status is the payment's status before a void claimed it, restored
    -- if the provider refuses.
    prev_status     TEXT NOT NULL DEFAULT '',
    decline_code    TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (payment_id, kind, idempotency_key)
);

-- payment_webhook_events: provider events already handled (dedupe). outcome
-- says what the event did: applied, ignored, unknown_payment,
-- payment_amount_mismatch. provider_ref, status and the amount are what the
-- event said: an event that overtook its checkout (unknown_payment) is
-- applied when the payment is recorded.
CREATE TABLE payment_webhook_events (
    provider     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    event_type   TEXT NOT NULL DEFAULT '',
    provider_ref TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    currency     TEXT NOT NULL DEFAULT '',
    amount       BIGINT NOT NULL DEFAULT 0,
    payment_id   TEXT REFERENCES payments (id),
    outcome      TEXT NOT NULL DEFAULT 'received',
    received_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX payment_webhook_events_payment_idx ON payment_webhook_events (payment_id);
CREATE INDEX payment_webhook_events_ref_idx ON payment_webhook_events (provider, provider_ref);

-- +goose Down
DROP TABLE payment_webhook_events;
DROP TABLE payment_transactions;
DROP TABLE payments;
