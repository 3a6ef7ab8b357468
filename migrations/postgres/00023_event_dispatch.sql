-- +goose Up
-- The events outbox becomes the source of webhooks, e-mail notifications and
-- automations (internal/platform/events, Dispatcher): delivered_at now means
-- "handed to every consumer". Events recorded before this migration were
-- never meant for those consumers, so they count as dispatched: a new
-- automation must not fire on last year's orders.
ALTER TABLE events ADD COLUMN resource_type TEXT NOT NULL DEFAULT '';
UPDATE events SET resource_type = split_part(type, '.', 1);
UPDATE events SET resource_type = 'conversation' WHERE type LIKE 'support.%';
UPDATE events SET delivered_at = created_at WHERE delivered_at IS NULL;

-- GET /v1/admin/events?resource_id= reads one resource's events in order.
CREATE INDEX events_subject_id ON events (subject_id, id);

-- +goose Down
DROP INDEX events_subject_id;
ALTER TABLE events DROP COLUMN resource_type;
