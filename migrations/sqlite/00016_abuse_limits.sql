-- +goose Up
-- last_hit_us is when a rate-limit bucket was last hit, in Unix microseconds
-- (0: never); an integer so that it compares exactly on both databases.
-- Sign-in throttling makes a client that failed on an account wait a
-- growing delay from the account's last failure (docs/auth.md). Owned by
-- internal/platform/auth.
ALTER TABLE login_attempts ADD COLUMN last_hit_us BIGINT NOT NULL DEFAULT 0;

-- cart_purge_counts keep what the KPIs need of the abandoned guest carts
-- the cleanup job deletes (docs/checkout.md "Guest cart cleanup"): per UTC
-- hour of creation and currency, how many carts went, how many of them had
-- at least one item (the carts the cart abandonment rate counts) and their
-- items' value before discounts, in minor units. Incremented in the
-- transaction that deletes the carts. Owned by internal/checkout.
CREATE TABLE cart_purge_counts (
    created_hour     TIMESTAMP NOT NULL,
    currency         TEXT NOT NULL,
    carts            BIGINT NOT NULL,
    carts_with_items BIGINT NOT NULL,
    items_subtotal   BIGINT NOT NULL,
    PRIMARY KEY (created_hour, currency)
);

-- +goose Down
DROP TABLE cart_purge_counts;
ALTER TABLE login_attempts DROP COLUMN last_hit_us;
