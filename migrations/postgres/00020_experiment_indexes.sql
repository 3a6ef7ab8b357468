-- +goose Up
-- What experiment results read (internal/metrics): the sessions exposed to
-- an experiment's arms, and the orders of those sessions.
CREATE INDEX metric_events_exposure ON metric_events (experiment_id, arm, session_id) WHERE type = 'experiment_exposure';
CREATE INDEX orders_session_idx ON orders (session_id) WHERE session_id <> '';

-- +goose Down
DROP INDEX orders_session_idx;
DROP INDEX metric_events_exposure;
