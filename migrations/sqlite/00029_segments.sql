-- +goose Up
-- Segments (docs/customers.md, "Segments"). Owned by internal/customers.
--
-- customer_groups.rules: a JSON list of rules combined with AND. NULL is a
-- manual group (members added by staff or automations); a list makes a
-- rule-based group (a segment) whose members the recompute job keeps.
ALTER TABLE customer_groups ADD COLUMN rules TEXT;

-- +goose Down
ALTER TABLE customer_groups DROP COLUMN rules;
