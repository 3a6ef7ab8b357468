package store

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
	"storekeep/internal/reviews"
)

// Reviews serves customers' reviews on the storefront.
type Reviews struct {
	Svc     *reviews.Service
	Catalog *catalog.Service
}

// RegisterReviews adds the review routes: writing (customers) and reading
// a product's approved reviews (anyone).
func RegisterReviews(r *web.Router, h Reviews) {
	r.POST("/v1/store/orders/:id/reviews", web.CustomerOnly, h.createReviews)
	r.GET("/v1/store/products/:id_or_handle/reviews", web.Shopper, h.productReviews)
}

// ReviewList is a page of reviews.
type ReviewList struct {
	Data       []reviews.Review `json:"data" binding:"required"`
	NextCursor *string          `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name ReviewList

// CreatedReviews are the reviews just written.
type CreatedReviews struct {
	Data []reviews.Review `json:"data" binding:"required"`
} // @name CreatedReviews

// createReviews godoc
//
//	@Summary		Review what I received
//	@Description	Reviews variants of one of the signed-in customer's orders: each item rates (1 to 5) a variant of the order that a delivered fulfilment carried, with an optional title and body. A customer reviews a variant once. The reviews wait for moderation (status pending) before shoppers see them. All or nothing: a refused item writes no review.
//	@Tags			reviews
//	@ID				createOrderReviews
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"order id"
//	@Param			body	body		reviews.Input		true	"the reviews"
//	@Success		201		{object}	CreatedReviews
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem	"not a customer token"
//	@Failure		404		{object}	web.Problem	"no such order of yours"
//	@Failure		409		{object}	web.Problem	"already_reviewed"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed (bad rating or text) or not_reviewable (not in the order or not delivered)"
//	@Router			/v1/store/orders/{id}/reviews [post]
func (h Reviews) createReviews(c echo.Context) error {
	var in reviews.Input
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	out, err := h.Svc.Create(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, CreatedReviews{Data: out})
}

// productReviews godoc
//
//	@Summary		List a product's reviews
//	@Description	The approved reviews of a published product, newest first. The product's `rating` sums them up.
//	@Tags			reviews
//	@ID				listProductReviews
//	@Produce		json
//	@Param			id_or_handle	path		string	true	"product id or handle"
//	@Param			limit			query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"
//	@Success		200				{object}	ReviewList
//	@Failure		400				{object}	web.Problem	"invalid_cursor"
//	@Failure		404				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"bad limit"
//	@Router			/v1/store/products/{id_or_handle}/reviews [get]
func (h Reviews) productReviews(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.Catalog.StoreProduct(ctx, c.Param("id_or_handle"), storeView(c))
	if err != nil {
		return err
	}
	l, err := h.Svc.ProductReviews(ctx, p.ID, pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReviewList{Data: l.Data, NextCursor: l.NextCursor})
}
