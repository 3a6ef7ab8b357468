-- +goose Up
-- Purchasing: suppliers, what each supplier sells us (supplier_items) and
-- purchase orders with their lines. Owned by internal/inventory
-- (supplier*.go, purchase*.go, reorder*.go).
--
-- Invariants (CHECKs and indexes are the backstop; the service checks first
-- and reports clear errors):
--   at most one preferred supplier per variant (partial unique index);
--   0 <= received <= quantity on every purchase order line, and received only
--   grows, through a guarded conditional update in the same transaction as the
--   receipt movement in the stock ledger;
--   a purchase order's status only moves along the transition table in
--   internal/inventory/purchase_status.go.

-- suppliers sell us stock. Deactivated, never deleted: purchase orders
-- refer to them.
CREATE TABLE suppliers (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    contact_name   TEXT NOT NULL DEFAULT '',
    lead_time_days INTEGER NOT NULL DEFAULT 0 CHECK (lead_time_days >= 0),
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

-- supplier_items: one supplier's terms for one variant. unit_cost is in the
-- supplier's currency, in minor units.
CREATE TABLE supplier_items (
    supplier_id  TEXT NOT NULL REFERENCES suppliers (id),
    variant_id   TEXT NOT NULL REFERENCES variants (id),
    supplier_sku TEXT NOT NULL DEFAULT '',
    unit_cost    BIGINT NOT NULL CHECK (unit_cost >= 0),
    moq          BIGINT NOT NULL DEFAULT 1 CHECK (moq >= 1),
    preferred    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (supplier_id, variant_id)
);
CREATE INDEX supplier_items_variant_idx ON supplier_items (variant_id);
CREATE UNIQUE INDEX supplier_items_preferred_idx ON supplier_items (variant_id) WHERE preferred;

-- purchase_order_numbers hands out human PO numbers: one row, bumped with an
-- atomic UPDATE ... RETURNING, so concurrent creations never share a number.
CREATE TABLE purchase_order_numbers (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO purchase_order_numbers (name, value) VALUES ('po', 0);

-- purchase_orders: what we ordered from one supplier, in its currency.
-- warehouse_id is the intended destination; receipts name the warehouse.
CREATE TABLE purchase_orders (
    id           TEXT PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    supplier_id  TEXT NOT NULL REFERENCES suppliers (id),
    warehouse_id TEXT REFERENCES warehouses (id),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'partially_received', 'received', 'canceled')),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    notes        TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    sent_at      TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX purchase_orders_status_idx ON purchase_orders (status, id);
CREATE INDEX purchase_orders_supplier_idx ON purchase_orders (supplier_id, status);

-- purchase_order_items: one line per variant.
CREATE TABLE purchase_order_items (
    po_id      TEXT NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
    variant_id TEXT NOT NULL REFERENCES variants (id),
    quantity   BIGINT NOT NULL CHECK (quantity > 0),
    received   BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
    unit_cost  BIGINT NOT NULL CHECK (unit_cost >= 0),
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (po_id, variant_id),
    CHECK (received <= quantity)
);
CREATE INDEX purchase_order_items_variant_idx ON purchase_order_items (variant_id);

-- +goose Down
DROP TABLE purchase_order_items;
DROP TABLE purchase_orders;
DROP TABLE purchase_order_numbers;
DROP TABLE supplier_items;
DROP TABLE suppliers;
