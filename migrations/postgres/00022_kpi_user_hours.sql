-- +goose Up
-- kpi_user_hours (docs/kpis.md, "Rollups"): the shoppers seen in each UTC
-- hour, one row per hour, anonymous id and customer id ('' when the events
-- carried none), so unique users over months read one row per shopper-hour
-- instead of every event. Which customer an anonymous id belongs to is
-- resolved when the report is read (a later event may link it), helped by
-- the partial index below. Derived data, rebuilt with the other rollups.
-- Owned by internal/metrics.
CREATE TABLE kpi_user_hours (
    hour         TIMESTAMPTZ NOT NULL,
    anonymous_id TEXT NOT NULL,
    customer_id  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (hour, anonymous_id, customer_id)
);

-- The customer each anonymous id was seen with.
CREATE INDEX kpi_events_owner ON metric_events (anonymous_id, customer_id) WHERE customer_id IS NOT NULL;

-- Retention and top products read the orders of a period: this index
-- answers them without visiting the table rows.
CREATE INDEX kpi_orders_created_cover ON orders (created_at, customer_id, status, currency, id);

-- +goose Down
DROP INDEX kpi_orders_created_cover;
DROP INDEX kpi_events_owner;
DROP TABLE kpi_user_hours;
