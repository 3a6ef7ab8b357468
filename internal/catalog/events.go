package catalog

import (
	"context"

	"storekeep/internal/platform/events"
)

// The events the catalog records in the outbox (docs/events.md): one per
// product write through the API, in its transaction, carrying the product
// as the admin API returns it after the write.
const (
	// EventProductCreated: a product was created.
	EventProductCreated = "product.created"
	// EventProductUpdated: a product changed through the API: its fields,
	// variants, prices, translations, status (archiving included).
	EventProductUpdated = "product.updated"
)

// WithEventView sets how products appear in the catalog's events: the
// admin API's shape, which lives in the HTTP layer (the server passes
// admin.ProductOf). Without it an event carries only {"id": ...}.
func WithEventView(view func(Product) any) ServiceOption {
	return func(s *Service) { s.eventView = view }
}

// recordProduct records typ for p in the transaction in ctx.
func (s *Service) recordProduct(ctx context.Context, typ string, p Product) error {
	var payload any = map[string]string{"id": p.ID}
	if s.eventView != nil {
		payload = s.eventView(p)
	}
	return events.Record(ctx, s.db, typ, p.ID, payload)
}
