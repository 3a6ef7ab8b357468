-- +goose Up
-- Platform reliability tables: the transactional outbox of domain events and
-- stored Idempotency-Key responses. Durable jobs live in River's own tables
-- (river_job, river_leader, river_queue, ...), created by River's migrations
-- (rivermigrate, river v0.51.2) which db.Migrate runs right after goose. The
-- version named here is part of dbtest's PostgreSQL template hash: bump it
-- with River so the template is rebuilt.

-- events: the transactional outbox. Rows are written in the same transaction
-- as the change they describe (internal/platform/events); the webhooks issue
-- delivers them and sets delivered_at.
CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    subject_id   TEXT NOT NULL DEFAULT '',
    payload      TEXT NOT NULL DEFAULT '{}',
    created_at   TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX events_type_id ON events (type, id);
CREATE INDEX events_undelivered ON events (id) WHERE delivered_at IS NULL;

-- idempotency_keys: one row per (principal, key). The unique constraint is
-- what decides a race between two requests carrying the same key.
CREATE TABLE idempotency_keys (
    principal        TEXT NOT NULL,
    key              TEXT NOT NULL,
    route            TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('in_progress', 'completed')),
    response_status  INTEGER,
    response_headers TEXT NOT NULL DEFAULT '{}',
    response_body    BLOB,
    locked_at        TIMESTAMP NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    expires_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE events;
