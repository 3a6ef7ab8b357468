-- +goose Up
-- last_hit_us is when a rate-limit bucket was last hit, in Unix microseconds
-- (0: never); an integer so that it compares exactly on both databases.
-- Sign-in throttling makes a client that failed on an account wait a
-- growing delay from the account's last failure (docs/auth.md). Owned by
-- internal/platform/auth.
ALTER TABLE login_attempts ADD COLUMN last_hit_us BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE login_attempts DROP COLUMN last_hit_us;
