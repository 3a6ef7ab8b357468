package api

import (
	"context"

	"storekeep/internal/customers"
)

// customerAccounts is the customers service as checkout sees it.
type customerAccounts struct{ *customers.Service }

// CustomerEmail returns the account's e-mail (a customer's cart starts with it).
func (c customerAccounts) CustomerEmail(ctx context.Context, customerID string) (string, error) {
	cu, err := c.Get(ctx, customerID)
	return cu.Email, err
}
