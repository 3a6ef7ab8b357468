package api

import (
	"time"

	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/channels"
	"storekeep/internal/reviews"
)

// Store catalog responses to anonymous callers are cached this long (and
// dropped at once when this node changes the catalog): storefront reads
// dominate traffic and the catalog changes rarely, so most requests never
// reach the database. Other nodes see a change within this TTL.
const (
	catalogCacheTTL     = 2 * time.Second
	catalogCacheEntries = 2000
)

// FeedOptions configures the product feeds (docs/sales-channels.md).
type FeedOptions struct {
	// StorefrontURL is the shop's storefront: feed items link to
	// StorefrontURL/products/{handle}. Default DefaultStorefrontURL.
	StorefrontURL string
	// ShopName is the brand of products without a brand attribute.
	// Default DefaultShopName.
	ShopName string
}

// Feed defaults: a storefront in development, and the product's name.
const (
	DefaultStorefrontURL = "http://localhost:3000"
	DefaultShopName      = "Storekeep"
)

func (o FeedOptions) storefrontURL() string {
	if o.StorefrontURL == "" {
		return DefaultStorefrontURL
	}
	return o.StorefrontURL
}

func (o FeedOptions) brand() string {
	if o.ShopName == "" {
		return DefaultShopName
	}
	return o.ShopName
}

// registerCatalog wires the catalog to the store and admin routes.
func registerCatalog(r *web.Router, opts Options, rev *reviews.Service) (*catalog.Service, error) {
	svc := catalog.NewService(opts.DB, catalog.WithClock(opts.Now), catalog.WithEventView(admin.ProductOf))
	cache := web.NewCache(catalogCacheTTL, catalogCacheEntries, svc.Generation)
	store.RegisterCatalog(r, svc, rev, cache.Middleware())
	store.RegisterFeeds(r, store.Feeds{Svc: svc, StorefrontURL: opts.Feeds.storefrontURL(),
		Brand: opts.Feeds.brand()}, cache.Middleware())
	admin.RegisterCatalog(r, svc)
	return svc, nil
}

// wireCatalogChannels gives the catalog what it reads of the channels
// domain, built after it: which sales channels exist and a channel's scope.
func wireCatalogChannels(cat *catalog.Service, chs *channels.Service) {
	cat.SetChannels(chs)
}
