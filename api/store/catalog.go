package store

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/page"
	"storekeep/internal/reviews"
)

// Catalog serves the storefront catalog routes.
type Catalog struct {
	Svc *catalog.Service
	// Ratings gives products their rating over approved reviews.
	Ratings *reviews.Service
}

// RegisterCatalog adds the storefront catalog routes (guests and customers).
// mw wraps the read routes, e.g. with a response cache.
func RegisterCatalog(r *web.Router, svc *catalog.Service, ratings *reviews.Service, mw ...echo.MiddlewareFunc) {
	h := Catalog{Svc: svc, Ratings: ratings}
	r.GET("/v1/store/products", web.Shopper, h.listProducts, mw...)
	r.GET("/v1/store/products/:id_or_handle", web.Shopper, h.getProduct, mw...)
	r.GET("/v1/store/categories", web.Shopper, h.categoryTree, mw...)
	r.GET("/v1/store/collections", web.Shopper, h.listCollections, mw...)
}

// listProducts godoc
//
//	@Summary		List published products
//	@Description	Published products, localised and optionally priced in one currency. Filters combine with AND; repeating `tag` or one `attr.KEY` matches any of its values. Attribute filters are `attr.KEY=VALUE` query parameters (for example `attr.vegan=true&attr.skin_types=dry`): a product matches when the attribute equals the value (as text, number or boolean) or, for a list attribute, contains it. `min_price`/`max_price` are minor units of `currency` (required with them): a product matches when any of its variants has a price in that currency within the range. With `currency`, only products priced in it are listed, each variant's `prices` holds only that currency and `price` is the cheapest. `q` searches titles, descriptions, tags and SKUs in every language (each word as a prefix, accents ignored); results come by relevance unless `sort` is given. Sorts: `newest` (default without q), `price_asc`/`price_desc` (by cheapest variant price; need `currency`), `title` (localised title), `relevance` (needs q). `limit` over 100 is clamped to 100. The response names the `locale` used (also in Content-Language): `?locale=` wins over Accept-Language; text falls back to English field by field.
//	@Tags			catalog
//	@ID				listStoreProducts
//	@Produce		json
//	@Param			q				query		string		false	"search text"	maxLength(200)
//	@Param			category		query		string		false	"category id or handle; includes its descendants"
//	@Param			collection		query		string		false	"collection id or handle"
//	@Param			tag				query		[]string	false	"tag; repeat for any of several"	collectionFormat(multi)
//	@Param			min_price		query		int			false	"lowest price in minor units of currency"	minimum(0)
//	@Param			max_price		query		int			false	"highest price in minor units of currency"	minimum(0)
//	@Param			currency		query		string		false	"ISO 4217 code, e.g. EUR"
//	@Param			attr			query		string		false	"attribute filters, one value per attribute: attr[skin_types]=dry, as generated clients send the map {skin_types: dry}; attr.skin_types=dry is the same filter, and repeating a key matches any of its values"	extensions(x-deep-object=string)
//	@Param			sort			query		string		false	"sort order"	Enums(newest, price_asc, price_desc, title, relevance)
//	@Param			locale			query		string		false	"language, e.g. fr or fr-CA"
//	@Param			Accept-Language	header		string		false	"preferred languages with q-values"
//	@Param			limit			query		int			false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor			query		string		false	"next_cursor of the previous page"
//	@Param			If-None-Match	header		string	false	"ETag of a copy you hold: 304 while it is current"
//	@Success		200				{object}	ProductList
//	@Success		304				"not modified: the If-None-Match ETag is current"
//	@Header			200,304			{string}	ETag				"version of this response (requests without a token are cached briefly)"
//	@Header			200,304			{string}	Content-Language	"the locale the text is in, as in the body's locale"
//	@Failure		400				{object}	web.Problem	"invalid_cursor"
//	@Failure		422				{object}	web.Problem	"validation_failed: bad filter, sort, currency or limit"
//	@Router			/v1/store/products [get]
func (h Catalog) listProducts(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	qp := c.QueryParams()
	l, err := h.Svc.ListProducts(c.Request().Context(), catalog.ListQuery{
		Q: qp.Get("q"), Category: qp.Get("category"), Collection: qp.Get("collection"), Tags: qp["tag"],
		MinPrice: qp.Get("min_price"), MaxPrice: qp.Get("max_price"), Sort: qp.Get("sort"),
		Attributes: attributeFilters(qp), Page: pr, StoreView: storeView(c),
	})
	if err != nil {
		return err
	}
	out := ProductList{Data: make([]Product, len(l.Data)), NextCursor: l.NextCursor, Locale: l.Locale}
	for i, p := range l.Data {
		out.Data[i] = ProductOf(p)
	}
	if err := h.rate(c.Request().Context(), out.Data); err != nil {
		return err
	}
	setLocale(c, l.Locale)
	return c.JSON(http.StatusOK, out)
}

