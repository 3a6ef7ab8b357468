package customers

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"storekeep/internal/platform/address"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Every query in this file has customer_id in its WHERE clause: an address id
// alone never reaches a row (OWASP API1, BOLA), so another customer's address
// is indistinguishable from a missing one.

// Addresses lists a customer's addresses, oldest first.
func (s *Service) Addresses(ctx context.Context, customerID string, pr page.Request) (page.List[Address], error) {
	var rows []Address
	q := s.db.Conn(ctx).Where("customer_id = ?", customerID).Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Address]{}, fmt.Errorf("list addresses: %w", err)
	}
	for i := range rows {
		rows[i].normalise()
	}
	return page.Build(rows, pr.Limit, func(a Address) page.Cursor { return page.Cursor{ID: a.ID} }), nil
}

// Address returns one of the customer's addresses; another customer's
// address is ErrAddressNotFound, exactly like a missing one. Checkout uses it
// to copy a saved address onto a cart.
func (s *Service) Address(ctx context.Context, customerID, addressID string) (Address, error) {
	if !id.Valid("addr", addressID) || !id.Valid("cus", customerID) {
		return Address{}, ErrAddressNotFound
	}
	var a Address
	err := s.db.Conn(ctx).Where("id = ? AND customer_id = ?", addressID, customerID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Address{}, ErrAddressNotFound
	}
	if err != nil {
		return Address{}, fmt.Errorf("read address: %w", err)
	}
	a.normalise()
	return a, nil
}

// DefaultAddresses returns the customer's default shipping and billing
// addresses; either is nil when the customer has none.
func (s *Service) DefaultAddresses(ctx context.Context, customerID string) (shipping, billing *address.Address, err error) {
	var rows []Address
	err = s.db.Conn(ctx).Where("customer_id = ? AND (is_default_shipping = ? OR is_default_billing = ?)",
		customerID, true, true).Find(&rows).Error
	if err != nil {
		return nil, nil, fmt.Errorf("read default addresses: %w", err)
	}
	for _, a := range rows {
		p := a.Postal()
		if a.IsDefaultShipping {
			shipping = &p
		}
		if a.IsDefaultBilling {
			billing = &p
		}
	}
	return shipping, billing, nil
}

// CreateAddress validates in and adds it to the customer's book (at most
// MaxAddresses). The first address becomes both defaults.
func (s *Service) CreateAddress(ctx context.Context, customerID string, in AddressInput) (Address, error) {
	p := in.postal().Normalize()
	if err := p.Validate(""); err != nil {
		return Address{}, err
	}
	now := s.clock()
	a := Address{ID: id.New("addr"), CustomerID: customerID, IsDefaultShipping: in.IsDefaultShipping,
		IsDefaultBilling: in.IsDefaultBilling, CreatedAt: now, UpdatedAt: now}
	a.setPostal(p)
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.lockCustomer(ctx, customerID); err != nil {
			return err
		}
		var n int64
		if err := s.db.Conn(ctx).Model(&Address{}).Where("customer_id = ?", customerID).Count(&n).Error; err != nil {
			return fmt.Errorf("count addresses: %w", err)
		}
		if n >= MaxAddresses {
			return ErrAddressLimit
		}
		if n == 0 {
			a.IsDefaultShipping, a.IsDefaultBilling = true, true
		}
		if err := s.clearDefaults(ctx, a); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Create(&a).Error; err != nil {
			return fmt.Errorf("insert address: %w", err)
		}
		return s.queueCustomerRecompute(ctx, customerID) // country rules
	})
	if err != nil {
		return Address{}, err
	}
	return a, nil
}

// UpdateAddress applies p to one of the customer's addresses.
func (s *Service) UpdateAddress(ctx context.Context, customerID, addressID string, p AddressPatch) (Address, error) {
	var out Address
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.lockCustomer(ctx, customerID); err != nil {
			return mapMissingCustomer(err)
		}
		a, err := s.Address(ctx, customerID, addressID)
		if err != nil {
			return err
		}
		postal := p.apply(a.Postal()).Normalize()
		if err := postal.Validate(""); err != nil {
			return err
		}
		a.setPostal(postal)
		if p.IsDefaultShipping != nil {
			a.IsDefaultShipping = *p.IsDefaultShipping
		}
		if p.IsDefaultBilling != nil {
			a.IsDefaultBilling = *p.IsDefaultBilling
		}
		if err := s.clearDefaults(ctx, a); err != nil {
			return err
		}
		a.UpdatedAt = s.clock()
		err = s.db.Conn(ctx).Model(&Address{}).Where("id = ? AND customer_id = ?", a.ID, customerID).
			Select("first_name", "last_name", "company", "line1", "line2", "city", "province", "postal_code",
				"country_code", "phone", "is_default_shipping", "is_default_billing", "updated_at").
			UpdateColumns(&a).Error
		if err != nil {
			return fmt.Errorf("update address: %w", err)
		}
		out = a
		return s.queueCustomerRecompute(ctx, customerID) // country rules
	})
	return out, err
}

// DeleteAddress removes one of the customer's addresses. Orders keep their
// own copy of an address, so nothing else refers to it.
func (s *Service) DeleteAddress(ctx context.Context, customerID, addressID string) error {
	if !id.Valid("addr", addressID) {
		return ErrAddressNotFound
	}
	res := s.db.Conn(ctx).Where("id = ? AND customer_id = ?", addressID, customerID).Delete(&Address{})
	if res.Error != nil {
		return fmt.Errorf("delete address: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrAddressNotFound
	}
	return s.queueCustomerRecompute(ctx, customerID) // country rules
}

// clearDefaults takes the default flags a sets off the customer's other
// addresses, before a is written (the partial unique indexes allow one each).
func (s *Service) clearDefaults(ctx context.Context, a Address) error {
	for col, set := range map[string]bool{"is_default_shipping": a.IsDefaultShipping,
		"is_default_billing": a.IsDefaultBilling} {
		if !set {
			continue
		}
		err := s.db.Conn(ctx).Model(&Address{}).
			Where("customer_id = ? AND id <> ? AND "+col+" = ?", a.CustomerID, a.ID, true).
			Updates(map[string]any{col: false, "updated_at": s.clock()}).Error
		if err != nil {
			return fmt.Errorf("clear %s: %w", col, err)
		}
	}
	return nil
}

// lockCustomer serializes address-book writes of one customer: the no-op
// UPDATE takes the customer's row lock on PostgreSQL until the transaction
// ends (SQLite write transactions are already serial), so two concurrent
// additions cannot both pass the MaxAddresses count. A missing or archived
// customer is ErrNotFound.
func (s *Service) lockCustomer(ctx context.Context, customerID string) error {
	res := s.db.Conn(ctx).Exec("UPDATE customers SET updated_at = updated_at WHERE id = ? AND archived_at IS NULL",
		customerID)
	if res.Error != nil {
		return fmt.Errorf("lock customer: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// mapMissingCustomer answers an address route of a vanished customer like a
// missing address.
func mapMissingCustomer(err error) error {
	if errors.Is(err, ErrNotFound) {
		return ErrAddressNotFound
	}
	return err
}
