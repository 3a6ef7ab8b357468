package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
	"storekeep/internal/reviews"
)

// Reviews serves review moderation.
type Reviews struct{ Svc *reviews.Service }

// reviewAccess: support staff, managers and admins.
var reviewAccess = web.StaffRoles(auth.RoleSupport, auth.RoleManager)

// RegisterReviews adds the moderation routes.
func RegisterReviews(r *web.Router, h Reviews) {
	r.GET("/v1/admin/reviews", reviewAccess, h.listReviews)
	r.PATCH("/v1/admin/reviews/:id", reviewAccess, h.moderateReview)
}

// AdminReviewList is a page of reviews for staff.
type AdminReviewList struct {
	Data       []reviews.AdminReview `json:"data" binding:"required"`
	NextCursor *string               `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name AdminReviewList

// listReviews godoc
//
//	@Summary		List reviews
//	@Description	Reviews oldest first, optionally of one status (pending ones are the moderation queue). Support staff, managers and admins.
//	@Tags			reviews
//	@ID				listReviews
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status	query		string	false	"only this status"	Enums(pending, approved, rejected)
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	AdminReviewList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad status or limit"
//	@Router			/v1/admin/reviews [get]
func (h Reviews) listReviews(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.List(ctx, auth.FromContext(ctx), c.QueryParam("status"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, AdminReviewList(l))
}

// moderateReview godoc
//
//	@Summary		Moderate a review
//	@Description	Approves (shown to shoppers, counted in the product's rating) or rejects a review, with an optional reason kept for staff. A decision can be changed later. Support staff, managers and admins.
//	@Tags			reviews
//	@ID				moderateReview
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"review id"
//	@Param			body	body		reviews.Moderation	true	"the decision"
//	@Success		200		{object}	reviews.AdminReview
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/reviews/{id} [patch]
func (h Reviews) moderateReview(c echo.Context) error {
	var in reviews.Moderation
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := h.Svc.Moderate(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
