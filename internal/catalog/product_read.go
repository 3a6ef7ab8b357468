package catalog

import (
	"context"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// StoreView is how a storefront asks for products: language and currency.
type StoreView struct {
	Locale LocaleRequest
	// Currency, when set, limits prices to it and adds Product.Price.
	Currency string
}

// resolve checks the currency and picks the locale.
func (s *Service) resolve(ctx context.Context, sv StoreView) (view, error) {
	v := view{currency: strings.ToUpper(sv.Currency), scope: scopeOf(ctx)}
	if v.currency != "" && !money.ValidCurrency(v.currency) {
		return view{}, validation(fieldError("currency", "must be a supported ISO 4217 currency code"))
	}
	var err error
	v.locale, v.chain, err = s.resolveLocale(ctx, sv.Locale)
	return v, err
}

// StoreProduct returns a published product by id or handle, localised and
// priced for sv. Drafts, archived and unknown products are ErrProductNotFound.
func (s *Service) StoreProduct(ctx context.Context, idOrHandle string, sv StoreView) (Product, error) {
	v, err := s.resolve(ctx, sv)
	if err != nil {
		return Product{}, err
	}
	col := "p.handle"
	switch {
	case id.Valid("prod", idOrHandle):
		col = "p.id"
	case !ValidHandle(idOrHandle):
		return Product{}, ErrProductNotFound
	}
	where, args := col+" = ? AND p.status = ?", []any{idOrHandle, StatusPublished}
	if v.scope != nil { // a product off the request's channel is not found
		where, args = where+" AND "+onChannelSQL, append(args, v.scope.ID)
	}
	res, err := s.db.Conn(ctx).Raw("SELECT "+productCols+" FROM products p WHERE "+where, args...).Rows()
	if err != nil {
		return Product{}, err
	}
	rows, err := scanProducts(res, false)
	if err != nil {
		return Product{}, err
	}
	if len(rows) == 0 {
		return Product{}, ErrProductNotFound
	}
	ps, err := s.assemble(ctx, rows, v)
	if err != nil {
		return Product{}, err
	}
	return ps[0], nil
}

// AdminProduct returns any product by id, with costs and translations.
func (s *Service) AdminProduct(ctx context.Context, actor auth.Actor, productID string) (Product, error) {
	if err := canRead(actor); err != nil {
		return Product{}, err
	}
	if !id.Valid("prod", productID) {
		return Product{}, ErrProductNotFound
	}
	return s.loadAdmin(ctx, productID)
}

// loadAdmin reads the admin view of a product.
func (s *Service) loadAdmin(ctx context.Context, productID string) (Product, error) {
	res, err := s.db.Conn(ctx).Raw("SELECT "+productCols+" FROM products p WHERE p.id = ?", productID).Rows()
	if err != nil {
		return Product{}, err
	}
	rows, err := scanProducts(res, false)
	if err != nil {
		return Product{}, err
	}
	if len(rows) == 0 {
		return Product{}, ErrProductNotFound
	}
	ps, err := s.assemble(ctx, rows, view{admin: true})
	if err != nil {
		return Product{}, err
	}
	return ps[0], nil
}
