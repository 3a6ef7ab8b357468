-- +goose Up
-- Automations (docs/automations.md). Owned by internal/automations, except
-- promotions.customer_id, which belongs to internal/checkout.
--
-- automations: rules "when <trigger> happens, wait delay_seconds, then if
-- every condition holds, perform the actions". conditions and actions are
-- JSON lists, validated by the service. A deleted rule keeps its row
-- (deleted_at) so its run log and the codes it issued keep their history.
CREATE TABLE automations (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    trigger_type  TEXT NOT NULL,
    delay_seconds BIGINT NOT NULL DEFAULT 0 CHECK (delay_seconds >= 0),
    conditions    TEXT NOT NULL DEFAULT '[]',
    actions       TEXT NOT NULL DEFAULT '[]',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP
);
-- The events consumer looks up the live rules of each event's type.
CREATE INDEX automations_trigger ON automations (trigger_type) WHERE deleted_at IS NULL;

-- automation_runs: one row per rule and triggering event, made by the events
-- consumer in the dispatch transaction; the unique key is what makes a rule
-- run exactly once per event however often the event is handed over.
-- actions is the JSON outcome of each action; attempts counts job runs.
CREATE TABLE automation_runs (
    id            TEXT PRIMARY KEY,
    automation_id TEXT NOT NULL REFERENCES automations (id),
    event_id      TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('scheduled', 'skipped', 'succeeded', 'failed')),
    reason        TEXT NOT NULL DEFAULT '',
    actions       TEXT NOT NULL DEFAULT '[]',
    attempts      BIGINT NOT NULL DEFAULT 0,
    scheduled_at  TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (automation_id, event_id)
);
CREATE INDEX automation_runs_list ON automation_runs (automation_id, id);

-- issued_discounts: single-use codes issued to one customer, by a rule's
-- issue_discount action or by staff. The code itself is a promotion
-- (checkout's table, promotion_id, no foreign key across domains);
-- dedupe_key (run id and action index, or the staff request) makes a
-- retried issue find the code it already made.
CREATE TABLE issued_discounts (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    promotion_id  TEXT NOT NULL,
    code          TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('automation', 'staff')),
    automation_id TEXT REFERENCES automations (id),
    run_id        TEXT REFERENCES automation_runs (id),
    staff_id      TEXT,
    dedupe_key    TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX issued_discounts_customer ON issued_discounts (customer_id, id);

-- A promotion with customer_id applies to that customer only (checkout
-- answers anyone else as if the code did not exist).
ALTER TABLE promotions ADD COLUMN customer_id TEXT;

-- +goose Down
ALTER TABLE promotions DROP COLUMN customer_id;
DROP TABLE issued_discounts;
DROP TABLE automation_runs;
DROP TABLE automations;
