-- +goose Up
-- The catalog. Products are never deleted (archived instead), so order and stock
-- history can always point at them. JSON-shaped columns are TEXT holding JSON.
-- search_a (titles) and search_b (descriptions, tags) are ASCII-folded by the
-- service from the product and its translations; products_fts indexes them.
CREATE TABLE products (
    -- seq is the stable rowid products_fts points at: VACUUM may renumber the
    -- implicit rowid of a table without an INTEGER PRIMARY KEY.
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    handle          TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    tags            TEXT NOT NULL DEFAULT '[]',
    attributes      TEXT NOT NULL DEFAULT '{}',
    seo_title       TEXT NOT NULL DEFAULT '',
    seo_description TEXT NOT NULL DEFAULT '',
    sort_title      TEXT NOT NULL DEFAULT '',
    search_a        TEXT NOT NULL DEFAULT '',
    search_b        TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    archived_at     TIMESTAMP
);
-- newest-first store listing and admin listing by status
CREATE INDEX products_status_id ON products (status, id);
CREATE INDEX products_status_sort_title ON products (status, sort_title, id);

CREATE VIRTUAL TABLE products_fts USING fts5(
    search_a, search_b,
    content = 'products', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, search_a, search_b) VALUES (new.seq, new.search_a, new.search_b);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_a, search_b)
    VALUES ('delete', old.seq, old.search_a, old.search_b);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER products_fts_update AFTER UPDATE OF search_a, search_b ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_a, search_b)
    VALUES ('delete', old.seq, old.search_a, old.search_b);
    INSERT INTO products_fts (rowid, search_a, search_b) VALUES (new.seq, new.search_a, new.search_b);
END;
-- +goose StatementEnd

-- product_options are a product's option axes (Size, Scent) in display order;
-- vals is a JSON array of the allowed values.
CREATE TABLE product_options (
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    vals       TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (product_id, position),
    UNIQUE (product_id, name)
);

-- variants are what is sold. A removed variant is archived, not deleted, and
-- keeps its SKU reserved: stock ledgers and orders refer to it.
CREATE TABLE variants (
    id              TEXT PRIMARY KEY,
    product_id      TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku             TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    options         TEXT NOT NULL DEFAULT '{}',
    cost_amount     BIGINT,
    cost_currency   TEXT,
    weight_grams    INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
    position        INTEGER NOT NULL DEFAULT 0,
    allow_backorder BOOLEAN NOT NULL DEFAULT FALSE,
    -- available is a placeholder for sellable stock until inventory owns it.
    available       INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    archived_at     TIMESTAMP,
    CHECK ((cost_amount IS NULL AND cost_currency IS NULL)
        OR (cost_amount IS NOT NULL AND cost_currency IS NOT NULL AND cost_amount >= 0))
);
CREATE INDEX variants_product ON variants (product_id, position);

-- variant_prices holds one price per variant and currency, for live variants
-- only. product_id is copied from the variant so listing filters and sorts by
-- price without a join.
CREATE TABLE variant_prices (
    variant_id TEXT NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    currency   TEXT NOT NULL,
    amount     BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (variant_id, currency)
);
CREATE INDEX variant_prices_product ON variant_prices (product_id, currency, amount);

-- categories form a tree; a parent with children cannot be deleted.
CREATE TABLE categories (
    id          TEXT PRIMARY KEY,
    parent_id   TEXT REFERENCES categories (id),
    handle      TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id);

CREATE TABLE product_categories (
    product_id  TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, category_id)
);
CREATE INDEX product_categories_category ON product_categories (category_id, product_id);

CREATE TABLE collections (
    id          TEXT PRIMARY KEY,
    handle      TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE product_collections (
    product_id    TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, collection_id)
);
CREATE INDEX product_collections_collection ON product_collections (collection_id, product_id);

CREATE TABLE product_images (
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    url        TEXT NOT NULL,
    alt        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, position)
);

-- translations of products, categories and collections. title holds a
-- category's name. An empty field falls back to the default language.
CREATE TABLE translations (
    entity_type     TEXT NOT NULL CHECK (entity_type IN ('product', 'category', 'collection')),
    entity_id       TEXT NOT NULL,
    locale          TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    seo_title       TEXT NOT NULL DEFAULT '',
    seo_description TEXT NOT NULL DEFAULT '',
    sort_title      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (entity_type, entity_id, locale)
);
CREATE INDEX translations_locale ON translations (locale);

-- +goose Down
DROP TABLE translations;
DROP TABLE product_images;
DROP TABLE product_collections;
DROP TABLE collections;
DROP TABLE product_categories;
DROP TABLE categories;
DROP TABLE variant_prices;
DROP TABLE variants;
DROP TABLE product_options;
DROP TRIGGER products_fts_update;
DROP TRIGGER products_fts_delete;
DROP TRIGGER products_fts_insert;
DROP TABLE products_fts;
DROP TABLE products;
