-- +goose Up
-- Orders: what checkout made of a cart, and everything that happens to it
-- afterwards. Owned by internal/orders. Amounts are frozen copies of the
-- cart's computed totals at checkout; a later price change never alters an
-- order. Three independent state machines (status, payment_status,
-- fulfillment_status) are advanced only by guarded updates in the service
-- (UPDATE ... WHERE status IN (legal predecessors)); the CHECKs list the
-- states as a backstop.
-- order_numbers hands out order numbers on SQLite (one writer, so bumping a
-- row costs nothing extra); PostgreSQL uses a sequence instead (no row lock
-- shared by every checkout). Numbers of rolled-back checkouts may be skipped.
CREATE TABLE order_numbers (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO order_numbers (name, value) VALUES ('order', 1000);

CREATE TABLE orders (
    id                 TEXT PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    -- one order per cart, whatever races happen at checkout.
    cart_id            TEXT NOT NULL UNIQUE,
    customer_id        TEXT REFERENCES customers (id),
    email              TEXT NOT NULL,
    currency           TEXT NOT NULL,
    region_id          TEXT,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'completed', 'canceled')),
    payment_status     TEXT NOT NULL CHECK (payment_status IN ('pending', 'authorized', 'captured',
                           'partially_refunded', 'refunded', 'voided', 'failed')),
    fulfillment_status TEXT NOT NULL CHECK (fulfillment_status IN ('unfulfilled', 'partially_fulfilled',
                           'fulfilled', 'shipped', 'delivered', 'returned')),
    shipping_address   TEXT NOT NULL,
    billing_address    TEXT NOT NULL,
    shipping_option_id TEXT,
    shipping_method    TEXT NOT NULL DEFAULT '',
    subtotal           BIGINT NOT NULL,
    discount_total     BIGINT NOT NULL,
    shipping_total     BIGINT NOT NULL,
    shipping_discount  BIGINT NOT NULL,
    shipping_tax       BIGINT NOT NULL,
    tax_total          BIGINT NOT NULL,
    total              BIGINT NOT NULL CHECK (total >= 0),
    tax_inclusive      BOOLEAN NOT NULL,
    -- the stock held for the order (inventory reservation), committed as
    -- it is fulfilled and released when the order is canceled.
    reservation_id     TEXT,
    session_id         TEXT NOT NULL DEFAULT '',
    anonymous_id       TEXT NOT NULL DEFAULT '',
    -- a pending order (payment not yet confirmed) is canceled at expires_at.
    expires_at         TIMESTAMP,
    canceled_at        TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX orders_customer_idx ON orders (customer_id, id);
CREATE INDEX orders_status_idx ON orders (status, id);
CREATE INDEX orders_created_idx ON orders (created_at);
CREATE INDEX orders_expiry_idx ON orders (status, expires_at);

CREATE TABLE order_items (
    id                 TEXT PRIMARY KEY,
    order_id           TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL,
    variant_id         TEXT NOT NULL REFERENCES variants (id),
    product_id         TEXT NOT NULL,
    sku                TEXT NOT NULL,
    title              TEXT NOT NULL,
    quantity           BIGINT NOT NULL CHECK (quantity > 0),
    unit_price         BIGINT NOT NULL,
    subtotal           BIGINT NOT NULL,
    discount_total     BIGINT NOT NULL,
    tax_total          BIGINT NOT NULL,
    total              BIGINT NOT NULL,
    fulfilled_quantity BIGINT NOT NULL DEFAULT 0 CHECK (fulfilled_quantity >= 0 AND fulfilled_quantity <= quantity),
    returned_quantity  BIGINT NOT NULL DEFAULT 0 CHECK (returned_quantity >= 0 AND returned_quantity <= fulfilled_quantity)
);
CREATE INDEX order_items_order_idx ON order_items (order_id, position);

CREATE TABLE order_discounts (
    order_id     TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    promotion_id TEXT NOT NULL,
    code         TEXT NOT NULL,
    type         TEXT NOT NULL,
    amount       BIGINT NOT NULL,
    PRIMARY KEY (order_id, promotion_id)
);

-- order_events is the order's timeline: one row per state change or
-- action, never updated.
CREATE TABLE order_events (
    id         TEXT PRIMARY KEY,
    order_id   TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    type       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

-- +goose Down
DROP TABLE order_events;
DROP TABLE order_discounts;
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE order_numbers;
