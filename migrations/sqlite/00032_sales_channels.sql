-- +goose Up
-- Sales channels (docs/sales-channels.md). sales_channels,
-- sales_channel_warehouses and publishable_keys are owned by
-- internal/channels; product_sales_channels by internal/catalog;
-- carts.sales_channel_id by internal/checkout; orders.sales_channel_id by
-- internal/orders.
--
-- Every shop has one default web channel with a fixed id, so that rows
-- written before channels existed (and clients that never send a
-- publishable key) belong to it.
CREATE TABLE sales_channels (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('web', 'mobile', 'pos', 'social', 'marketplace')),
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    -- region_id: the checkout region (currency, tax) of sales made by
    -- staff on the channel (point of sale); NULL: none set.
    region_id  TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- At most one default channel.
CREATE UNIQUE INDEX sales_channels_default_idx ON sales_channels (is_default) WHERE is_default;

-- sales_channel_warehouses: the warehouses that fulfil a channel, in the
-- channel's priority order (position ascending).
CREATE TABLE sales_channel_warehouses (
    sales_channel_id TEXT NOT NULL REFERENCES sales_channels (id) ON DELETE CASCADE,
    warehouse_id     TEXT NOT NULL REFERENCES warehouses (id),
    position         INTEGER NOT NULL,
    PRIMARY KEY (sales_channel_id, warehouse_id)
);
CREATE INDEX sales_channel_warehouses_wh_idx ON sales_channel_warehouses (warehouse_id);

-- publishable_keys: public keys (pk_...) that scope store requests to a
-- channel. The key is not a secret (it ships inside apps and web pages),
-- so it is stored as is; revoked keys stay for the record.
CREATE TABLE publishable_keys (
    id               TEXT PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,
    sales_channel_id TEXT NOT NULL REFERENCES sales_channels (id),
    created_at       TIMESTAMP NOT NULL,
    revoked_at       TIMESTAMP
);
CREATE INDEX publishable_keys_channel_idx ON publishable_keys (sales_channel_id, id);

-- product_sales_channels: the channels a product is sold on.
CREATE TABLE product_sales_channels (
    product_id       TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sales_channel_id TEXT NOT NULL REFERENCES sales_channels (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, sales_channel_id)
);
CREATE INDEX product_sales_channels_channel_idx ON product_sales_channels (sales_channel_id, product_id);

INSERT INTO sales_channels (id, name, kind, active, is_default, created_at, updated_at)
VALUES ('sc_00000000000000000000000web', 'Web store', 'web', TRUE, TRUE, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'));
INSERT INTO sales_channel_warehouses (sales_channel_id, warehouse_id, position)
SELECT 'sc_00000000000000000000000web', id, ROW_NUMBER() OVER (ORDER BY priority, id) FROM warehouses;
INSERT INTO product_sales_channels (product_id, sales_channel_id)
SELECT id, 'sc_00000000000000000000000web' FROM products;

ALTER TABLE carts ADD COLUMN sales_channel_id TEXT NOT NULL DEFAULT 'sc_00000000000000000000000web';
ALTER TABLE orders ADD COLUMN sales_channel_id TEXT NOT NULL DEFAULT 'sc_00000000000000000000000web';
CREATE INDEX orders_sales_channel_idx ON orders (sales_channel_id, created_at);

-- +goose Down
DROP INDEX orders_sales_channel_idx;
ALTER TABLE orders DROP COLUMN sales_channel_id;
ALTER TABLE carts DROP COLUMN sales_channel_id;
DROP TABLE product_sales_channels;
DROP TABLE publishable_keys;
DROP TABLE sales_channel_warehouses;
DROP TABLE sales_channels;
