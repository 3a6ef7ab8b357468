// Package inventory owns stock: warehouses, stock levels per variant and
// warehouse, the append-only movement ledger, checkout reservations, and (in
// the purchasing files) suppliers, purchase orders, forecasting and reordering.
//
// Invariants kept here, on both SQLite and PostgreSQL:
//   - 0 <= reserved <= on_hand on every level (CHECK constraints back up the
//     conditional updates that enforce it), so available = on_hand - reserved
//     is never negative and no unit is promised twice;
//   - every change to on_hand goes through move (ledger.go): one conditional
//     UPDATE plus one stock_movements row in the same transaction, so on_hand
//     always equals the sum of the level's movement deltas;
//   - reservations change reserved only with conditional updates checked by
//     RowsAffected (never read-then-write), and lock levels in (variant_id,
//     warehouse_id) order so concurrent checkouts cannot deadlock;
//   - the catalog's variants.available equals the sum over active warehouses
//     of on_hand - reserved; every stock change adjusts it in the same
//     transaction (Catalog.AddAvailable).
//
// Every exported write method runs in db.WithTx, so a caller that already
// holds a transaction in ctx (checkout, purchase receiving) gets all of it
// atomically. Low-stock hooks (OnLowStock) run inside that transaction too, so
// the work they enqueue commits or rolls back with the stock change.
package inventory
