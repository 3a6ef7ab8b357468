package catalog

import (
	"context"
	"fmt"

	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/money"
)

// Purchasable is what checkout needs to know about a variant to sell it:
// who it belongs to (for promotion restrictions), its price in one
// currency, its weight (shipping) and whether it can be sold at all.
type Purchasable struct {
	VariantID    string
	ProductID    string
	SKU          string
	Title        string // "<product title> - <variant title>", or the product title alone
	Price        money.Amount
	HasPrice     bool // false: the variant has no price in that currency
	WeightGrams  int64
	CategoryIDs  []string
	Published    bool // the product is published and the variant not archived
	Backorder    bool
	Available    int64 // summed over active warehouses
	ProductTitle string
	// OnChannel is false when ctx is scoped to a sales channel the product
	// is not sold on (always true outside a scoped request): such a
	// variant is not for sale there, like an unpublished one.
	OnChannel bool
}

// Purchasables returns the variants among ids that exist (archived ones
// included, with Published false), priced in currency. Unknown ids are
// absent from the map. It reads in two queries whatever the number of ids.
// In a request scoped to a sales channel (channel.FromContext), OnChannel
// tells whether each product is sold on it.
func (s *Service) Purchasables(ctx context.Context, ids []string, currency string) (map[string]Purchasable, error) {
	out := map[string]Purchasable{}
	if len(ids) == 0 {
		return out, nil
	}
	type row struct {
		ID, ProductID, SKU, Title, ProductTitle, Status string
		WeightGrams                                     int64
		AllowBackorder                                  bool
		Available                                       int64
		Archived                                        bool
		PriceAmount                                     *int64
		OnChannel                                       bool
	}
	// Outside a scoped request every product counts as on the channel.
	onChannel, args := "TRUE", []any{}
	if sc, ok := channel.FromContext(ctx); ok {
		onChannel, args = channelMembership, []any{sc.ID}
	}
	var rows []row
	err := s.db.Conn(ctx).Raw(`SELECT v.id, v.product_id, v.sku, v.title, p.title AS product_title, p.status,
			v.weight_grams, v.allow_backorder, v.available, v.archived_at IS NOT NULL AS archived,
			vp.amount AS price_amount, `+onChannel+` AS on_channel
		FROM variants v
		JOIN products p ON p.id = v.product_id
		LEFT JOIN variant_prices vp ON vp.variant_id = v.id AND vp.currency = ?
		WHERE v.id IN ?`, append(args, currency, ids)...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read purchasable variants: %w", err)
	}
	var products []string
	for _, r := range rows {
		title := r.ProductTitle
		if r.Title != "" && r.Title != r.ProductTitle {
			title += " - " + r.Title
		}
		p := Purchasable{VariantID: r.ID, ProductID: r.ProductID, SKU: r.SKU, Title: title, ProductTitle: r.ProductTitle,
			WeightGrams: r.WeightGrams, Published: r.Status == string(StatusPublished) && !r.Archived,
			Backorder: r.AllowBackorder, Available: r.Available, Price: money.Zero(currency), OnChannel: r.OnChannel}
		if r.PriceAmount != nil {
			p.Price.Minor, p.HasPrice = *r.PriceAmount, true
		}
		out[r.ID] = p
		products = append(products, r.ProductID)
	}
	var links []struct{ ProductID, CategoryID string }
	err = s.db.Conn(ctx).Raw(`SELECT product_id, category_id FROM product_categories WHERE product_id IN ?
		ORDER BY category_id`, products).Scan(&links).Error
	if err != nil {
		return nil, fmt.Errorf("read purchasable categories: %w", err)
	}
	cats := map[string][]string{}
	for _, l := range links {
		cats[l.ProductID] = append(cats[l.ProductID], l.CategoryID)
	}
	for id, p := range out {
		p.CategoryIDs = cats[p.ProductID]
		out[id] = p
	}
	return out, nil
}

// channelMembership is true when the product p is sold on the channel bound
// to its placeholder.
const channelMembership = `EXISTS (SELECT 1 FROM product_sales_channels psc
	WHERE psc.product_id = p.id AND psc.sales_channel_id = ?)`
