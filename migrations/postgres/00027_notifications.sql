-- +goose Up
-- The language Storekeep writes to a customer in (internal/customers) and the
-- one an order was placed in (internal/orders, from the checkout request), so
-- e-mails reach guests in their language too. Values are
-- internal/platform/locale.Supported; the services check them.
ALTER TABLE customers ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE orders ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';

-- notification_templates (internal/notify): staff overrides of the embedded
-- default e-mail templates, one per template name and locale. Deleting a row
-- brings the default back.
CREATE TABLE notification_templates (
    name       TEXT NOT NULL,
    locale     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body_text  TEXT NOT NULL,
    body_html  TEXT,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (name, locale)
);

-- notification_messages (internal/notify): every e-mail Storekeep meant to
-- send, recorded in the transaction that caused it together with its send
-- job. dedupe_key makes a replayed cause record nothing twice. subject and
-- the bodies are filled when the job renders the template.
CREATE TABLE notification_messages (
    id          TEXT PRIMARY KEY,
    template    TEXT NOT NULL,
    locale      TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    customer_id TEXT,
    data        TEXT NOT NULL DEFAULT '{}',
    dedupe_key  TEXT UNIQUE,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'not_sent')),
    subject     TEXT,
    body_text   TEXT,
    body_html   TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    sent_at     TIMESTAMPTZ
);
-- Staff lists, newest first, filtered by status, recipient or template.
CREATE INDEX notification_messages_status ON notification_messages (status, id);
CREATE INDEX notification_messages_recipient ON notification_messages (recipient, id);
CREATE INDEX notification_messages_template ON notification_messages (template, id);

-- +goose Down
DROP TABLE notification_messages;
DROP TABLE notification_templates;
ALTER TABLE orders DROP COLUMN locale;
ALTER TABLE customers DROP COLUMN locale;
