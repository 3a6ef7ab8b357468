-- +goose Up
-- Canceling the unfulfilled remainder of an order, and canceling a
-- fulfilment that has not shipped. Owned by internal/orders.
--
-- order_items.canceled_quantity counts the units of a line that will never
-- ship (canceled with the remainder); every unit of a line is fulfilled,
-- canceled or still to fulfil, never two of them (the guarded updates keep
-- fulfilled_quantity + canceled_quantity <= quantity; the CHECK is the
-- backstop).
ALTER TABLE order_items ADD COLUMN canceled_quantity BIGINT NOT NULL DEFAULT 0
    CHECK (canceled_quantity >= 0 AND fulfilled_quantity + canceled_quantity <= quantity);

-- orders.canceled_total is the share of total paid for the canceled units
-- (never refunded twice, never more than the total); capture_amount is the
-- amount the capture of an authorised payment was fixed at (total minus
-- canceled_total at that moment), so a retried capture asks the provider
-- for the same amount. NULL: no capture decided yet.
ALTER TABLE orders ADD COLUMN canceled_total BIGINT NOT NULL DEFAULT 0
    CHECK (canceled_total >= 0 AND canceled_total <= total);
ALTER TABLE orders ADD COLUMN capture_amount BIGINT CHECK (capture_amount >= 0);

-- fulfillments.canceled_at: when an unshipped fulfilment was canceled (its
-- units went back to the order, its stock back to the order's reservation).
ALTER TABLE fulfillments ADD COLUMN canceled_at TIMESTAMP;

-- order_cancellations: one row per canceled remainder, with the money it
-- owes back. amount is the canceled units' share of the order total;
-- refund_amount is fixed before the first refund attempt (what is refunded,
-- at most what is left of the capture) so retries send the provider the
-- same request; settlement says how the money was settled: capture_reduced
-- (the authorised payment was captured without this share), refunded, or
-- none (nothing was taken, or everything was already given back).
CREATE TABLE order_cancellations (
    id            TEXT PRIMARY KEY,
    order_id      TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    currency      TEXT NOT NULL,
    units         BIGINT NOT NULL CHECK (units > 0),
    amount        BIGINT NOT NULL CHECK (amount >= 0),
    refund_amount BIGINT CHECK (refund_amount >= 0 AND refund_amount <= amount),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'settled')),
    settlement    TEXT NOT NULL DEFAULT '' CHECK (settlement IN ('', 'capture_reduced', 'refunded', 'none')),
    actor         TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    settled_at    TIMESTAMP
);
CREATE INDEX order_cancellations_order_idx ON order_cancellations (order_id, id);
CREATE INDEX order_cancellations_status_idx ON order_cancellations (status, id);

-- +goose Down
DROP TABLE order_cancellations;
ALTER TABLE fulfillments DROP COLUMN canceled_at;
ALTER TABLE orders DROP COLUMN capture_amount;
ALTER TABLE orders DROP COLUMN canceled_total;
ALTER TABLE order_items DROP COLUMN canceled_quantity;
