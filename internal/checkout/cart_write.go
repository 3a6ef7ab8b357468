package checkout

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"storekeep/internal/platform/address"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// CreateCart starts a cart in a currency. A customer's cart belongs to them
// (and starts with their e-mail); a guest's cart is reachable by its id.
// Creations are limited per client IP (countCartCreation).
func (s *Service) CreateCart(ctx context.Context, actor auth.Actor, in CreateCartInput, meta Meta) (Cart, error) {
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if !money.ValidCurrency(in.Currency) {
		return Cart{}, errs.Invalidf("currency", "unknown currency")
	}
	if err := s.countCartCreation(ctx, meta.IP); err != nil {
		return Cart{}, err
	}
	r := cartRow{ID: id.New("cart"), Email: auth.NormalizeEmail(in.Email), Currency: in.Currency,
		SalesChannelID: channel.DefaultID, Status: CartOpen, SessionID: clip(meta.SessionID, 100), AnonymousID: clip(meta.AnonymousID, 100)}
	if sc, ok := channel.FromContext(ctx); ok {
		r.SalesChannelID = sc.ID
	}
	if r.Email != "" {
		if err := auth.CheckEmail("email", r.Email); err != nil {
			return Cart{}, err
		}
	}
	if actor.Kind == auth.Customer {
		cid := actor.ID
		r.CustomerID = &cid
		if r.Email == "" {
			email, err := s.customers.CustomerEmail(ctx, actor.ID)
			if err != nil {
				return Cart{}, err
			}
			r.Email = email
		}
	}
	var out Cart
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		// The currency must be sold somewhere: a region prices, taxes and ships it.
		reg, err := s.RegionFor(ctx, r.Currency, "")
		if err != nil {
			return err
		}
		r.RegionID = &reg.ID
		now := s.now()
		r.CreatedAt, r.UpdatedAt = now, now
		if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
			return fmt.Errorf("create cart: %w", err)
		}
		out, err = s.view(ctx, r)
		return err
	})
	return out, err
}

// Cart returns a cart with its totals.
func (s *Service) Cart(ctx context.Context, actor auth.Actor, cartID string) (Cart, error) {
	r, err := s.cartFor(ctx, actor, cartID)
	if err != nil {
		return Cart{}, err
	}
	return s.view(ctx, r)
}

// UpdateCart sets the e-mail and addresses. A new shipping country may move
// the cart to another region (tax, shipping options); a shipping method that
// the new region does not offer is dropped. A new e-mail under which a code
// on the cart would be used up is refused (checkBuyerChange) and nothing
// changes.
func (s *Service) UpdateCart(ctx context.Context, actor auth.Actor, cartID string, p CartPatch) (Cart, error) {
	set := map[string]any{}
	var fe []errs.FieldError
	if p.Email != nil {
		email := auth.NormalizeEmail(*p.Email)
		if e, ok := errs.As(auth.CheckEmail("email", email)); ok && email != "" {
			fe = append(fe, e.Fields...)
		}
		set["email"] = email
	}
	var ship *address.Address
	for _, a := range []struct {
		field string
		in    *address.Address
	}{{"shipping_address", p.ShippingAddress}, {"billing_address", p.BillingAddress}} {
		if a.in == nil {
			continue
		}
		n := a.in.Normalize()
		if err := n.Validate(a.field + "."); err != nil {
			var e *errs.Error
			if errors.As(err, &e) {
				fe = append(fe, e.Fields...)
			}
			continue
		}
		enc, err := encodeAddress(&n)
		if err != nil {
			return Cart{}, err
		}
		set[a.field] = enc
		if a.field == "shipping_address" {
			ship = &n
		}
	}
	if len(fe) > 0 {
		return Cart{}, errs.ErrValidation.WithFields(fe...)
	}
	return s.changeCart(ctx, actor, cartID, func(ctx context.Context, r *cartRow) error {
		if email, ok := set["email"].(string); ok && email != r.Email {
			if err := s.checkBuyerChange(ctx, *r, email); err != nil {
				return err
			}
		}
		if ship != nil {
			reg, err := s.RegionFor(ctx, r.Currency, ship.CountryCode)
			if err != nil {
				return withField(err, "shipping_address.country_code")
			}
			if r.RegionID == nil || *r.RegionID != reg.ID {
				set["region_id"] = reg.ID
				set["shipping_option_id"] = nil
			}
		}
		if len(set) == 0 {
			return nil
		}
		return s.db.Conn(ctx).Model(&cartRow{}).Where("id = ?", r.ID).Updates(set).Error
	})
}

