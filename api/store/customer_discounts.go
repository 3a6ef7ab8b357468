package store

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/automations"
	"storekeep/internal/platform/page"
)

// Discounts serves the codes issued to the signed-in customer
// (/v1/store/customers/me/discounts); the customer id comes from the token.
type Discounts struct{ Svc *automations.Service }

// RegisterDiscounts adds the route to r.
func RegisterDiscounts(r *web.Router, h Discounts) {
	r.GET("/v1/store/customers/me/discounts", web.CustomerOnly, h.listMyDiscounts)
}

// DiscountList is a page of the customer's issued codes.
type DiscountList struct {
	Data       []automations.CustomerDiscount `json:"data" binding:"required"`
	NextCursor *string                        `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name MyDiscountList

// listMyDiscounts godoc
//
//	@Summary		List the codes issued to the signed-in customer
//	@Description	Codes issued to the customer by the shop's automations or its staff, newest first: each is single use and works for this customer only, until ends_at. `used`, `used_at` and `order_id` tell whether an order used it.
//	@Tags			customers
//	@ID				listMyDiscounts
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	DiscountList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem	"no or invalid customer token"
//	@Failure		403		{object}	web.Problem	"a staff token or API key"
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/store/customers/me/discounts [get]
func (h Discounts) listMyDiscounts(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	l, err := h.Svc.CustomerDiscounts(c.Request().Context(), me(c), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DiscountList(l))
}
