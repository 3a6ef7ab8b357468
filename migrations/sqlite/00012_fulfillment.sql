-- +goose Up
-- Fulfilment and after-sales: fulfilments (what a warehouse picks, packs and
-- ships for an order), customer returns and the refunds given on orders.
-- Owned by internal/orders (fulfilment engineer). The order's items carry
-- fulfilled_quantity and returned_quantity (00011); these tables say which
-- fulfilment, return or refund moved them. Every change is a guarded update
-- in the service; the CHECKs are the backstop.

-- A bin is where a variant sits in a warehouse ("A-03-2"), printed on pick
-- lists. Empty: no bin set.
ALTER TABLE stock_levels ADD COLUMN bin TEXT NOT NULL DEFAULT '';

-- fulfillments: one shipment from one warehouse.
CREATE TABLE fulfillments (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    warehouse_id    TEXT NOT NULL REFERENCES warehouses (id),
    status          TEXT NOT NULL CHECK (status IN ('created', 'packed', 'shipped', 'delivered', 'canceled')),
    carrier         TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    packed_at       TIMESTAMP,
    shipped_at      TIMESTAMP,
    delivered_at    TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX fulfillments_order_idx ON fulfillments (order_id, id);

-- fulfillment_items: the units of each order line a fulfilment takes.
CREATE TABLE fulfillment_items (
    fulfillment_id TEXT NOT NULL REFERENCES fulfillments (id) ON DELETE CASCADE,
    order_item_id  TEXT NOT NULL REFERENCES order_items (id),
    variant_id     TEXT NOT NULL,
    quantity       BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (fulfillment_id, order_item_id)
);

-- returns: a customer's request to send units back, received by staff into
-- a warehouse, then refunded. refund_amount is what the received units were
-- paid (their share of the line totals), set on receipt.
CREATE TABLE returns (
    id            TEXT PRIMARY KEY,
    order_id      TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    customer_id   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('requested', 'received', 'refunded')),
    reason        TEXT NOT NULL DEFAULT '',
    warehouse_id  TEXT REFERENCES warehouses (id),
    currency      TEXT NOT NULL,
    refund_amount BIGINT NOT NULL DEFAULT 0 CHECK (refund_amount >= 0),
    created_at    TIMESTAMP NOT NULL,
    received_at   TIMESTAMP,
    refunded_at   TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX returns_order_idx ON returns (order_id, id);
CREATE INDEX returns_status_idx ON returns (status, id);

-- return_items: requested units per order line, and what arrived in which
-- condition (sellable units were restocked through the ledger).
CREATE TABLE return_items (
    return_id     TEXT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    order_item_id TEXT NOT NULL REFERENCES order_items (id),
    quantity      BIGINT NOT NULL CHECK (quantity > 0),
    sellable      BIGINT NOT NULL DEFAULT 0 CHECK (sellable >= 0),
    damaged       BIGINT NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    PRIMARY KEY (return_id, order_item_id),
    CHECK (sellable + damaged <= quantity)
);

-- order_refunds: money given back on an order (staff refunds, returns,
-- cancellations). idempotency_key is unique per order so a retried
-- settlement records a refund once.
CREATE TABLE order_refunds (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    payment_id      TEXT NOT NULL,
    return_id       TEXT REFERENCES returns (id),
    currency        TEXT NOT NULL,
    amount          BIGINT NOT NULL CHECK (amount > 0),
    reason          TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (order_id, idempotency_key)
);

-- +goose Down
DROP TABLE order_refunds;
DROP TABLE return_items;
DROP TABLE returns;
DROP TABLE fulfillment_items;
DROP TABLE fulfillments;
ALTER TABLE stock_levels DROP COLUMN bin;
