-- +goose Up
-- Payments waiting for the shopper (owned by internal/checkout;
-- docs/checkout.md "Payments that need the shopper").
--
-- checkout_payment_actions: one row per checkout whose payment the provider
-- answered with "requires_action" (3-D Secure, a PayPal or Klarna
-- redirect). While it is live (status requires_action, before expires_at)
-- the cart is held under claim_token = id and its stock stays reserved
-- (reservation_id). It ends completed (the order order_id was placed),
-- failed (the shopper failed the action: stock released, cart reopened) or
-- expired (nobody finished it: the provider's payment was given back).
-- The client fields are the first checkout request's, for an order that
-- the provider's webhook places.
CREATE TABLE checkout_payment_actions (
    id                TEXT PRIMARY KEY,
    cart_id           TEXT NOT NULL,
    order_id          TEXT NOT NULL,
    reservation_id    TEXT NOT NULL,
    provider          TEXT NOT NULL,
    method            TEXT NOT NULL,
    provider_ref      TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('requires_action', 'completed', 'failed', 'expired')),
    amount            BIGINT NOT NULL,
    currency          TEXT NOT NULL,
    next_action_type  TEXT NOT NULL,
    next_action_url   TEXT NOT NULL DEFAULT '',
    client_secret     TEXT NOT NULL DEFAULT '',
    return_url        TEXT NOT NULL DEFAULT '',
    customer_id       TEXT,
    client_ip         TEXT NOT NULL DEFAULT '',
    locale            TEXT NOT NULL DEFAULT '',
    session_id        TEXT NOT NULL DEFAULT '',
    anonymous_id      TEXT NOT NULL DEFAULT '',
    expires_at        TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (provider, provider_ref)
);
CREATE INDEX checkout_payment_actions_cart_idx ON checkout_payment_actions (cart_id, created_at);
CREATE INDEX checkout_payment_actions_live_idx ON checkout_payment_actions (status, expires_at);

-- checkout_payment_sessions: a payment the app confirms itself with the
-- provider's SDK (Stripe.js, the iOS and Android SDKs, Apple Pay, Google
-- Pay) before calling checkout with its id. order_id is the order id
-- planned for it (the provider's reference, so the reconciliation finds
-- the payment); amount is the cart's total when it was made: a checkout
-- whose cart total differs is refused (payment_session_stale). It ends
-- completed (its order was placed) or expired (its payment given back).
CREATE TABLE checkout_payment_sessions (
    id            TEXT PRIMARY KEY,
    cart_id       TEXT NOT NULL,
    order_id      TEXT NOT NULL UNIQUE,
    provider      TEXT NOT NULL,
    method        TEXT NOT NULL,
    provider_ref  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'completed', 'expired')),
    amount        BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    client_secret TEXT NOT NULL DEFAULT '',
    next_action_type TEXT NOT NULL DEFAULT '',
    next_action_url  TEXT NOT NULL DEFAULT '',
    return_url    TEXT NOT NULL DEFAULT '',
    expires_at    TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (provider, provider_ref)
);
CREATE INDEX checkout_payment_sessions_cart_idx ON checkout_payment_sessions (cart_id, created_at);
CREATE INDEX checkout_payment_sessions_open_idx ON checkout_payment_sessions (status, expires_at);

-- +goose Down
DROP TABLE checkout_payment_sessions;
DROP TABLE checkout_payment_actions;
