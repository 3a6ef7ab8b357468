-- +goose Up
-- Checkout crash recovery (owned by internal/checkout and internal/payments).
--
-- claim_key is a hash of the Idempotency-Key of the checkout attempt that
-- holds (or completed) the cart: a retry with that key of a checkout whose
-- answer was lost in a crash is answered with the order the cart became,
-- not with "cart completed". claim_provider is the payment provider that
-- attempt used, so the reconciliation job can ask it about an authorisation
-- whose checkout never finished.
ALTER TABLE carts ADD COLUMN claim_key TEXT;
ALTER TABLE carts ADD COLUMN claim_provider TEXT;
CREATE INDEX carts_claimed_idx ON carts (status, claimed_at);

-- client_ip is the checkout's client address: unpaid pending orders are
-- capped per client address, per e-mail and per customer.
ALTER TABLE orders ADD COLUMN client_ip TEXT NOT NULL DEFAULT '';

-- payment_reconciliations records what the reconciliation job did about a
-- provider payment that no order claimed (a checkout abandoned between the
-- authorisation and the order): voided, refunded, or nothing found.
CREATE TABLE payment_reconciliations (
    id           TEXT PRIMARY KEY,
    provider     TEXT NOT NULL,
    -- our reference at the provider: the planned order id
    reference    TEXT NOT NULL,
    provider_ref TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL CHECK (action IN ('voided', 'refunded', 'none')),
    amount       BIGINT NOT NULL DEFAULT 0,
    currency     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (provider, reference)
);

-- +goose Down
DROP TABLE payment_reconciliations;
ALTER TABLE orders DROP COLUMN client_ip;
DROP INDEX carts_claimed_idx;
ALTER TABLE carts DROP COLUMN claim_provider;
ALTER TABLE carts DROP COLUMN claim_key;
