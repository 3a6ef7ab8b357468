-- +goose Up
-- The tax rate and the name of the region that taxed an order, frozen at
-- checkout like its amounts, so the order's tax lines can be shown (and
-- invoiced) even after the region's rate changes. Owned by internal/orders.
ALTER TABLE orders ADD COLUMN tax_rate BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN tax_name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orders DROP COLUMN tax_name;
ALTER TABLE orders DROP COLUMN tax_rate;
