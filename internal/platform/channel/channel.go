// Package channel carries the sales channel a request is scoped to. The
// channels domain resolves it (from a publishable key, or the default web
// channel) at the edge of every store request; catalog, checkout and
// inventory read it from the context to scope products, stock and
// reservations. Code running outside a store request (jobs, staff routes,
// seeding) has no scope and sees everything, as before channels existed.
package channel

import "context"

// DefaultID is the id of the default web channel every shop has (created
// by migration 00032). Carts and orders written before channels existed,
// and store requests without a publishable key, belong to it.
const DefaultID = "sc_00000000000000000000000web"

// Scope is the sales channel a store request is scoped to.
type Scope struct {
	// ID is the channel's id.
	ID string
	// Kind is web, mobile, pos, social or marketplace.
	Kind string
	// WarehouseIDs are the channel's active warehouses in the channel's
	// priority order: stock is counted and reserved from these only.
	WarehouseIDs []string
	// AllWarehouses reports that WarehouseIDs are every active warehouse
	// of the shop: the shop-wide availability figures apply unchanged (the
	// cheap path for the default channel).
	AllWarehouses bool
}

// IsDefault reports whether s is the default web channel.
func (s Scope) IsDefault() bool { return s.ID == DefaultID }

type ctxKey struct{}

// NewContext returns ctx carrying s.
func NewContext(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, ctxKey{}, s)
}

// FromContext returns the scope ctx carries; ok is false outside a store
// request (no scoping applies).
func FromContext(ctx context.Context) (s Scope, ok bool) {
	s, ok = ctx.Value(ctxKey{}).(Scope)
	return s, ok
}
