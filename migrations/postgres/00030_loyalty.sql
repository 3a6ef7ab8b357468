-- +goose Up
-- Loyalty (docs/loyalty.md). Owned by internal/loyalty, except
-- carts.loyalty_points, which belongs to internal/checkout.
--
-- loyalty_program: the shop's one programme (id 'default'). redeem_value is
-- the minor units one point is worth in currency; tiers is a JSON list.
CREATE TABLE loyalty_program (
    id            TEXT PRIMARY KEY,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    earn_per_unit BIGINT NOT NULL CHECK (earn_per_unit >= 0),
    redeem_value  BIGINT NOT NULL CHECK (redeem_value >= 0),
    currency      TEXT NOT NULL,
    expiry_days   BIGINT NOT NULL DEFAULT 0 CHECK (expiry_days >= 0),
    tiers         TEXT NOT NULL DEFAULT '[]',
    updated_at    TIMESTAMPTZ NOT NULL
);

-- loyalty_accounts: one row per customer with points; balance is the sum
-- of the customer's ledger, kept here so that spending is one guarded
-- UPDATE (two checkouts cannot both spend the same points).
CREATE TABLE loyalty_accounts (
    customer_id TEXT PRIMARY KEY,
    balance     BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),
    tier        TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMPTZ NOT NULL
);

-- loyalty_ledger: append-only, one row per earn, redeem, expire, reverse
-- or adjust; points is signed. Credits carry expires_at (null: never).
-- basis is the amount (in currency) an earn was computed on, or a reversal
-- took back (tier spend); order_total the order's total (for reversals);
-- dedupe_key makes a retried earn, redeem, reverse or award a no-op.
CREATE TABLE loyalty_ledger (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'expire', 'reverse', 'adjust')),
    points      BIGINT NOT NULL,
    order_id    TEXT,
    currency    TEXT NOT NULL DEFAULT '',
    basis       BIGINT NOT NULL DEFAULT 0,
    order_total BIGINT NOT NULL DEFAULT 0,
    reason      TEXT NOT NULL DEFAULT '',
    dedupe_key  TEXT UNIQUE,
    expires_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX loyalty_ledger_customer ON loyalty_ledger (customer_id, id);
CREATE INDEX loyalty_ledger_order ON loyalty_ledger (order_id) WHERE order_id IS NOT NULL;

ALTER TABLE carts ADD COLUMN loyalty_points BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE carts DROP COLUMN loyalty_points;
DROP TABLE loyalty_ledger;
DROP TABLE loyalty_accounts;
DROP TABLE loyalty_program;
