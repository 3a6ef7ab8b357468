package db

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

type txKey struct{}

// WithTx runs fn in a transaction carried by the ctx it passes to fn. If ctx
// already carries one, fn joins it, so services compose: checkout can call the
// inventory service inside its own transaction. fn's error rolls back.
func (d *DB) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	return d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// Conn returns the transaction in ctx, or the pool bound to ctx.
func (d *DB) Conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return d.gorm.WithContext(ctx)
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

// LockKeys serialises transactions that name the same key until they end:
// on PostgreSQL each key takes a transaction-scoped advisory lock (in sorted
// order, so two transactions naming the same keys cannot deadlock); SQLite
// runs one writer at a time already. It must run inside a transaction. Use
// it for a check-then-insert rule that no row lock can guard, such as a cap
// on how many rows of a kind one client may have.
func (d *DB) LockKeys(ctx context.Context, keys ...string) error {
	if !InTx(ctx) {
		return fmt.Errorf("db: LockKeys outside a transaction")
	}
	if d.dialect != Postgres {
		return nil
	}
	keys = slices.Clone(keys)
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if err := d.Conn(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, k).Error; err != nil {
			return fmt.Errorf("lock %q: %w", k, err)
		}
	}
	return nil
}
