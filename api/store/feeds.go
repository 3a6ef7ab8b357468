package store

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/catalog"
)

// Feeds serves the product feeds social and marketplace catalogs import
// (docs/sales-channels.md, "Product feeds").
type Feeds struct {
	Svc *catalog.Service
	// StorefrontURL is the shop's storefront; items link to
	// StorefrontURL/products/{handle}.
	StorefrontURL string
	// Brand names the products whose brand attribute is not set (the shop).
	Brand string
}

// RegisterFeeds adds the feed routes; mw wraps them (the catalog's
// response cache).
func RegisterFeeds(r *web.Router, h Feeds, mw ...echo.MiddlewareFunc) {
	r.GET("/v1/store/feeds/products.xml", web.Shopper, h.productsXML, mw...)
	r.GET("/v1/store/feeds/products.csv", web.Shopper, h.productsCSV, mw...)
}

// productsXML godoc
//
//	@Summary		Product feed (Google Merchant RSS 2.0)
//	@Description	The products a sales channel sells, for Google Shopping, Instagram and Facebook catalogs: RSS 2.0 with the Google Merchant namespace (`xmlns:g="http://base.google.com/ns/1.0"`), one `<item>` per variant with `g:id` (the variant id), `g:item_group_id` (the product id), `g:title`, `g:description`, `g:link` (the storefront's product page), `g:image_link`, `g:availability` (`in_stock`, `out_of_stock` or `backorder`, over the channel's warehouses), `g:price` ("19.99 EUR", as the store catalog prices it), `g:brand` (the product's `brand` attribute, else the shop's name), `g:gtin` and `g:mpn` when the product's attributes of those names are set (single-variant products), else `g:identifier_exists` no, and `g:condition` new. Only published products on the channel with a price in `currency` and an image are listed. The channel is `sales_channel` when given, else the request's publishable key, else the default web channel. Cached like the catalog.
//	@Tags			catalog
//	@ID				getProductFeedXML
//	@Produce		application/rss+xml
//	@Param			sales_channel	query		string	false	"sales channel id (default: the publishable key's channel)"
//	@Param			currency		query		string	true	"ISO 4217 code, e.g. EUR"
//	@Param			If-None-Match	header		string	false	"ETag of a copy you hold: 304 while it is current"
//	@Success		200				{string}	string	"RSS 2.0 document"
//	@Success		304				"not modified: the If-None-Match ETag is current"
//	@Header			200,304			{string}	ETag	"version of this response (cached briefly)"
//	@Failure		403				{object}	web.Problem	"sales_channel_inactive"
//	@Failure		404				{object}	web.Problem	"sales_channel_not_found"
//	@Failure		422				{object}	web.Problem	"validation_failed: missing or unknown currency"
//	@Router			/v1/store/feeds/products.xml [get]
func (h Feeds) productsXML(c echo.Context) error {
	items, err := h.items(c)
	if err != nil {
		return err
	}
	doc := rss{Version: "2.0", G: googleNS, Channel: rssChannel{Title: h.Brand, Link: h.StorefrontURL,
		Description: "Products of " + h.Brand}}
	for _, it := range items {
		x := rssItem{ID: it.VariantID, GroupID: it.ProductID, Title: it.Title, Description: it.Description,
			Link: h.link(it), ImageLink: it.ImageURL, Availability: it.Availability, Price: it.Price.String(),
			Brand: h.brand(it), GTIN: it.GTIN, MPN: it.MPN, Condition: "new"}
		if it.GTIN == "" && it.MPN == "" {
			x.IdentifierExists = "no"
		}
		doc.Channel.Items = append(doc.Channel.Items, x)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/rss+xml; charset=utf-8", b.Bytes())
}

// productsCSV godoc
//
//	@Summary		Product feed (CSV)
//	@Description	The product feed of products.xml as CSV for marketplaces (RFC 4180: a header row, CRLF line ends, fields quoted when needed): `id, item_group_id, title, description, link, image_link, availability, price, brand, gtin, mpn, condition`, one row per variant, with the same values as the XML feed (empty gtin and mpn when not set).
//	@Tags			catalog
//	@ID				getProductFeedCSV
//	@Produce		text/csv
//	@Param			sales_channel	query		string	false	"sales channel id (default: the publishable key's channel)"
//	@Param			currency		query		string	true	"ISO 4217 code, e.g. EUR"
//	@Param			If-None-Match	header		string	false	"ETag of a copy you hold: 304 while it is current"
//	@Success		200				{string}	string	"CSV with a header row"
//	@Success		304				"not modified: the If-None-Match ETag is current"
//	@Header			200,304			{string}	ETag	"version of this response (cached briefly)"
//	@Failure		403				{object}	web.Problem	"sales_channel_inactive"
//	@Failure		404				{object}	web.Problem	"sales_channel_not_found"
//	@Failure		422				{object}	web.Problem	"validation_failed: missing or unknown currency"
//	@Router			/v1/store/feeds/products.csv [get]
func (h Feeds) productsCSV(c echo.Context) error {
	items, err := h.items(c)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true // RFC 4180
	rows := [][]string{FeedColumns}
	for _, it := range items {
		rows = append(rows, []string{it.VariantID, it.ProductID, it.Title, it.Description, h.link(it), it.ImageURL,
			it.Availability, it.Price.String(), h.brand(it), it.GTIN, it.MPN, "new"})
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}

// FeedColumns is the CSV feed's header row.
var FeedColumns = []string{"id", "item_group_id", "title", "description", "link", "image_link", "availability",
	"price", "brand", "gtin", "mpn", "condition"}

func (h Feeds) items(c echo.Context) ([]catalog.FeedItem, error) {
	items, _, err := h.Svc.Feed(c.Request().Context(), catalog.FeedQuery{
		SalesChannelID: c.QueryParam("sales_channel"), Currency: c.QueryParam("currency")})
	return items, err
}

// link is the storefront page of an item: the product, and the variant when
// the product has several.
func (h Feeds) link(it catalog.FeedItem) string {
	u := strings.TrimRight(h.StorefrontURL, "/") + "/products/" + url.PathEscape(it.Handle)
	if it.MultiVariant {
		u += "?variant=" + url.QueryEscape(it.VariantID)
	}
	return u
}

func (h Feeds) brand(it catalog.FeedItem) string {
	if it.Brand != "" {
		return it.Brand
	}
	return h.Brand
}

const googleNS = "http://base.google.com/ns/1.0"

// rss is the feed document. Element names carry the g: prefix literally,
// declared once on the root, as merchant feeds are written.
type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	G       string     `xml:"xmlns:g,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	ID               string `xml:"g:id"`
	GroupID          string `xml:"g:item_group_id"`
	Title            string `xml:"g:title"`
	Description      string `xml:"g:description"`
	Link             string `xml:"g:link"`
	ImageLink        string `xml:"g:image_link"`
	Availability     string `xml:"g:availability"`
	Price            string `xml:"g:price"`
	Brand            string `xml:"g:brand"`
	GTIN             string `xml:"g:gtin,omitempty"`
	MPN              string `xml:"g:mpn,omitempty"`
	IdentifierExists string `xml:"g:identifier_exists,omitempty"`
	Condition        string `xml:"g:condition"`
}
