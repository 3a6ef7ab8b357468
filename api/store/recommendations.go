package store

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/reco"
)

// Recommendations serves product recommendations.
type Recommendations struct {
	Svc *reco.Service
	// Catalog renders the products (with their ratings).
	Catalog Catalog
}

// RegisterRecommendations adds the recommendation routes.
func RegisterRecommendations(r *web.Router, h Recommendations) {
	r.GET("/v1/store/products/:id_or_handle/recommendations", web.Shopper, h.forProduct)
	r.GET("/v1/store/customers/me/recommendations", web.CustomerOnly, h.forMe)
}

// RecommendationList is a list of recommended products, best first.
type RecommendationList struct {
	Data []Product `json:"data" binding:"required"`
} // @name RecommendationList

func recoLimit(c echo.Context) (int, error) {
	v := c.QueryParam("limit")
	if v == "" {
		return reco.DefaultLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, errs.Invalidf("limit", "must be a whole number from 1 to %d", reco.MaxLimit)
	}
	return min(n, reco.MaxLimit), nil
}

// forProduct godoc
//
//	@Summary		Products bought together
//	@Description	Published products in stock that are most often bought together with this one (co-purchase counts kept up to date as orders are confirmed), topped up with the newest products of its categories when there are too few. Never the product itself.
//	@Tags			recommendations
//	@ID				listProductRecommendations
//	@Produce		json
//	@Param			id_or_handle	path		string	true	"product id or handle"
//	@Param			limit			query		int		false	"how many (default 8, values over 20 are clamped to 20)"	minimum(1)
//	@Param			currency		query		string	false	"ISO 4217 code, e.g. EUR"
//	@Param			locale			query		string	false	"language, e.g. fr or fr-CA"
//	@Param			Accept-Language	header		string	false	"preferred languages with q-values"
//	@Success		200				{object}	RecommendationList
//	@Header			200				{string}	Content-Language	"the locale the text is in"
//	@Failure		404				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"bad limit, unknown currency or malformed locale"
//	@Router			/v1/store/products/{id_or_handle}/recommendations [get]
func (h Recommendations) forProduct(c echo.Context) error {
	n, err := recoLimit(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ps, err := h.Svc.ForProduct(ctx, c.Param("id_or_handle"), storeView(c), n)
	if err != nil {
		return err
	}
	return h.render(c, ps)
}

// forMe godoc
//
//	@Summary		My recommendations
//	@Description	Published products in stock picked for the signed-in customer: those most often bought with what they bought, favouring products made for the skin type and concern they gave the skin quiz. Products they already bought are left out unless consumable (attribute `consumable: true`). Without history or quiz answers, the newest products in stock.
//	@Tags			recommendations
//	@ID				listMyRecommendations
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit			query		int		false	"how many (default 8, values over 20 are clamped to 20)"	minimum(1)
//	@Param			currency		query		string	false	"ISO 4217 code, e.g. EUR"
//	@Param			locale			query		string	false	"language, e.g. fr or fr-CA"
//	@Param			Accept-Language	header		string	false	"preferred languages with q-values"
//	@Success		200				{object}	RecommendationList
//	@Header			200				{string}	Content-Language	"the locale the text is in"
//	@Failure		401				{object}	web.Problem
//	@Failure		403				{object}	web.Problem	"not a customer token"
//	@Failure		422				{object}	web.Problem	"bad limit, unknown currency or malformed locale"
//	@Router			/v1/store/customers/me/recommendations [get]
func (h Recommendations) forMe(c echo.Context) error {
	n, err := recoLimit(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ps, err := h.Svc.ForCustomer(ctx, auth.FromContext(ctx).ID, storeView(c), n)
	if err != nil {
		return err
	}
	return h.render(c, ps)
}

func (h Recommendations) render(c echo.Context, ps []catalog.Product) error {
	out := RecommendationList{Data: make([]Product, len(ps))}
	locale := ""
	for i, p := range ps {
		out.Data[i] = ProductOf(p)
		locale = p.Locale
	}
	if err := h.Catalog.rate(c.Request().Context(), out.Data); err != nil {
		return err
	}
	if locale != "" {
		setLocale(c, locale)
	}
	return c.JSON(http.StatusOK, out)
}
