-- +goose Up
-- Customers (issue 4): profile fields, the address book and customer groups.
-- Owned by internal/customers.

-- Profile fields a customer edits. search_text is lower(e-mail, first and
-- last name), kept by the service (Go lower-cases non-ASCII letters, which
-- SQLite's lower() does not), so staff search is a plain LIKE on both databases.
ALTER TABLE customers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN accepts_marketing BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE customers ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE customers SET search_text = lower(email || ' ' || first_name || ' ' || last_name);

-- customer_addresses is the address book. Every read and write is scoped by
-- customer_id in the SQL; at most one default shipping and one default
-- billing address per customer (partial unique indexes).
CREATE TABLE customer_addresses (
    id                  TEXT PRIMARY KEY,
    customer_id         TEXT NOT NULL REFERENCES customers (id),
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    company             TEXT NOT NULL DEFAULT '',
    line1               TEXT NOT NULL,
    line2               TEXT NOT NULL DEFAULT '',
    city                TEXT NOT NULL,
    province            TEXT NOT NULL DEFAULT '',
    postal_code         TEXT NOT NULL,
    country_code        TEXT NOT NULL CHECK (length(country_code) = 2),
    phone               TEXT NOT NULL DEFAULT '',
    is_default_shipping BOOLEAN NOT NULL DEFAULT FALSE,
    is_default_billing  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_addresses_customer_idx ON customer_addresses (customer_id, id);
CREATE UNIQUE INDEX customer_addresses_shipping_idx ON customer_addresses (customer_id) WHERE is_default_shipping;
CREATE UNIQUE INDEX customer_addresses_billing_idx ON customer_addresses (customer_id) WHERE is_default_billing;

-- customer_groups segment customers (promotions restrict by group). Names are
-- unique regardless of ASCII case.
CREATE TABLE customer_groups (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX customer_groups_name_idx ON customer_groups (lower(name));

-- customer_group_members: deleting a group removes its memberships.
CREATE TABLE customer_group_members (
    group_id    TEXT NOT NULL REFERENCES customer_groups (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, customer_id)
);
CREATE INDEX customer_group_members_customer_idx ON customer_group_members (customer_id);

-- +goose Down
DROP TABLE customer_group_members;
DROP TABLE customer_groups;
DROP TABLE customer_addresses;
ALTER TABLE customers DROP COLUMN search_text;
ALTER TABLE customers DROP COLUMN accepts_marketing;
ALTER TABLE customers DROP COLUMN phone;
