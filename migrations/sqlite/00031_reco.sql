-- +goose Up
-- Reviews and recommendations (docs/reviews.md, docs/recommendations.md).
-- reviews is owned by internal/reviews; co_purchases and
-- co_purchase_orders by internal/reco.
--
-- reviews: a customer's rating of a variant they received in a delivered
-- order, once per customer and variant. Only approved reviews are shown
-- to shoppers and counted in a product's rating.
CREATE TABLE reviews (
    id                TEXT PRIMARY KEY,
    customer_id       TEXT NOT NULL,
    order_id          TEXT NOT NULL,
    product_id        TEXT NOT NULL,
    variant_id        TEXT NOT NULL,
    rating            INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title             TEXT NOT NULL DEFAULT '',
    body              TEXT NOT NULL DEFAULT '',
    author_name       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    moderation_reason TEXT NOT NULL DEFAULT '',
    moderated_by      TEXT NOT NULL DEFAULT '',
    moderated_at      TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    UNIQUE (customer_id, variant_id)
);
CREATE INDEX reviews_product_idx ON reviews (product_id, status, id);
CREATE INDEX reviews_status_idx ON reviews (status, id);

-- co_purchases: how many orders contained both product_id and other_id
-- (each pair stored both ways), kept up to date by a consumer of order
-- events; co_purchase_orders makes that consumer count each order once.
CREATE TABLE co_purchases (
    product_id TEXT NOT NULL,
    other_id   TEXT NOT NULL,
    orders     BIGINT NOT NULL CHECK (orders >= 0),
    PRIMARY KEY (product_id, other_id)
);
CREATE INDEX co_purchases_rank_idx ON co_purchases (product_id, orders DESC, other_id);
CREATE TABLE co_purchase_orders (
    order_id   TEXT PRIMARY KEY,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE co_purchase_orders;
DROP TABLE co_purchases;
DROP TABLE reviews;
