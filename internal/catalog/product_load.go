package catalog

import (
	"context"
	"encoding/json"
	"fmt"

	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/money"
)

// view says how to present loaded products.
type view struct {
	admin    bool     // costs, translations, every status
	locale   string   // store: the locale used
	chain    []string // store: translation locales to read, best first
	currency string   // store: only prices in it, and Price set
	// scope is the store request's sales channel (nil outside one):
	// availability is counted over its warehouses.
	scope *channel.Scope
}

// productCols are the product columns reads select (not the search text).
const productCols = "p.id, p.handle, p.title, p.description, p.status, p.tags, p.attributes, p.seo_title, " +
	"p.seo_description, p.created_at, p.updated_at, p.archived_at"

// assemble loads the children of a page of rows in a fixed handful of queries
// (never one per product) and builds the products in rows' order.
func (s *Service) assemble(ctx context.Context, rows []productRow, v view) ([]Product, error) {
	out := make([]Product, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	at := make(map[string]*Product, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		p := &out[i]
		*p = Product{
			ID: r.ID, Handle: r.Handle, Title: r.Title, Description: r.Description, Status: r.Status,
			SEO:       SEO{Title: r.SEOTitle, Description: r.SEODescription},
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			CategoryIDs: []string{}, CollectionIDs: []string{}, Options: []Option{}, Variants: []Variant{}, Images: []Image{},
		}
		if r.ArchivedAt != nil {
			t := r.ArchivedAt.UTC()
			p.ArchivedAt = &t
		}
		if err := json.Unmarshal([]byte(r.Tags), &p.Tags); err != nil {
			return nil, fmt.Errorf("product %s tags: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(r.Attributes), &p.Attributes); err != nil {
			return nil, fmt.Errorf("product %s attributes: %w", r.ID, err)
		}
		at[r.ID] = p
	}
	if err := s.loadChildren(ctx, ids, at); err != nil {
		return nil, err
	}
	if err := s.loadVariants(ctx, ids, at, v); err != nil {
		return nil, err
	}
	if err := s.loadTranslations(ctx, ids, at, v); err != nil {
		return nil, err
	}
	if v.admin {
		for _, p := range at {
			p.SalesChannelIDs = []string{}
		}
		if err := s.loadSalesChannels(ctx, ids, at); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// childRow is one row of loadChildren's union: an option, an image or a
// category or collection link, told apart by kind.
type childRow struct {
	Kind      string
	ProductID string
	Position  int
	A, B      string
}

// loadChildren fills options, images, category ids and collection ids with a
// single query: the listing is bounded by round trips, not by rows.
func (s *Service) loadChildren(ctx context.Context, ids []string, at map[string]*Product) error {
	res, err := s.db.Conn(ctx).Raw(`
		SELECT 'o' AS kind, product_id, position, name AS a, CAST(vals AS TEXT) AS b FROM product_options WHERE product_id IN ?
		UNION ALL SELECT 'i', product_id, position, url, alt FROM product_images WHERE product_id IN ?
		UNION ALL SELECT 'c', product_id, 0, category_id, '' FROM product_categories WHERE product_id IN ?
		UNION ALL SELECT 'l', product_id, 0, collection_id, '' FROM product_collections WHERE product_id IN ?
		ORDER BY 1, 2, 3, 4`, ids, ids, ids, ids).Rows()
	if err != nil {
		return err
	}
	defer res.Close()
	for res.Next() {
		var r childRow
		if err := res.Scan(&r.Kind, &r.ProductID, &r.Position, &r.A, &r.B); err != nil {
			return err
		}
		p := at[r.ProductID]
		switch r.Kind {
		case "o":
			opt := Option{Name: r.A}
			if err := json.Unmarshal([]byte(r.B), &opt.Values); err != nil {
				return fmt.Errorf("product %s option %s: %w", r.ProductID, r.A, err)
			}
			p.Options = append(p.Options, opt)
		case "i":
			p.Images = append(p.Images, Image{URL: r.A, Alt: r.B})
		case "c":
			p.CategoryIDs = append(p.CategoryIDs, r.A)
		case "l":
			p.CollectionIDs = append(p.CollectionIDs, r.A)
		}
	}
	return res.Err()
}

// variantPriceRow is a variant joined with one of its prices (or none).
type variantPriceRow struct {
	ID             string
	ProductID      string
	SKU            string
	Title          string
	Options        string
	CostAmount     *int64
	CostCurrency   *string
	WeightGrams    int
	Position       int
	AllowBackorder bool
	Available      int
	PriceCurrency  *string
	PriceAmount    *int64
}

// loadVariants fills live variants and their prices (only the view's
// currency, when set) with one query.
func (s *Service) loadVariants(ctx context.Context, ids []string, at map[string]*Product, v view) error {
	avail, args := channelAvailable(v.scope)
	join := ""
	if v.currency != "" {
		join, args = " AND vp.currency = ?", append(args, v.currency)
	}
	res, err := s.db.Conn(ctx).Raw(`SELECT v.id, v.product_id, v.sku, v.title, v.options, v.cost_amount, v.cost_currency,
			v.weight_grams, v.position, v.allow_backorder, `+avail+` AS available,
			vp.currency AS price_currency, vp.amount AS price_amount
		FROM variants v LEFT JOIN variant_prices vp ON vp.variant_id = v.id`+join+`
		WHERE v.product_id IN ? AND v.archived_at IS NULL
		ORDER BY v.product_id, v.position, vp.currency`, append(args, ids)...).Rows()
	if err != nil {
		return err
	}
	defer res.Close()
	var cur *Variant
	for res.Next() {
		var r variantPriceRow
		err := res.Scan(&r.ID, &r.ProductID, &r.SKU, &r.Title, textCol{&r.Options}, &r.CostAmount, &r.CostCurrency,
			&r.WeightGrams, &r.Position, &r.AllowBackorder, &r.Available, &r.PriceCurrency, &r.PriceAmount)
		if err != nil {
			return err
		}
		p := at[r.ProductID]
		if cur == nil || cur.ID != r.ID {
			p.Variants = append(p.Variants, Variant{
				ID: r.ID, SKU: r.SKU, Title: r.Title, WeightGrams: r.WeightGrams, Position: r.Position,
				AllowBackorder: r.AllowBackorder, Available: r.Available, InStock: r.Available > 0 || r.AllowBackorder,
				Prices: []money.Amount{},
			})
			cur = &p.Variants[len(p.Variants)-1]
			if err := json.Unmarshal([]byte(r.Options), &cur.Options); err != nil {
				return fmt.Errorf("variant %s options: %w", r.ID, err)
			}
			if v.admin && r.CostAmount != nil && r.CostCurrency != nil {
				cur.Cost = &money.Amount{Minor: *r.CostAmount, Currency: *r.CostCurrency}
			}
		}
		if r.PriceCurrency == nil || r.PriceAmount == nil {
			continue
		}
		a := money.Amount{Minor: *r.PriceAmount, Currency: *r.PriceCurrency}
		cur.Prices = append(cur.Prices, a)
		if v.currency != "" && (p.Price == nil || a.Minor < p.Price.Minor) {
			p.Price = &a
		}
	}
	return res.Err()
}

// loadTranslations attaches translations (admin) or applies them (store).
func (s *Service) loadTranslations(ctx context.Context, ids []string, at map[string]*Product, v view) error {
	if !v.admin && len(v.chain) == 0 {
		for _, p := range at {
			p.Locale = DefaultLocale
		}
		return nil
	}
	trs, err := s.translationsOf(ctx, entityProduct, ids, v.chain)
	if err != nil {
		return err
	}
	for pid, p := range at {
		if v.admin {
			p.Translations = trs[pid]
			if p.Translations == nil {
				p.Translations = map[string]Translation{}
			}
			continue
		}
		t := trs[pid]
		p.Locale = v.locale
		p.Title = localize(t, v.chain, p.Title, Translation.title)
		p.Description = localize(t, v.chain, p.Description, Translation.description)
		p.SEO.Title = localize(t, v.chain, p.SEO.Title, Translation.seoTitle)
		p.SEO.Description = localize(t, v.chain, p.SEO.Description, Translation.seoDescription)
	}
	return nil
}
