-- +goose Up
-- cart.abandoned (internal/checkout, abandoned.go): abandoned_idle_since is
-- the updated_at of the idle spell the event was recorded for. A cart is due
-- when it is open, has an e-mail and items, has been idle long enough, and
-- changed since its last event (abandoned_idle_since < updated_at), so each
-- idle spell gets one event and a cart touched again can be abandoned again.
ALTER TABLE carts ADD COLUMN abandoned_idle_since TIMESTAMPTZ;
-- Carts left before this migration are history, not fresh abandonments:
-- they count as reported (a change makes them due again).
UPDATE carts SET abandoned_idle_since = updated_at WHERE status = 'open';
-- The job's scan: only carts not reported for their current idle spell.
CREATE INDEX carts_abandon_due ON carts (updated_at)
    WHERE status = 'open' AND email <> '' AND (abandoned_idle_since IS NULL OR abandoned_idle_since < updated_at);

-- +goose Down
DROP INDEX carts_abandon_due;
ALTER TABLE carts DROP COLUMN abandoned_idle_since;
