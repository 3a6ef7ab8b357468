package catalog

import (
	"context"
	"strings"

	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// maxFeedProducts bounds one feed (its products; each variant is an item):
// a feed is built in memory and cached, and marketplaces page nothing.
const maxFeedProducts = 10_000

// Feed availabilities, as Google Merchant spells them.
const (
	FeedInStock    = "in_stock"
	FeedOutOfStock = "out_of_stock"
	FeedBackorder  = "backorder"
)

// FeedQuery asks for a channel's product feed in one currency.
type FeedQuery struct {
	// SalesChannelID names the channel; "" is the request's own channel
	// (its publishable key, or the default web channel).
	SalesChannelID string
	Currency       string
}

// FeedItem is one variant of a product feed.
type FeedItem struct {
	ProductID   string
	VariantID   string
	Handle      string
	Title       string
	Description string
	ImageURL    string
	// Availability is FeedInStock, FeedOutOfStock or FeedBackorder, over the
	// channel's warehouses.
	Availability string
	Price        money.Amount
	// Brand, GTIN and MPN come from the product's attributes of those names
	// ("" when not set; GTIN and MPN only for a product with one variant,
	// since they identify one article).
	Brand, GTIN, MPN string
	// MultiVariant is true when the product has several variants (the
	// storefront link then names the variant).
	MultiVariant bool
}

// Feed lists the variants a channel sells in a currency: published products
// on the channel with a price in it, each variant priced and stocked as the
// store catalog shows them on that channel. Products without an image are
// left out (the feed specifications require one). A trusted store read: the
// channel's products are public anyway.
func (s *Service) Feed(ctx context.Context, q FeedQuery) ([]FeedItem, string, error) {
	cur := strings.ToUpper(q.Currency)
	if cur == "" || !money.ValidCurrency(cur) {
		return nil, "", validation(fieldError("currency", "must be a supported ISO 4217 currency code"))
	}
	if q.SalesChannelID != "" {
		if s.channels == nil {
			return nil, "", ErrChannelNotFound
		}
		sc, err := s.channels.ActiveScope(ctx, q.SalesChannelID)
		if err != nil {
			return nil, "", err
		}
		ctx = channel.NewContext(ctx, sc)
	}
	sc := scopeOf(ctx)
	if sc == nil { // outside a store request: the default channel's products
		ctx = channel.NewContext(ctx, channel.Scope{ID: channel.DefaultID, AllWarehouses: true})
		sc = scopeOf(ctx)
	}
	var items []FeedItem
	pr := page.Request{Limit: 100}
	for n := 0; n < maxFeedProducts; n += pr.Limit {
		l, err := s.ListProducts(ctx, ListQuery{Sort: SortNewest, Page: pr, StoreView: StoreView{Currency: cur}})
		if err != nil {
			return nil, "", err
		}
		for _, p := range l.Data {
			items = append(items, feedItems(p, cur)...)
		}
		if l.NextCursor == nil {
			break
		}
		c, err := page.Parse("100", *l.NextCursor)
		if err != nil {
			return nil, "", err
		}
		pr = c
	}
	return items, sc.ID, nil
}

// feedItems turns a store product (priced in cur) into its feed items.
func feedItems(p Product, cur string) []FeedItem {
	if len(p.Images) == 0 {
		return nil
	}
	var out []FeedItem
	attr := func(k string) string {
		v, _ := p.Attributes[k].(string)
		return v
	}
	desc := p.Description
	if desc == "" {
		desc = p.Title
	}
	for _, v := range p.Variants {
		i := FeedItem{ProductID: p.ID, VariantID: v.ID, Handle: p.Handle, Title: p.Title, Description: desc,
			ImageURL: p.Images[0].URL, Brand: attr("brand"), MultiVariant: len(p.Variants) > 1}
		price := -1
		for j, a := range v.Prices {
			if a.Currency == cur {
				price = j
			}
		}
		if price < 0 {
			continue // a variant not sold in this currency
		}
		i.Price = v.Prices[price]
		if i.MultiVariant && v.Title != "" {
			i.Title = p.Title + " - " + v.Title
		} else {
			i.GTIN, i.MPN = attr("gtin"), attr("mpn")
		}
		switch {
		case v.Available > 0:
			i.Availability = FeedInStock
		case v.AllowBackorder:
			i.Availability = FeedBackorder
		default:
			i.Availability = FeedOutOfStock
		}
		out = append(out, i)
	}
	return out
}
