-- +goose Up
-- Inventory: warehouses, stock levels per variant and warehouse, the
-- append-only movement ledger and checkout reservations. Owned by
-- internal/inventory.
--
-- Invariants (enforced by CHECKs as a backstop; the service never relies on
-- them for normal flow control):
--   0 <= reserved <= on_hand on every level, so available = on_hand - reserved
--   is never negative;
--   on_hand of a level equals SUM(delta) of its stock_movements rows (the
--   service writes both in one transaction; movements are never updated).

-- warehouses hold stock. priority orders allocation: LOWER is preferred
-- (priority 0 is tried before priority 10). Warehouses are deactivated,
-- never deleted, because movements refer to them.
CREATE TABLE warehouses (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    country_code TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '{}', -- JSON object
    priority     INTEGER NOT NULL DEFAULT 100,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX warehouses_priority_idx ON warehouses (priority, id);

-- stock_levels is what one warehouse holds of one variant.
CREATE TABLE stock_levels (
    variant_id    TEXT NOT NULL REFERENCES variants (id),
    warehouse_id  TEXT NOT NULL REFERENCES warehouses (id),
    on_hand       BIGINT NOT NULL DEFAULT 0,
    reserved      BIGINT NOT NULL DEFAULT 0,
    reorder_point BIGINT NOT NULL DEFAULT 0,
    safety_stock  BIGINT NOT NULL DEFAULT 0,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (variant_id, warehouse_id),
    CHECK (on_hand >= 0),
    CHECK (reserved >= 0),
    CHECK (reserved <= on_hand),
    CHECK (reorder_point >= 0),
    CHECK (safety_stock >= 0)
);
CREATE INDEX stock_levels_warehouse_idx ON stock_levels (warehouse_id, variant_id);

-- stock_movements is the append-only ledger of every change to on_hand.
CREATE TABLE stock_movements (
    id           TEXT PRIMARY KEY,
    variant_id   TEXT NOT NULL REFERENCES variants (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    delta        BIGINT NOT NULL CHECK (delta <> 0),
    kind         TEXT NOT NULL CHECK (kind IN ('adjustment', 'receipt', 'transfer_out', 'transfer_in',
                                               'sale', 'return_restock', 'cycle_count')),
    reason       TEXT NOT NULL DEFAULT '',
    reference    TEXT NOT NULL DEFAULT '',
    actor_kind   TEXT NOT NULL DEFAULT '',
    actor_id     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX stock_movements_level_idx ON stock_movements (variant_id, warehouse_id, created_at, id);
CREATE INDEX stock_movements_created_idx ON stock_movements (created_at, id);

-- reservations hold stock for an open checkout (reference = cart or order id)
-- until committed (sold), released, or expired (released by a job).
CREATE TABLE reservations (
    id         TEXT PRIMARY KEY,
    reference  TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'released', 'committed')),
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX reservations_reference_idx ON reservations (reference, id);
CREATE INDEX reservations_expiry_idx ON reservations (status, expires_at);

-- reservation_lines say where the reserved units are. A backordered line has
-- no warehouse: it is demand promised without stock.
CREATE TABLE reservation_lines (
    id             TEXT PRIMARY KEY,
    reservation_id TEXT NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    variant_id     TEXT NOT NULL REFERENCES variants (id),
    warehouse_id   TEXT REFERENCES warehouses (id),
    quantity       BIGINT NOT NULL CHECK (quantity > 0),
    backordered    BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK ((backordered AND warehouse_id IS NULL) OR (NOT backordered AND warehouse_id IS NOT NULL))
);
CREATE INDEX reservation_lines_reservation_idx ON reservation_lines (reservation_id);

-- +goose Down
DROP TABLE reservation_lines;
DROP TABLE reservations;
DROP TABLE stock_movements;
DROP TABLE stock_levels;
DROP TABLE warehouses;
