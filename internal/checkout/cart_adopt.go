package checkout

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// AdoptCart gives a guest cart to the signed-in customer, typically right
// after they log in. If the customer already has an open cart in the same
// currency, the guest cart's lines are merged into it (quantities add up,
// capped at MaxLineQuantity; codes and addresses the customer's cart lacks
// are carried over) and the guest cart is closed as merged: the answer is
// then the customer's cart, with its own id, which the client must use from
// now on. Otherwise the guest cart itself becomes the customer's. Adopting a
// cart the customer already owns returns it unchanged; another customer's
// cart is 404. Signing in cannot fail on a discount code: a code the
// customer has already used up (per-customer limit) stays on the cart but
// stops applying, like an expired one: it is left out of the totals and
// checkout refuses it (422 promotion_exhausted) until it is removed.
func (s *Service) AdoptCart(ctx context.Context, actor auth.Actor, cartID string) (Cart, error) {
	if actor.Kind != auth.Customer {
		return Cart{}, errs.ErrForbidden
	}
	var out Cart
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		g, err := s.lockOpenCart(ctx, actor, cartID)
		if err != nil {
			return err
		}
		if g.CustomerID != nil { // already theirs (cartFor refused anyone else's)
			out, err = s.view(ctx, g)
			return err
		}
		var mine []cartRow
		// Only a cart of the same channel takes the lines in: each
		// reserves from its own channel's warehouses.
		err = s.db.Conn(ctx).Where("customer_id = ? AND status = ? AND currency = ? AND sales_channel_id = ? AND id <> ?",
			actor.ID, CartOpen, g.Currency, g.SalesChannelID, g.ID).Order("updated_at DESC, id DESC").Limit(1).Find(&mine).Error
		if err != nil {
			return fmt.Errorf("find customer's cart: %w", err)
		}
		if len(mine) == 0 {
			email := g.Email
			if email == "" {
				if email, err = s.customers.CustomerEmail(ctx, actor.ID); err != nil {
					return err
				}
			}
			res := s.db.Conn(ctx).Model(&cartRow{}).Where("id = ? AND customer_id IS NULL", g.ID).
				Updates(map[string]any{"customer_id": actor.ID, "email": email})
			if res.Error != nil {
				return fmt.Errorf("adopt cart: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				return ErrCartNotFound // someone else adopted it first
			}
			r, err := s.cartFor(ctx, actor, g.ID)
			if err != nil {
				return err
			}
			out, err = s.view(ctx, r)
			return err
		}
		t, err := s.lockOpenCart(ctx, actor, mine[0].ID)
		if err != nil {
			return err
		}
		if err := s.mergeInto(ctx, g, t); err != nil {
			return err
		}
		if t, err = s.cartFor(ctx, actor, t.ID); err != nil {
			return err
		}
		out, err = s.view(ctx, t)
		return err
	})
	return out, err
}

// mergeInto moves guest cart g's lines, codes and missing addresses into t
// and closes g as merged. Lines beyond MaxCartLines are dropped (the oldest
// lines of g go first).
func (s *Service) mergeInto(ctx context.Context, g, t cartRow) error {
	conn := s.db.Conn(ctx)
	items, err := s.cartItems(ctx, g.ID)
	if err != nil {
		return err
	}
	have, err := s.cartItems(ctx, t.ID)
	if err != nil {
		return err
	}
	// g's rows go first so the moved lines can keep their ids.
	if err := conn.Where("cart_id = ?", g.ID).Delete(&cartItemRow{}).Error; err != nil {
		return fmt.Errorf("empty merged cart: %w", err)
	}
	lines := len(have)
	present := map[string]bool{}
	for _, it := range have {
		present[it.VariantID] = true
	}
	now := s.now()
	for _, it := range items {
		if !present[it.VariantID] {
			if lines >= MaxCartLines {
				continue
			}
			lines++
		}
		row := cartItemRow{ID: it.ID, CartID: t.ID, VariantID: it.VariantID, Quantity: it.Quantity,
			UnitPrice: it.UnitPrice, CreatedAt: it.CreatedAt, UpdatedAt: now}
		// The moved line keeps its id; an existing line keeps its price and
		// adds the quantity, capped.
		err := conn.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "cart_id"}, {Name: "variant_id"}},
			DoUpdates: clause.Assignments(map[string]any{
				"quantity": gorm.Expr("CASE WHEN cart_items.quantity + ? > ? THEN ? ELSE cart_items.quantity + ? END",
					it.Quantity, MaxLineQuantity, MaxLineQuantity, it.Quantity),
				"updated_at": now,
			}),
		}).Create(&row).Error
		if err != nil {
			return fmt.Errorf("merge cart line: %w", err)
		}
	}
	ds, err := s.cartDiscounts(ctx, g.ID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		d.CartID = t.ID
		if err := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&d).Error; err != nil {
			return fmt.Errorf("merge cart code: %w", err)
		}
	}
	set := map[string]any{"updated_at": now}
	if t.ShippingAddress == nil && g.ShippingAddress != nil {
		set["shipping_address"] = g.ShippingAddress
		set["region_id"] = g.RegionID
		set["shipping_option_id"] = g.ShippingOptionID
	}
	if t.BillingAddress == nil && g.BillingAddress != nil {
		set["billing_address"] = g.BillingAddress
	}
	if err := conn.Model(&cartRow{}).Where("id = ?", t.ID).Updates(set).Error; err != nil {
		return fmt.Errorf("merge cart: %w", err)
	}
	return conn.Model(&cartRow{}).Where("id = ?", g.ID).
		Updates(map[string]any{"status": CartMerged, "updated_at": now}).Error
}
