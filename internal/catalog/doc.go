// Package catalog owns what a shop sells: products with options and variants,
// per-currency prices, categories (a tree), collections, images, SEO fields,
// free-form attributes and translations, plus the storefront listing with
// full-text search, filters, sorts and cursor pagination.
//
// Invariants kept here:
//   - handles (products, categories, collections) and SKUs are unique; a SKU
//     stays reserved after its variant is removed, because stock and order
//     history refer to it;
//   - every live variant's option values match its product's options exactly,
//     no two live variants share an option combination, and a product always
//     has at least one live variant;
//   - products are never deleted: DELETE archives them, and only published
//     products are visible on the store side;
//   - the category tree has no cycles;
//   - cost and translations are admin data: store views never carry them.
//
// Writes run in one transaction each (db.WithTx) and take the acting staff
// member, whose role the service checks itself, so every transport is covered.
package catalog