// AddItem adds units of a variant, to its existing line if there is one.
// The unit price is the variant's price in the cart's currency now; a line
// that exists keeps its first price.
func (s *Service) AddItem(ctx context.Context, actor auth.Actor, cartID string, in AddItemInput) (Cart, error) {
	if err := checkQuantity(in.Quantity); err != nil {
		return Cart{}, err
	}
	if !id.Valid("var", in.VariantID) {
		return Cart{}, errs.Invalidf("variant_id", "unknown variant")
	}
	return s.changeCart(ctx, actor, cartID, func(ctx context.Context, r *cartRow) error {
		p, err := s.purchasable(ctx, in.VariantID, r.Currency)
		if err != nil {
			return err
		}
		if err := s.channelStock(ctx, &p); err != nil {
			return err
		}
		items, err := s.cartItems(ctx, r.ID)
		if err != nil {
			return err
		}
		qty := in.Quantity
		existing := false
		for _, it := range items {
			if it.VariantID == in.VariantID {
				qty += it.Quantity
				existing = true
			}
		}
		if qty > MaxLineQuantity {
			return ErrCartTooBig.WithDetail("at most %d units of one variant per cart", MaxLineQuantity).
				WithFields(errs.FieldError{Field: "quantity", Message: fmt.Sprintf("the line would hold %d units; at most %d", qty, MaxLineQuantity)})
		}
		if !existing && len(items) >= MaxCartLines {
			return ErrCartTooBig.WithDetail("at most %d lines per cart", MaxCartLines)
		}
		if err := checkStock(p.Available, p.Backorder, qty); err != nil {
			return err
		}
		now := s.now()
		row := cartItemRow{ID: id.New("citem"), CartID: r.ID, VariantID: in.VariantID, Quantity: in.Quantity,
			UnitPrice: p.Price.Minor, CreatedAt: now, UpdatedAt: now}
		// One statement whether or not the line exists; the cart lock above
		// serialises concurrent adds, the upsert keeps UNIQUE(cart, variant).
		return s.db.Conn(ctx).Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "cart_id"}, {Name: "variant_id"}},
			DoUpdates: clause.Assignments(map[string]any{
				"quantity":   gorm.Expr("cart_items.quantity + ?", in.Quantity),
				"updated_at": now,
			}),
		}).Create(&row).Error
	})
}

// UpdateItem sets a line's quantity.
func (s *Service) UpdateItem(ctx context.Context, actor auth.Actor, cartID, itemID string, in ItemPatch) (Cart, error) {
	if err := checkQuantity(in.Quantity); err != nil {
		return Cart{}, err
	}
	return s.changeCart(ctx, actor, cartID, func(ctx context.Context, r *cartRow) error {
		it, err := s.cartItem(ctx, r.ID, itemID)
		if err != nil {
			return err
		}
		if in.Quantity > it.Quantity {
			p, err := s.purchasable(ctx, it.VariantID, r.Currency)
			if err != nil {
				return err
			}
			if err := s.channelStock(ctx, &p); err != nil {
				return err
			}
			if err := checkStock(p.Available, p.Backorder, in.Quantity); err != nil {
				return err
			}
		}
		return s.db.Conn(ctx).Model(&cartItemRow{}).Where("id = ? AND cart_id = ?", it.ID, r.ID).
			Updates(map[string]any{"quantity": in.Quantity, "updated_at": s.now()}).Error
	})
}

// RemoveItem deletes a line.
func (s *Service) RemoveItem(ctx context.Context, actor auth.Actor, cartID, itemID string) (Cart, error) {
	return s.changeCart(ctx, actor, cartID, func(ctx context.Context, r *cartRow) error {
		it, err := s.cartItem(ctx, r.ID, itemID)
		if err != nil {
			return err
		}
		return s.db.Conn(ctx).Where("id = ? AND cart_id = ?", it.ID, r.ID).Delete(&cartItemRow{}).Error
	})
}

