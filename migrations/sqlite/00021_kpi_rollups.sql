-- +goose Up
-- KPI rollups (docs/kpis.md, "Rollups"): what the KPI report adds up, per
-- UTC hour, so a report over months reads a few thousand rows instead of
-- millions of orders and events. Hours (not days) keep every time zone with
-- a whole-hour offset exact. Derived data only: rebuilt from the base tables
-- by internal/metrics (incrementally for the hours whose rows changed, and
-- in full every night). Owned by internal/metrics.

-- kpi_order_hours: per hour of creation and currency, orders placed and not
-- canceled (orders, revenue), canceled ones, the customers' share of the
-- revenue and how many customers placed their first order in the currency
-- (both for the lifetime value), and refunds given (per hour of the refund).
CREATE TABLE kpi_order_hours (
    hour                  TIMESTAMP NOT NULL,
    currency              TEXT NOT NULL,
    orders                BIGINT NOT NULL DEFAULT 0,
    canceled              BIGINT NOT NULL DEFAULT 0,
    revenue               BIGINT NOT NULL DEFAULT 0,
    customer_revenue      BIGINT NOT NULL DEFAULT 0,
    customer_first_orders BIGINT NOT NULL DEFAULT 0,
    refunds               BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, currency)
);

-- kpi_hours: per hour, new customers (first order of any currency), carts
-- created with at least one item (deleted guest carts included) and how many
-- became orders, and sessions by the hour of their first event with how many
-- converted and bounced.
CREATE TABLE kpi_hours (
    hour          TIMESTAMP PRIMARY KEY,
    new_customers BIGINT NOT NULL DEFAULT 0,
    carts         BIGINT NOT NULL DEFAULT 0,
    carts_ordered BIGINT NOT NULL DEFAULT 0,
    sessions      BIGINT NOT NULL DEFAULT 0,
    converted     BIGINT NOT NULL DEFAULT 0,
    bounced       BIGINT NOT NULL DEFAULT 0
);

-- kpi_rollup_state: checked_at is when the last incremental run started:
-- rows changed since then (with a margin) are the next run's work.
CREATE TABLE kpi_rollup_state (
    name       TEXT PRIMARY KEY,
    checked_at TIMESTAMP NOT NULL
);

-- What the incremental run looks for: rows changed since its last start.
CREATE INDEX kpi_orders_updated ON orders (updated_at);
CREATE INDEX kpi_carts_updated ON carts (updated_at);
CREATE INDEX kpi_events_received ON metric_events (received_at);
CREATE INDEX kpi_refunds_created ON order_refunds (created_at);
-- Conversion: the orders of a session.
CREATE INDEX kpi_orders_session ON orders (session_id);

-- +goose Down
DROP INDEX kpi_orders_session;
DROP INDEX kpi_refunds_created;
DROP INDEX kpi_events_received;
DROP INDEX kpi_carts_updated;
DROP INDEX kpi_orders_updated;
DROP TABLE kpi_rollup_state;
DROP TABLE kpi_hours;
DROP TABLE kpi_order_hours;