// getProduct godoc
//
//	@Summary		Get a published product
//	@Description	A published product by id (prod_...) or handle, localised and optionally priced in one currency (see the product list). Drafts, archived and unknown products are 404.
//	@Tags			catalog
//	@ID				getStoreProduct
//	@Produce		json
//	@Param			id_or_handle	path		string	true	"product id or handle"
//	@Param			currency		query		string	false	"ISO 4217 code, e.g. EUR"
//	@Param			locale			query		string	false	"language, e.g. fr or fr-CA"
//	@Param			Accept-Language	header		string	false	"preferred languages with q-values"
//	@Param			If-None-Match	header		string	false	"ETag of a copy you hold: 304 while it is current"
//	@Success		200				{object}	Product
//	@Success		304				"not modified: the If-None-Match ETag is current"
//	@Header			200,304			{string}	ETag				"version of this response (requests without a token are cached briefly)"
//	@Header			200,304			{string}	Content-Language	"the locale the text is in, as in the body's locale"
//	@Failure		404				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"unknown currency or malformed locale"
//	@Router			/v1/store/products/{id_or_handle} [get]
func (h Catalog) getProduct(c echo.Context) error {
	p, err := h.Svc.StoreProduct(c.Request().Context(), c.Param("id_or_handle"), storeView(c))
	if err != nil {
		return err
	}
	out := []Product{ProductOf(p)}
	if err := h.rate(c.Request().Context(), out); err != nil {
		return err
	}
	setLocale(c, p.Locale)
	return c.JSON(http.StatusOK, out[0])
}

// rate sets the rating of each product of ps.
func (h Catalog) rate(ctx context.Context, ps []Product) error {
	if h.Ratings == nil || len(ps) == 0 {
		return nil
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	rs, err := h.Ratings.Ratings(ctx, ids)
	if err != nil {
		return err
	}
	for i := range ps {
		ps[i].Rating = rs[ps[i].ID]
	}
	return nil
}

// categoryTree godoc
//
//	@Summary		Get the category tree
//	@Description	Every category, roots first, each with its children nested, ordered by position then name; names localised as for products.
//	@Tags			catalog
//	@ID				getStoreCategoryTree
//	@Produce		json
//	@Param			locale			query		string	false	"language, e.g. fr or fr-CA"
//	@Param			Accept-Language	header		string	false	"preferred languages with q-values"
//	@Param			If-None-Match	header		string	false	"ETag of a copy you hold: 304 while it is current"
//	@Success		200				{object}	CategoryTree
//	@Success		304				"not modified: the If-None-Match ETag is current"
//	@Header			200,304			{string}	ETag				"version of this response (requests without a token are cached briefly)"
//	@Header			200,304			{string}	Content-Language	"the locale the text is in, as in the body's locale"
//	@Failure		422				{object}	web.Problem	"malformed locale"
//	@Router			/v1/store/categories [get]
func (h Catalog) categoryTree(c echo.Context) error {
	tree, locale, err := h.Svc.CategoryTree(c.Request().Context(), localeRequest(c))
	if err != nil {
		return err
	}
	setLocale(c, locale)
	return c.JSON(http.StatusOK, CategoryTree{Data: categoriesOf(tree), Locale: locale})
}

// listCollections godoc
//
//	@Summary		List collections
//	@Description	Collections oldest first, localised as for products.
//	@Tags			catalog
//	@ID				listStoreCollections
//	@Produce		json
//	@Param			locale			query		string	false	"language, e.g. fr or fr-CA"
//	@Param			Accept-Language	header		string	false	"preferred languages with q-values"
//	@Param			limit			query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"
//	@Param			If-None-Match	header		string	false	"ETag of a copy you hold: 304 while it is current"
//	@Success		200				{object}	CollectionList
//	@Success		304				"not modified: the If-None-Match ETag is current"
//	@Header			200,304			{string}	ETag				"version of this response (requests without a token are cached briefly)"
//	@Header			200,304			{string}	Content-Language	"the locale the text is in, as in the body's locale"
//	@Failure		400				{object}	web.Problem	"invalid_cursor"
//	@Failure		422				{object}	web.Problem	"bad limit or malformed locale"
//	@Router			/v1/store/collections [get]
func (h Catalog) listCollections(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	l, locale, err := h.Svc.StoreCollections(c.Request().Context(), localeRequest(c), pr)
	if err != nil {
		return err
	}
	out := CollectionList{Data: make([]Collection, len(l.Data)), NextCursor: l.NextCursor, Locale: locale}
	for i, col := range l.Data {
		out.Data[i] = Collection{ID: col.ID, Handle: col.Handle, Title: col.Title, Description: col.Description}
	}
	setLocale(c, locale)
	return c.JSON(http.StatusOK, out)
}

// attributeFilters collects the attribute filters of the query: attr.KEY=VALUE,
// the form to write by hand, and attr[KEY]=VALUE, the deepObject form the
// contract declares and generated clients send (oapi-codegen and
// openapi-fetch serialise the map {KEY: VALUE} so). Both name the same
// filter: their values add up.
func attributeFilters(qp map[string][]string) map[string][]string {
	var out map[string][]string
	for k, vs := range qp {
		key, ok := attributeKey(k)
		if !ok {
			continue
		}
		if out == nil {
			out = map[string][]string{}
		}
		out[key] = append(out[key], vs...)
	}
	return out
}

// attributeKey is KEY of a query parameter named attr.KEY or attr[KEY].
func attributeKey(param string) (string, bool) {
	if key, ok := strings.CutPrefix(param, "attr."); ok {
		return key, true
	}
	if rest, ok := strings.CutPrefix(param, "attr["); ok {
		return strings.CutSuffix(rest, "]")
	}
	return "", false
}

func localeRequest(c echo.Context) catalog.LocaleRequest {
	return catalog.LocaleRequest{Param: c.QueryParam("locale"), AcceptLanguage: c.Request().Header.Get("Accept-Language")}
}

func storeView(c echo.Context) catalog.StoreView {
	return catalog.StoreView{Locale: localeRequest(c), Currency: c.QueryParam("currency")}
}

// setLocale names the response language; caches must key on Accept-Language.
func setLocale(c echo.Context, locale string) {
	h := c.Response().Header()
	h.Set("Content-Language", locale)
	h.Add("Vary", "Accept-Language")
}
