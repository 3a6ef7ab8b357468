-- +goose Up
-- Storefront events and what the KPIs are computed from (docs/metrics.md).
-- Owned by internal/metrics.
--
-- metric_events: what shoppers did, as storefronts report it in batches.
-- seq is an integer key (cheap to insert and to scan at tens of millions of
-- rows); event_id is the client's optional id, unique when given, so a
-- retried batch is recorded once. occurred_at is the client's time (checked
-- on the way in), received_at ours.
CREATE TABLE metric_events (
    seq          INTEGER PRIMARY KEY,
    event_id     TEXT,
    type         TEXT NOT NULL CHECK (type IN ('session_start', 'page_view', 'product_view', 'add_to_cart',
                     'checkout_start', 'search', 'experiment_exposure')),
    anonymous_id TEXT NOT NULL,
    session_id   TEXT NOT NULL,
    customer_id  TEXT,
    path         TEXT,
    product_id   TEXT,
    utm_source   TEXT,
    utm_medium   TEXT,
    utm_campaign TEXT,
    experiment_id TEXT,
    arm          TEXT,
    occurred_at  TIMESTAMP NOT NULL,
    received_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX metric_events_event_id ON metric_events (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX metric_events_occurred ON metric_events (occurred_at);
CREATE INDEX metric_events_session ON metric_events (session_id);
CREATE INDEX metric_events_anonymous ON metric_events (anonymous_id, occurred_at);

-- marketing_spend: what was spent on a channel over [period_start, period_end]
-- (dates, both included); the acquisition cost pro-rates it by days.
CREATE TABLE marketing_spend (
    id           TEXT PRIMARY KEY,
    channel      TEXT NOT NULL,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL CHECK (period_end >= period_start),
    amount       BIGINT NOT NULL CHECK (amount >= 0),
    currency     TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX marketing_spend_period ON marketing_spend (period_start, period_end);

-- experiments: A/B tests. arms is a JSON array of {key, weight}; a shopper's
-- arm is derived from a hash of the experiment key and their anonymous id,
-- so an assignment writes nothing.
CREATE TABLE experiments (
    id         TEXT PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    arms       TEXT NOT NULL,
    metric     TEXT NOT NULL CHECK (metric IN ('conversion_rate', 'average_order_value')),
    status     TEXT NOT NULL CHECK (status IN ('draft', 'running', 'stopped')),
    started_at TIMESTAMP,
    stopped_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- acquisition_channel: the UTM source of the customer's first event (set
-- once); first_seen_at: that event's time.
ALTER TABLE customers ADD COLUMN acquisition_channel TEXT;
ALTER TABLE customers ADD COLUMN first_seen_at TIMESTAMP;

-- +goose Down
ALTER TABLE customers DROP COLUMN first_seen_at;
ALTER TABLE customers DROP COLUMN acquisition_channel;
DROP TABLE experiments;
DROP TABLE marketing_spend;
DROP TABLE metric_events;
