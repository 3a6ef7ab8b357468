-- +goose Up
-- Carts: a shopper's basket until checkout turns it into an order. Owned by
-- internal/checkout. Prices are snapshots in the cart's currency taken when a
-- line is added (unit_price); every total is computed by the service from
-- these rows and is never stored, so it cannot drift.
--
-- status: open -> completing (one checkout has claimed the cart; a second
-- concurrent checkout of the same cart is refused) -> completed (order_id set),
-- or back to open when the checkout fails. merged: a guest cart whose lines
-- went into the customer's open cart when they signed in.
CREATE TABLE carts (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT REFERENCES customers (id),
    email              TEXT NOT NULL DEFAULT '',
    currency           TEXT NOT NULL,
    -- region_id and shipping_option_id refer to checkout configuration
    -- (regions, shipping_options); no FK so configuration can be removed
    -- without rewriting carts: the service re-validates both on every read.
    region_id          TEXT,
    shipping_option_id TEXT,
    shipping_address   TEXT,
    billing_address    TEXT,
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completing', 'completed', 'merged')),
    order_id           TEXT,
    session_id         TEXT NOT NULL DEFAULT '',
    anonymous_id       TEXT NOT NULL DEFAULT '',
    claimed_at         TIMESTAMPTZ,
    completed_at       TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX carts_customer_idx ON carts (customer_id, status, updated_at);
CREATE INDEX carts_created_idx ON carts (created_at);

CREATE TABLE cart_items (
    id         TEXT PRIMARY KEY,
    cart_id    TEXT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    variant_id TEXT NOT NULL REFERENCES variants (id),
    quantity   BIGINT NOT NULL CHECK (quantity > 0 AND quantity <= 1000),
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (cart_id, variant_id)
);

-- cart_discounts are the codes applied to a cart, in the order applied.
CREATE TABLE cart_discounts (
    cart_id      TEXT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    promotion_id TEXT NOT NULL,
    code         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cart_id, promotion_id)
);

-- +goose Down
DROP TABLE cart_discounts;
DROP TABLE cart_items;
DROP TABLE carts;
