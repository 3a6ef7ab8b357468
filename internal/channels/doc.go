// Package channels owns sales channels (the web store, a mobile app, a
// point of sale, social and marketplace catalogs), the warehouses that
// fulfil each of them in priority order, and the publishable keys (pk_...)
// that scope a store request to one channel. It turns a key into a
// channel.Scope at the edge of every store request (Resolve); catalog,
// checkout and inventory read that scope from the context. Every shop has
// one default web channel (channel.DefaultID): requests without a key get
// it, and every new warehouse fulfils it. docs/sales-channels.md.
package channels
