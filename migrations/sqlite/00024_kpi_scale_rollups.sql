-- +goose Up
-- More KPI rollups (docs/kpis.md, "Rollups"), so that a report over months
-- reads rows that grow with the period, not with the shop's history or its
-- millions of orders and events: retention, unique users, top products and
-- inventory turnover. Derived data, rebuilt from the base tables by
-- internal/metrics with the rollups of 00021 and 00022. Owned by
-- internal/metrics.

-- Presence tables: one row per UTC hour and customer (kpi_customer_hours:
-- the customer ordered in that hour, any status) or shopper (kpi_user_hours:
-- the shopper had a storefront event in it), with prev_hour the last earlier
-- hour the same customer or shopper appears in (NULL for the first). A
-- period's distinct customers or shoppers are then its rows whose prev_hour
-- is before the period (or NULL): counted in SQL, never read one by one.
-- user_id is 'c:' and the customer id, or 'a:' and the anonymous id of a
-- shopper never seen with a customer (the smallest customer id an anonymous
-- id was seen with is resolved when the hours are built).
CREATE TABLE kpi_customer_hours (
    hour        TIMESTAMP NOT NULL,
    customer_id TEXT NOT NULL,
    prev_hour   TIMESTAMP,
    PRIMARY KEY (hour, customer_id)
) WITHOUT ROWID;
CREATE INDEX kpi_customer_hours_customer ON kpi_customer_hours (customer_id, hour);

DROP TABLE kpi_user_hours;
CREATE TABLE kpi_user_hours (
    hour      TIMESTAMP NOT NULL,
    user_id   TEXT NOT NULL,
    prev_hour TIMESTAMP,
    PRIMARY KEY (hour, user_id)
) WITHOUT ROWID;
CREATE INDEX kpi_user_hours_user ON kpi_user_hours (user_id, hour);

-- kpi_product_hours: per hour of creation, product and currency, the units
-- (net of canceled units) and line totals of the non-canceled orders, and
-- the smallest line title (for a product deleted since).
CREATE TABLE kpi_product_hours (
    hour       TIMESTAMP NOT NULL,
    product_id TEXT NOT NULL,
    currency   TEXT NOT NULL,
    title      TEXT NOT NULL,
    units      BIGINT NOT NULL DEFAULT 0,
    revenue    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, product_id, currency)
) WITHOUT ROWID;

-- kpi_stock_hours: per hour and variant, the units of the stock ledger's
-- sale movements and the net change of every movement. Variant costs are
-- applied when the report is read, so a cost change needs no rebuild.
CREATE TABLE kpi_stock_hours (
    hour       TIMESTAMP NOT NULL,
    variant_id TEXT NOT NULL,
    sold       BIGINT NOT NULL DEFAULT 0,
    delta      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, variant_id)
) WITHOUT ROWID;

-- A customer's previous order (retention, first orders).
CREATE INDEX kpi_orders_customer_created ON orders (customer_id, created_at);

-- The new tables start empty: the next catch-up rebuilds every hour.
DELETE FROM kpi_rollup_state;

-- +goose Down
DELETE FROM kpi_rollup_state;
DROP INDEX kpi_orders_customer_created;
DROP TABLE kpi_stock_hours;
DROP TABLE kpi_product_hours;
DROP TABLE kpi_user_hours;
CREATE TABLE kpi_user_hours (
    hour         TIMESTAMP NOT NULL,
    anonymous_id TEXT NOT NULL,
    customer_id  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (hour, anonymous_id, customer_id)
);
DROP TABLE kpi_customer_hours;
