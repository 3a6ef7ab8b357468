-- +goose Up
-- Checkout configuration: regions (currency, countries, tax), shipping
-- options per region, promotions (discount codes) and their usages. Owned by
-- internal/checkout (region*.go, shipping*.go, promotion*.go, tax*.go).
--
-- Invariants (CHECKs and keys are the backstop; the service checks first and
-- reports clear errors):
--   a country belongs to at most one region (region_countries primary key);
--   a shipping option's money is in its region's currency;
--   a promotion code is stored upper-case and unique;
--   usage_count only grows through the guarded conditional update in
--   promotion_redeem.go, in the checkout's transaction, one usage row per order.

-- regions: where we sell, in which currency, with which tax rate (basis
-- points: 2000 = 20 %) and whether prices already include it.
CREATE TABLE regions (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    tax_rate      BIGINT NOT NULL CHECK (tax_rate BETWEEN 0 AND 10000),
    tax_inclusive BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX regions_currency_idx ON regions (currency, created_at, id);

-- region_countries: the countries of each region; the primary key makes a
-- country belong to one region only.
CREATE TABLE region_countries (
    country_code TEXT PRIMARY KEY CHECK (length(country_code) = 2),
    region_id    TEXT NOT NULL REFERENCES regions (id) ON DELETE CASCADE
);
CREATE INDEX region_countries_region_idx ON region_countries (region_id);

-- shipping_options: how a region's orders can be shipped. amount is the flat
-- price (flat, free_over; 0 for weight), free_over the threshold of the
-- free_over type, rates the weight brackets as JSON [{max_grams, amount}].
-- Deactivated, never deleted: carts and orders refer to them.
CREATE TABLE shipping_options (
    id         TEXT PRIMARY KEY,
    region_id  TEXT NOT NULL REFERENCES regions (id),
    name       TEXT NOT NULL,
    type       TEXT NOT NULL CHECK (type IN ('flat', 'free_over', 'weight')),
    amount     BIGINT NOT NULL CHECK (amount >= 0),
    currency   TEXT NOT NULL CHECK (length(currency) = 3),
    free_over  BIGINT CHECK (free_over >= 0),
    rates      TEXT NOT NULL DEFAULT '[]',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX shipping_options_region_idx ON shipping_options (region_id, id);

-- promotions: discount codes. amounts and min_subtotals are JSON lists of
-- Money (one per currency); product_ids, category_ids and
-- customer_group_ids JSON lists of ids (customer groups carry no foreign key:
-- they live in the customers domain).
CREATE TABLE promotions (
    id                 TEXT PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    type               TEXT NOT NULL CHECK (type IN ('percentage', 'fixed', 'free_shipping')),
    percentage         BIGINT NOT NULL DEFAULT 0 CHECK (percentage BETWEEN 0 AND 10000),
    amounts            TEXT NOT NULL DEFAULT '[]',
    min_subtotals      TEXT NOT NULL DEFAULT '[]',
    starts_at          TIMESTAMPTZ,
    ends_at            TIMESTAMPTZ,
    usage_limit        BIGINT CHECK (usage_limit >= 0),
    per_customer_limit BIGINT CHECK (per_customer_limit >= 1),
    usage_count        BIGINT NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
    product_ids        TEXT NOT NULL DEFAULT '[]',
    category_ids       TEXT NOT NULL DEFAULT '[]',
    customer_group_ids TEXT NOT NULL DEFAULT '[]',
    combinable         BOOLEAN NOT NULL DEFAULT FALSE,
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX promotions_active_idx ON promotions (active, id);

-- promotion_usages: one row per order that redeemed a promotion, written in
-- the checkout's transaction. customer_id is NULL for guests; email is lower
-- case. order_id has no foreign key: orders are created by a later migration
-- in the same transaction.
CREATE TABLE promotion_usages (
    id           TEXT PRIMARY KEY,
    promotion_id TEXT NOT NULL REFERENCES promotions (id),
    order_id     TEXT NOT NULL,
    customer_id  TEXT,
    email        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (promotion_id, order_id)
);
CREATE INDEX promotion_usages_customer_idx ON promotion_usages (promotion_id, customer_id);
CREATE INDEX promotion_usages_email_idx ON promotion_usages (promotion_id, email);

-- +goose Down
DROP TABLE promotion_usages;
DROP TABLE promotions;
DROP TABLE shipping_options;
DROP TABLE region_countries;
DROP TABLE regions;
