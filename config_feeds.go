package main

import (
	"fmt"
	"net/url"

	"storekeep/api"
	"storekeep/internal/platform/text"
)

// Product feed settings (docs/sales-channels.md, "Product feeds"):
//   - STOREKEEP_STOREFRONT_URL is the storefront feed items link to
//     (STOREKEEP_STOREFRONT_URL/products/{handle}); default
//     api.DefaultStorefrontURL;
//   - STOREKEEP_SHOP_NAME is the brand of products without a brand
//     attribute; default api.DefaultShopName.

// feedConfig is the product feeds part of config.
type feedConfig struct {
	StorefrontURL string
	ShopName      string
}

// loadFeeds reads the feed settings.
func (c *config) loadFeeds() error {
	c.Feeds = feedConfig{StorefrontURL: envOr("STOREKEEP_STOREFRONT_URL", api.DefaultStorefrontURL),
		ShopName: envOr("STOREKEEP_SHOP_NAME", api.DefaultShopName)}
	u, err := url.Parse(c.Feeds.StorefrontURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("STOREKEEP_STOREFRONT_URL must be an absolute http(s) URL, not %q", c.Feeds.StorefrontURL)
	}
	if !text.Valid(c.Feeds.ShopName, text.Line) || len(c.Feeds.ShopName) > 200 {
		return fmt.Errorf("STOREKEEP_SHOP_NAME must be one line of at most 200 bytes")
	}
	return nil
}

func (c config) feedOptions() api.FeedOptions {
	return api.FeedOptions{StorefrontURL: c.Feeds.StorefrontURL, ShopName: c.Feeds.ShopName}
}

// feedsString is the feeds part of the printed config.
func (c config) feedsString() string {
	return fmt.Sprintf(" storefront_url=%s shop_name=%q", c.Feeds.StorefrontURL, c.Feeds.ShopName)
}
