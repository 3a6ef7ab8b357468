package api

// WithoutCheckoutEvents builds a server whose checkouts record no outbox
// events (orders.WithoutCheckoutEvents): the baseline of the "Events per
// checkout" benchmark (docs/benchmarks.md). Tests only.
func WithoutCheckoutEvents(o *Options) { o.benchNoCheckoutEvents = true }
