-- +goose Up
-- claim_token identifies the checkout attempt that holds a cart in
-- 'completing': the attempt completes or reopens the cart only while the
-- token is still its own, so an attempt that was taken over (after a crash
-- or a stall past the claim timeout) cannot complete, reopen or void what
-- the newer attempt is doing. Owned by internal/checkout.
ALTER TABLE carts ADD COLUMN claim_token TEXT;

-- +goose Down
ALTER TABLE carts DROP COLUMN claim_token;
