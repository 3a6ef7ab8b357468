-- +goose Up
-- Identity: customer accounts, staff users, refresh-token families, API keys
-- and the login rate-limit counters. Owned by internal/customers,
-- internal/staff and internal/platform/auth.

-- customers are shopper accounts. email is stored lowercased, so the plain
-- UNIQUE constraint is case-insensitive uniqueness.
CREATE TABLE customers (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    password_hash TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    archived_at   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- staff_users sign in to the admin API. Bumping token_version revokes every
-- outstanding access token of that user (role change, logout everywhere).
CREATE TABLE staff_users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'support', 'warehouse')),
    token_version INTEGER NOT NULL DEFAULT 1,
    disabled_at   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- refresh_tokens are opaque rotating tokens, stored as SHA-256. Each use marks
-- the row used and adds its successor to the same family; presenting a used
-- token revokes the whole family (RFC 9700 §4.14).
CREATE TABLE refresh_tokens (
    id           TEXT PRIMARY KEY,
    family_id    TEXT NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('customer', 'staff')),
    subject_id   TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    expires_at   TIMESTAMP NOT NULL,
    used_at      TIMESTAMP,
    replaced_by  TEXT,
    revoked_at   TIMESTAMP,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_subject_idx ON refresh_tokens (subject_kind, subject_id);

-- api_keys are secret integration keys (sk_...), shown once, stored as SHA-256.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'support', 'warehouse')),
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

-- login_attempts are fixed-window counters for rate limiting sign-in and
-- sign-up per IP and per e-mail, shared by every API node.
CREATE TABLE login_attempts (
    bucket       TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX login_attempts_window_idx ON login_attempts (window_start);

-- +goose Down
DROP TABLE login_attempts;
DROP TABLE api_keys;
DROP TABLE refresh_tokens;
DROP TABLE staff_users;
DROP TABLE customers;
