-- +goose Up
-- Outbound webhooks (docs/webhooks.md). Owned by internal/webhooks.
--
-- webhooks: the endpoints integrators subscribe. event_types is a JSON array
-- of types and patterns ("*", "order.*"). secret and previous_secret are
-- sealed (AES-256-GCM under a key derived from the server's secret), never
-- stored in clear: the server needs them back to sign. previous_secret signs
-- too until previous_secret_expires_at (rotation overlap). failing_since is
-- the first failed attempt since the last success; disabled_reason says why
-- the server turned the endpoint off ('failing', 'gone'), NULL when staff did
-- or when it is active.
CREATE TABLE webhooks (
    id                         TEXT PRIMARY KEY,
    url                        TEXT NOT NULL,
    description                TEXT NOT NULL DEFAULT '',
    event_types                TEXT NOT NULL DEFAULT '[]',
    active                     BOOLEAN NOT NULL DEFAULT TRUE,
    disabled_reason            TEXT CHECK (disabled_reason IN ('failing', 'gone')),
    disabled_at                TIMESTAMPTZ,
    secret                     TEXT NOT NULL,
    previous_secret            TEXT,
    previous_secret_expires_at TIMESTAMPTZ,
    failing_since              TIMESTAMPTZ,
    created_at                 TIMESTAMPTZ NOT NULL,
    updated_at                 TIMESTAMPTZ NOT NULL
);

-- webhook_messages: one event (or test ping) on its way to one endpoint: the
-- exact body every attempt sends and where the chain of attempts stands.
-- event_id is the webhook-id header (the message's own id for a ping);
-- resource_key ("order:order_...", '' for none) orders messages about one
-- resource to one endpoint: a message waits while an earlier one (by
-- event_id, then id) is pending. A redelivery is a new message.
CREATE TABLE webhook_messages (
    id               TEXT PRIMARY KEY,
    webhook_id       TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    resource_key     TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL,
    test             BOOLEAN NOT NULL DEFAULT FALSE,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    first_attempt_at TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_messages_pending ON webhook_messages (webhook_id, resource_key, event_id, id)
    WHERE status = 'pending';

-- webhook_deliveries: one row per attempt, the delivery log. A pending row
-- is due at next_attempt_at; a failed one says there when the next attempt
-- is (NULL: it was the last). claimed_at and claimed_by (the job, or the
-- request of a test ping) mark an attempt in flight: a claim older than two
-- minutes is taken over (its worker died), and the job holding it may take
-- it again (River retrying that job).
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    message_id       TEXT NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    webhook_id       TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    attempt          INTEGER NOT NULL CHECK (attempt >= 1),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    response_status  INTEGER,
    response_excerpt TEXT,
    duration_ms      INTEGER,
    error            TEXT,
    next_attempt_at  TIMESTAMPTZ,
    claimed_at       TIMESTAMPTZ,
    claimed_by       TEXT,
    attempted_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_message ON webhook_deliveries (message_id, attempt);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_messages;
DROP TABLE webhooks;
