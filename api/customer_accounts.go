package api

import (
	"context"
	"errors"

	"storekeep/internal/customers"
	"storekeep/internal/platform/errs"
)

// customerAccounts is the customers service as checkout sees it.
type customerAccounts struct{ *customers.Service }

// CustomerEmail returns the account's e-mail (a customer's cart starts with
// it). A closed (archived) account is 401: its access token is still
// unexpired, but it must not open carts or pay: a stateless token cannot be
// recalled, so the routes that move money check the account itself
// (docs/security.md).
func (c customerAccounts) CustomerEmail(ctx context.Context, customerID string) (string, error) {
	cu, err := c.Get(ctx, customerID)
	if errors.Is(err, customers.ErrNotFound) {
		return "", errs.ErrAuth.WithDetail("the account is closed")
	}
	return cu.Email, err
}