// changeCart locks an open cart the actor may change, runs edit, and
// returns the cart as it is after the change, all in one transaction.
func (s *Service) changeCart(ctx context.Context, actor auth.Actor, cartID string,
	edit func(ctx context.Context, r *cartRow) error) (Cart, error) {
	var out Cart
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.lockOpenCart(ctx, actor, cartID)
		if err != nil {
			return err
		}
		if err := edit(ctx, &r); err != nil {
			return err
		}
		if r, err = s.cartFor(ctx, actor, cartID); err != nil {
			return err
		}
		out, err = s.view(ctx, r)
		return err
	})
	return out, err
}

func (s *Service) cartItem(ctx context.Context, cartID, itemID string) (cartItemRow, error) {
	if !id.Valid("citem", itemID) {
		return cartItemRow{}, ErrItemNotFound
	}
	var it cartItemRow
	err := s.db.Conn(ctx).Where("id = ? AND cart_id = ?", itemID, cartID).Take(&it).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return cartItemRow{}, ErrItemNotFound
	}
	if err != nil {
		return cartItemRow{}, fmt.Errorf("read cart item: %w", err)
	}
	return it, nil
}

// purchasable returns a variant that can be bought in currency, or 422.
func (s *Service) purchasable(ctx context.Context, variantID, currency string) (purchasableVariant, error) {
	m, err := s.cat.Purchasables(ctx, []string{variantID}, currency)
	if err != nil {
		return purchasableVariant{}, err
	}
	p, ok := m[variantID]
	if !ok {
		return purchasableVariant{}, errs.Invalidf("variant_id", "unknown variant")
	}
	if !p.Published || !p.HasPrice {
		return purchasableVariant{}, ErrVariantUnavailable.WithFields(errs.FieldError{Field: "variant_id",
			Message: "is not for sale in " + currency})
	}
	if !p.OnChannel {
		return purchasableVariant{}, ErrVariantUnavailable.WithFields(errs.FieldError{Field: "variant_id",
			Message: "is not sold on this sales channel"})
	}
	return p, nil
}

// channelStock replaces p's shop-wide availability by the one of the sales
// channel ctx is scoped to, when the channel does not sell from every
// active warehouse (a cart on it can only be filled from its own).
func (s *Service) channelStock(ctx context.Context, p *purchasableVariant) error {
	sc, ok := channel.FromContext(ctx)
	if !ok || sc.AllWarehouses {
		return nil
	}
	av, err := s.inv.AvailableIn(ctx, sc.WarehouseIDs, []string{p.VariantID})
	if err != nil {
		return err
	}
	p.Available = av[p.VariantID]
	return nil
}

func checkQuantity(q int64) error {
	if q < 1 || q > MaxLineQuantity {
		return errs.Invalidf("quantity", "must be between 1 and %d", MaxLineQuantity)
	}
	return nil
}

// checkStock refuses a line the shop cannot fill now (checkout reserves
// again, atomically; this only spares the shopper a surprise there).
func checkStock(available int64, backorder bool, qty int64) error {
	if backorder || qty <= available {
		return nil
	}
	return ErrInsufficientStock.WithDetail("only %d available", max(available, 0)).
		WithFields(errs.FieldError{Field: "quantity", Message: fmt.Sprintf("only %d available", max(available, 0))})
}

// withField names field on a bare domain error that has no field yet.
func withField(err error, field string) error {
	var e *errs.Error
	if errors.As(err, &e) && len(e.Fields) == 0 {
		return e.WithFields(errs.FieldError{Field: field, Message: e.Message})
	}
	return err
}

// onDiscount names the cart's code in a promotion error raised at checkout:
// the rules say "code" (the field of the apply request), checkout's answer
// says which of the cart's codes, as discounts.<CODE>.
func onDiscount(err error, code string) error {
	var e *errs.Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Fields = nil
	for _, f := range e.Fields {
		if f.Field == "code" {
			f.Field = "discounts." + code
		}
		c.Fields = append(c.Fields, f)
	}
	if len(c.Fields) == 0 {
		c.Fields = []errs.FieldError{{Field: "discounts." + code, Message: e.Message}}
	}
	return &c
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
