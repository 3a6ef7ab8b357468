-- +goose Up
-- Numbers per sales channel (docs/sales-channels.md, "Numbers per
-- channel"). Owned by internal/metrics, except cart_purge_channel_counts,
-- which internal/checkout increments with cart_purge_counts.
--
-- metric_events.sales_channel_id: the channel of the store request that
-- reported the event (the publishable key it carried; none: the default
-- web channel). Events recorded before channels existed belong to the
-- default channel, as their orders and carts do.
ALTER TABLE metric_events ADD COLUMN sales_channel_id TEXT NOT NULL DEFAULT 'sc_00000000000000000000000web';
CREATE INDEX metric_events_sales_channel ON metric_events (sales_channel_id, occurred_at);

-- cart_purge_channel_counts: the guest carts with items the cleanup
-- deleted, per UTC hour of creation and sales channel, so that the cart
-- abandonment rate of one channel still counts its deleted carts
-- (cart_purge_counts has no channel). Carts purged before this table
-- existed are not in it: a channel's report leaves them out.
CREATE TABLE cart_purge_channel_counts (
    created_hour     TIMESTAMP NOT NULL,
    sales_channel_id TEXT NOT NULL,
    carts_with_items BIGINT NOT NULL,
    PRIMARY KEY (created_hour, sales_channel_id)
);

-- +goose Down
DROP TABLE cart_purge_channel_counts;
DROP INDEX metric_events_sales_channel;
ALTER TABLE metric_events DROP COLUMN sales_channel_id;
