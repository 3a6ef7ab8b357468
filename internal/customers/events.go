package customers

import (
	"context"

	"storekeep/internal/platform/events"
	"storekeep/internal/platform/money"
)

// EventCustomerCreated is recorded in the outbox when an account is made
// (sign-up, or Create for trusted callers), in the same transaction, with
// the customer as the staff API returns it (GET /v1/admin/customers/{id}):
// never the password hash. Guests who only check out are not customers.
const EventCustomerCreated = "customer.created"

// recordCreated records customer.created for c, just inserted: a new
// account has no addresses, groups or orders yet, so nothing is read back.
func (s *Service) recordCreated(ctx context.Context, c Customer) error {
	d := c.detail([]Address{}, []Group{}, OrderStats{LifetimeSpend: []money.Amount{}})
	return events.Record(ctx, s.db, EventCustomerCreated, c.ID, d)
}
